"""`commdata draft`: a YAML skeleton for a new meeting, one stub per figure the detector finds.

Everything here is a guess for a curator to review: where a figure stands (achievement or target,
which numbered section), what it counts, its kind. The file is marked ``draft: true`` so validation
refuses it and build never publishes it until a curator has reviewed every record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from commdata.errors import DraftError
from commdata.domain.detect import Found, find_figures
from commdata.domain.models import meeting_id
from commdata.domain.quantities import chinese_numeral
from commdata.domain.sources import SourceText

# A communiqué reports in the voice of the meeting: 全会认为/肯定 introduce the past year, 全会指出/
# 强调/提出/部署 what comes next.
_REVIEW_VERBS = ("充分肯定", "一致认为", "认为", "总结")
_PLAN_VERBS = ("指出", "强调", "提出", "部署", "要求", "号召", "明确")
_VOICE = re.compile(r"全会(?:" + "|".join(_REVIEW_VERBS + _PLAN_VERBS) + ")")
_ITEM = re.compile(r"([一二三四五六七八九十]{1,2})是")
_CLAUSE_END = "，；。：！？"
_HEADING_END = re.compile(r"[，。；]")
_TITLE = re.compile(r"中国共产党(?P<place>\S+?)第(?P<term>[一二三四五六七八九十]+)届委员会第(?P<plenary>[一二三四五六七八九十]+)次全体会议")
_DATE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日")
_ASPIRATIONAL = ("争取", "力争", "争创")
_LEADING_WORDS = ("达到", "突破", "超过", "约", "近", "分别增长", "增长", "的")


@dataclass(frozen=True)
class MeetingFacts:
    admin_code: str
    term: int
    plenary: int
    date: date
    place: str
    body: str


def read_facts(text: str, admin_code: str, term: int | None, plenary: int | None, when: date | None) -> MeetingFacts:
    """The meeting's identity from the text, where options do not give it."""
    title, found_date = _TITLE.search(text), _DATE.search(text)
    try:
        term = term or (chinese_numeral(title["term"]) if title else None)
        plenary = plenary or (chinese_numeral(title["plenary"]) if title else None)
        when = when or (date(*map(int, found_date.groups())) if found_date else None)
    except ValueError as error:
        raise DraftError(f"cannot read the meeting's term, plenary or date from the text ({error}): give them as options")
    if term is None or plenary is None or when is None:
        raise DraftError("cannot find the committee term, plenary number and date in the text: give --term, "
                         "--plenary and --date")
    place = title["place"] if title else "TODO"
    return MeetingFacts(admin_code, term, plenary, when, place,
                        f"中国共产党{place}第{title['term']}届委员会" if title else "TODO")


def _part_at(text: str, position: int) -> str:
    voice = None
    for match in _VOICE.finditer(text, 0, position):
        voice = match[0]
    return "targets" if voice and voice.endswith(_PLAN_VERBS) else "achievements"


@dataclass
class _Section:
    id: str
    part: str
    number: int
    heading: str
    start: int


def _sections(text: str) -> list[_Section]:
    """Numbered items 一是, 二是…; a new series starts whenever the numbering starts again at 一."""
    sections: list[_Section] = []
    series_count: dict[str, int] = {}
    series = ""
    for match in _ITEM.finditer(text):
        try:
            number = chinese_numeral(match[1])
        except ValueError:
            continue
        part = _part_at(text, match.start())
        if number == 1:
            series_count[part] = series_count.get(part, 0) + 1
            series = part if series_count[part] == 1 else f"{part}-{'abcdefghij'[series_count[part] - 1]}"
        elif not sections or sections[-1].number != number - 1:
            continue  # 一是 … 三是 with no 二是: not a numbered list
        end = _HEADING_END.search(text, match.end())
        heading = text[match.end(): end.start() if end else len(text)]
        if heading and series:
            sections.append(_Section(f"{series}-{number}", part, number, heading, match.start()))
    return sections


def _clause(text: str, found: Found, others: list[Found]) -> tuple[int, int]:
    """The clause around a figure: between punctuation, narrowed at 、 unless the clause is one
    分别 statement, and narrowed further while the figure occurs twice in it."""
    start = max(text.rfind(mark, 0, found.start) for mark in _CLAUSE_END) + 1
    ends = [position for mark in _CLAUSE_END if (position := text.find(mark, found.end)) >= 0]
    end = min(ends) if ends else len(text)
    if "分别" not in text[start:end]:
        start = max(start, text.rfind("、", start, found.start) + 1)
        stop = text.find("、", found.end, end)
        end = stop if stop >= 0 else end
    if sum(1 for other in others if start <= other.start < end and other.figure == found.figure) > 1:
        start = found.start
    return start, end


def _kind(text: str, found: Found) -> str:
    quantity = found.quantity
    assert quantity is not None
    if quantity.unit in ("%", "个百分点", "倍"):
        return "growth" if "增" in text[max(0, found.start - 6):found.start] else "share"
    if quantity.prefix == "前" or quantity.unit == "强" or quantity.prefix == "第" and quantity.unit in ("位", "名"):
        return "rank"
    if quantity.prefix == "连续" or (quantity.unit or "").startswith("连"):
        return "streak"
    return "quantity"


def _indicator(quote: str, figure_at: int) -> str:
    before = quote[:figure_at].strip("“”")
    changed = True
    while changed:
        changed = False
        for word in _LEADING_WORDS + _ASPIRATIONAL:
            if before.endswith(word) and len(before) > len(word):
                before, changed = before[: -len(word)], True
    return before or "TODO"


_ITEM_COUNT_AFTER = re.compile(r"^(?:重点工作|重点任务|关键点|方面|任务|大事)")


def _not_recorded_reason(text: str, found: Found, facts: MeetingFacts) -> tuple[str, str | None] | None:
    """A guessed reason why a figure is not an achievement or target, or None for a record stub."""
    quantity = found.quantity
    if found.date_like:
        return "date", None
    if quantity is None:
        return "other", "TODO: the grammar cannot read this figure"
    if quantity.prefix == "第" and quantity.unit in ("届", "次") and int(quantity.value) in (facts.term, facts.plenary):
        return "meeting_identity", None
    if text.startswith("周年", found.end):
        return "other", "an anniversary"
    if quantity.number_as_written == "一" and quantity.unit in ("年", "批"):
        return "vague", None
    if _ITEM_COUNT_AFTER.match(text[found.end:]):
        return "item_count", None
    if quantity.unit in ("个", "件", "项") and quantity.number_as_written.isdigit() is False \
            and text[found.start - 1:found.start] == "“":
        return "name", "TODO: check: a numeral that opens a quoted name"
    return None


def _period(part: str, held: date) -> int:
    """A meeting late in the year reviews that year and plans the next; one early in the year reviews
    the previous year and plans its own."""
    late = held.month > 6
    if part == "achievements":
        return held.year if late else held.year - 1
    return held.year + 1 if late else held.year


class _Dumper(yaml.SafeDumper):
    """Decimals as plain YAML numbers, never floats; never an anchor, which validation refuses (a
    value used twice, such as one parsed figure's number, is written out twice)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _represent_decimal)


UNKNOWN_INDICATOR = "todo.indicator"  # a valid code that names nothing: validation asks for a real one


def draft_document(source: SourceText, relative_file: str, facts: MeetingFacts,
                   indicators: dict[str, str] | None = None) -> dict[str, Any]:
    """The draft; ``indicators`` maps indicator names (中文) to codes of the codebook, so a stub whose
    indicator is already known gets its code."""
    text = source.text
    the_id = meeting_id(facts.admin_code, facts.term, facts.plenary)
    figures = find_figures(text)
    sections = _sections(text)
    records: dict[str, list[dict[str, Any]]] = {"achievements": [], "targets": []}
    not_recorded = []
    for found in figures:
        guess = _not_recorded_reason(text, found, facts)
        if guess is not None:
            reason, note = guess
            not_recorded.append({"figure": found.figure, "at": found.start, "reason": reason,
                                 **({"note": note} if note else {})})
            continue
        part = _part_at(text, found.start)
        start, end = _clause(text, found, figures)
        quote = text[start:end]
        section = next((s.id for s in reversed(sections) if s.start <= found.start and s.part == part), None)
        quantity = found.quantity
        record: dict[str, Any] = {
            "id": f"{the_id}-{part[0]}{len(records[part]) + 1:03d}",
            **({"section": section} if section else {}),
            "period": _period(part, facts.date),
            "indicator": _indicator(quote, found.start - start),
            "indicator_en": "TODO: English gloss",
            "indicator_code": (indicators or {}).get(_indicator(quote, found.start - start), UNKNOWN_INDICATOR),
            "kind": _kind(text, found),
            "figure": found.figure,
            "number": quantity.number,
            **({"multiplier": quantity.multiplier} if quantity.multiplier else {}),
            **({"unit": quantity.unit} if quantity.unit else {}),
            "value": quantity.value,
            "bound": found.bound.value,
            "cumulative": "累计" in quote,
        }
        if part == "targets":
            record["aspirational"] = any(word in quote for word in _ASPIRATIONAL)
        record.update({"quote": quote, "quote_start": start, "quote_end": end})
        records[part].append(record)
    return {
        "draft": True,
        "source": {"id": f"{the_id}-communique", "title": _last_line_title(source), "issuing_body": facts.body,
                   "file": relative_file, "sha256": source.sha256},
        "meeting": {"id": the_id, "source_id": f"{the_id}-communique", "title": "TODO", "body": facts.body,
                    "body_en": "TODO", "admin_code": facts.admin_code, "place": facts.place, "place_en": "TODO",
                    "term": facts.term, "plenary": facts.plenary, "kind": "plenary_session",
                    "date": facts.date.isoformat(),
                    "participants": [{"role": "presided", "name": "TODO"}],
                    "sections": [{"id": s.id, "part": s.part, "number": s.number, "heading": s.heading}
                                 for s in sections]},
        **records,
        "not_recorded": not_recorded,
    }


def _last_line_title(source: SourceText) -> str:
    lines = [line.strip() for line in source.raw.decode("utf-8").splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].endswith("公报") else "TODO"


def render_draft(document: dict[str, Any]) -> str:
    header = ("# Draft written by `commdata draft`: every value below is a guess. Review each record against\n"
              "# the source, fill in the TODOs, delete what is not an achievement or target (or move it to\n"
              "# not_recorded with a reason), then remove `draft: true`.\n")
    return header + yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def write_draft(path: Path, text: str, force: bool) -> None:
    if path.exists() and not force:
        raise DraftError(f"{path} exists: refusing to overwrite it (use --force)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def compare_with_curated(document: dict[str, Any], curated: Any) -> dict[str, Any]:
    """How well a draft recovers a curated meeting's figures: precision and recall of the figure spans,
    and among the recovered ones, how many were placed in the right part, with the right value and
    bound. ``curated`` is a MeetingFile."""
    curated_spans = {}
    for part in ("achievements", "targets"):
        for record in getattr(curated, part):
            if record.figure_span is not None:
                curated_spans[record.figure_span] = (part, record)
    drafted = {}
    for part in ("achievements", "targets"):
        for stub in document[part]:
            start = stub["quote_start"] + stub["quote"].index(stub["figure"])
            drafted.setdefault((start, start + len(stub["figure"])), (part, stub))
    matched = drafted.keys() & curated_spans.keys()
    right_part = sum(1 for span in matched if drafted[span][0] == curated_spans[span][0])
    right_value = sum(1 for span in matched if Decimal(drafted[span][1]["value"]) == curated_spans[span][1].value
                      and drafted[span][1]["bound"] == curated_spans[span][1].bound.value)
    return {
        "curated_figures": len(curated_spans), "drafted_figures": len(drafted), "recovered": len(matched),
        "recall": len(matched) / len(curated_spans) if curated_spans else 1.0,
        "precision": len(matched) / len(drafted) if drafted else 1.0,
        "right_part": right_part, "right_value_and_bound": right_value,
    }
