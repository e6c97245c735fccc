"""`commdata draft`: a YAML skeleton for a new meeting, one stub per figure the detector finds.

Everything here is a guess for a curator to review: where a figure stands (achievement or target,
which numbered section), what it counts, its kind, who took part. The file is marked ``draft: true``
so validation refuses it and build never publishes it until a curator has reviewed every record.
Figures that are not values (dates, meeting numbers, names, counts of the text's own items…) go under
``not_recorded`` with a guessed reason instead of becoming stubs a curator must delete.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import yaml

from commdata.domain.detect import Aside, Found, find_figures
from commdata.domain.models import ADMIN_CODE_PATTERN, meeting_id
from commdata.domain.quantities import COUNT_UNITS, RANK_UNITS, RATIO_UNITS, Direction, chinese_numeral, fold
from commdata.domain.sources import SourceText, canonical_text
from commdata.errors import DraftError

_ITEM = re.compile(r"([一二三四五六七八九十]{1,2})是")
_SUBHEADING = re.compile(r"[（(]([一二三四五六七八九十]{1,2})[)）]")  # (一) (二)…: items of a list too
_HEADING_END = re.compile(r"[，。；,;]")
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

    @property
    def review_year(self) -> int:
        """The year the text reports on: a meeting late in the year reviews its own year, one early in
        the year the year before."""
        return self.date.year if self.date.month > 6 else self.date.year - 1


def read_facts(text: str, admin_code: str, term: int | None, plenary: int | None, when: date | None) -> MeetingFacts:
    """The meeting's identity from the text, where options do not give it."""
    if re.fullmatch(ADMIN_CODE_PATTERN, admin_code) is None:
        raise DraftError(f"the admin code must be a six-digit GB/T 2260 code such as 150100, not {admin_code!r}")
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


# --- Where a figure belongs: the document's own cues -------------------------------------------------
#
# A cue sets the part of its own sentence from where it stands (a nearer cue wins), and a sentence that
# introduces a numbered list (一是…) or a numbered heading (二、2024年工作安排) sets the part of what
# they hold. Comparison words (同比, 比上年, 完成…) say "result" only where no other cue speaks: a target
# list may compare with last year too. Nothing else carries over: an early 全会指出 in a press report
# does not make every later result a target.

ACHIEVEMENTS, TARGETS = "achievements", "targets"
_TARGET_CUES = ("力争", "确保", "争取", "力求", "预期目标", "主要目标", "目标是", "目标为", "目标:", "目标：",
                "指标是", "指标为", "工作安排", "计划草案", "计划", "将", "要", "明年", "下半年", "下一步", "今后",
                "部署", "号召")
_PAST_CUES = ("预计", "已经", "已", "上半年", "今年以来", "去年", "上年", "过去", "一年来",
              "执行情况", "完成情况", "充分肯定", "一致认为", "认为", "回顾")
_COMPARISON_CUES = ("同比", "比上年", "较上年", "与上年", "上年同期", "比去年", "较去年", "与去年", "累计", "完成", "实现",
                    "达到")
_GUARDED_CUES = {  # words that are cues only outside the words they are part of (重要, 将近, 发展计划…)
    "要": r"(?<![重主需首必只纲摘紧显次想])要(?![素点件闻害地塞求])",
    "将": r"将(?!近|军|领|士)",
    "计划": r"(?<!发展)计划(?!执行|单列|总投资|投资)",
    "已": r"(?<![而不])已",
    "确保": r"确保(?!了)",
    "部署": r"(?<!决策)(?<!工作)(?<!按照)(?<!根据)(?<!的)部署",
    "过去": r"过去的?[一二三四五六七八九十两几0-9]*年",
}
_CUE_KIND = {**{word: TARGETS for word in _TARGET_CUES}, **{word: ACHIEVEMENTS for word in _PAST_CUES},
             **{word: "comparison" for word in _COMPARISON_CUES}}
_CUE = re.compile("|".join(_GUARDED_CUES.get(word, re.escape(word))
                           for word in sorted(_CUE_KIND, key=len, reverse=True)))
# A year named as the time of a sentence (2024年, 今年, 明年), not a base of comparison (比2023年) nor
# the date of an event (2024年1月16日).
_YEAR = re.compile(r"(?<![0-9比较与同和])(?P<year>(?:19|20)[0-9]{2})年(?![0-9]{1,2}月[0-9]{1,2}日)|(?<![比较])(?P<this>今年)")
_SENTENCE_END = re.compile(r"[。！？!?]|(?<![0-9])\.(?![0-9])")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
_HEADING_PAST = ("执行情况", "完成情况", "回顾", "主要成绩", "成效", "进展情况")
_HEADING_TARGET = ("安排", "计划草案", "目标", "任务", "打算", "思路", "重点工作", "建议")
_LIST_REACH = 2  # the last item of a numbered list runs at most twice the longest item before it
# 主要预期目标是： opens a list of targets, 主要成绩如下： one of results: it runs to the end of its
# sentence, or over the item lines that follow when the colon ends its line.
_ITEM_LINE = 80  # characters: a line longer than this is a paragraph, not an item of a list
_ANNOUNCEMENT = re.compile(
    r"(?P<targets>目标|指标|任务|安排|(?:做好|抓好)[^，,。；;：:]{0,8}工作)(?:是|为|如下)?[:：]"
    r"|(?P<achievements>成绩|成效|成果)(?:是|如下)?[:：]")


@dataclass(frozen=True)
class _Cue:
    at: int
    part: str  # achievements, targets, or comparison (a result unless something else speaks)
    year: int | None = None


@dataclass(frozen=True)
class _Scope:
    start: int
    end: int
    part: str


class Placement:
    """Achievement or target for any position of a text, from the text's own cues (see above)."""

    def __init__(self, text: str, facts: MeetingFacts, line_starts: Iterable[int] = ()) -> None:
        self.folded = fold(text)
        self.facts = facts
        self.sentence_starts = [0] + [match.end() for match in _SENTENCE_END.finditer(self.folded)]
        self.cues = sorted(self._cues(), key=lambda cue: cue.at)
        self.cue_starts = [cue.at for cue in self.cues]
        lines = sorted(set(line_starts))
        self.scopes = self._heading_scopes(set(lines)) + self._list_scopes() + self._announcement_scopes(lines)

    def part_at(self, position: int) -> str:
        """The part of a figure at ``position``."""
        sentence = self.sentence_starts[bisect_right(self.sentence_starts, position) - 1]
        spoken = self._cue_before(sentence, position)
        if spoken is not None:
            return spoken
        governing = [scope for scope in self.scopes if scope.start <= position < scope.end]
        if governing:  # the innermost: the one that starts last
            return max(governing, key=lambda scope: scope.start).part
        return ACHIEVEMENTS

    def year_at(self, position: int) -> int | None:
        """The year its sentence names before ``position``, if any."""
        sentence = self.sentence_starts[bisect_right(self.sentence_starts, position) - 1]
        years = [cue.year for cue in self._cues_between(sentence, position) if cue.year is not None]
        return years[-1] if years else None

    def _cue_before(self, start: int, end: int) -> str | None:
        """The part the nearest cue before ``end`` in ``text[start:end]`` sets, comparisons aside."""
        cues = self._cues_between(start, end)
        for cue in reversed(cues):
            if cue.part != "comparison":
                return cue.part
        return None

    def _cues_between(self, start: int, end: int) -> list[_Cue]:
        low, high = bisect_right(self.cue_starts, start - 1), bisect_right(self.cue_starts, end - 1)
        return self.cues[low:high]

    def _cues(self) -> Iterable[_Cue]:
        for match in _CUE.finditer(self.folded):
            yield _Cue(match.start(), _CUE_KIND.get(match[0]) or _CUE_KIND[_guarded_word(match[0])])
        for match in _YEAR.finditer(self.folded):
            year = int(match["year"]) if match["year"] else self.facts.date.year
            yield _Cue(match.start(), TARGETS if year > self.facts.review_year else ACHIEVEMENTS, year)

    def _heading_scopes(self, line_starts: set[int]) -> list[_Scope]:
        """Numbered headings (一、 at level 1, (一) at level 2) whose words name a part: their section."""
        headings = []
        starts = line_starts | set(self.sentence_starts)
        for match in _HEADING.finditer(self.folded):
            if match.start() in starts:
                headings.append((match.start(), 1 if match[0].endswith("、") else 2, self._heading_part(match)))
        scopes = []
        for index, (start, level, part) in enumerate(headings):
            end = next((other for other, other_level, _ in headings[index + 1:] if other_level <= level),
                       len(self.folded))
            if part is not None:
                scopes.append(_Scope(start, end, part))
        return scopes

    def _heading_part(self, match: re.Match[str]) -> str | None:
        stop = _HEADING_END.search(self.folded, match.end())
        heading = self.folded[match.end():stop.start() if stop else len(self.folded)]
        if any(word in heading for word in _HEADING_PAST):
            return ACHIEVEMENTS
        if any(word in heading for word in _HEADING_TARGET):
            return TARGETS
        return self._cue_before(match.end(), match.end() + len(heading))

    def _announcement_scopes(self, lines: list[int]) -> list[_Scope]:
        scopes = []
        for match in _ANNOUNCEMENT.finditer(self.folded):
            part = TARGETS if match["targets"] else ACHIEVEMENTS
            end = max(self._sentence_end(match.end()), self._items_end(match.end(), lines))
            scopes.append(_Scope(match.start(), end, part))
        return scopes

    def _sentence_end(self, position: int) -> int:
        following = bisect_right(self.sentence_starts, position)
        return self.sentence_starts[following] if following < len(self.sentence_starts) else len(self.folded)

    def _items_end(self, colon_end: int, lines: list[int]) -> int:
        """Where the items after a colon that ends its line stop: at the first line that is not an
        item (short, ending in a clause or sentence mark). A colon inside a line opens no such list."""
        if colon_end not in lines:
            return colon_end
        bounds = lines[lines.index(colon_end):] + [len(self.folded)]
        end = colon_end
        for start, stop in zip(bounds, bounds[1:]):
            line = self.folded[start:stop]
            if not line or len(line) > _ITEM_LINE or line[-1] not in _CLAUSE_MARKS:
                break
            end = stop
        return end

    def _list_scopes(self) -> list[_Scope]:
        """Numbered lists (一是, 二是…) introduced by a sentence with a cue: the items hold that part."""
        scopes = []
        for items in _item_series(self.folded, _ITEM) + _item_series(self.folded, _SUBHEADING):
            first = items[0]
            sentence = self.sentence_starts[bisect_right(self.sentence_starts, first) - 1]
            introduction = sentence if sentence < first else self.sentence_starts[
                max(0, bisect_right(self.sentence_starts, first - 1) - 1)]
            part = self._cue_before(introduction, first)
            if part is None:
                continue
            longest = max(later - earlier for earlier, later in zip(items, items[1:]))
            end = min(items[-1] + _LIST_REACH * longest, len(self.folded))
            scopes.append(_Scope(first, end, part))
        return scopes


def _guarded_word(matched: str) -> str:
    return next(word for word in _GUARDED_CUES if word in matched)


def _item_series(folded: str, marker: re.Pattern[str] = _ITEM) -> list[list[int]]:
    """Where each numbered list's items (一是, 二是…) start; a list starts again at 一是."""
    series: list[list[int]] = []
    expected = 1
    for match in marker.finditer(folded):
        try:
            number = chinese_numeral(match[1])
        except ValueError:
            continue
        if number == 1:
            series.append([match.start()])
            expected = 2
        elif number == expected and series:
            series[-1].append(match.start())
            expected += 1
    return [items for items in series if len(items) > 1]


def line_starts(raw: str) -> list[int]:
    """Where the lines of a source start, as offsets into its canonical text (a heading stands on a
    line of its own; canonical text has no line breaks)."""
    text = unicodedata.normalize("NFC", raw.removeprefix("\ufeff"))
    canonical = canonical_text(raw)
    starts, position, spaced = [0], 0, False
    for char in text:
        white = char.isspace() or char == "\ufeff"
        if position < len(canonical) and (char == canonical[position] or white and not spaced and canonical[position] == " "):
            spaced = white
            position += 1
        if char == "\n":
            starts.append(position)
        if not white:
            spaced = False
    return starts


@dataclass
class _Section:
    id: str
    part: str
    number: int
    heading: str
    start: int


def _sections(text: str, placement: Placement) -> list[_Section]:
    """Numbered items 一是, 二是…; a new series starts whenever the numbering starts again at 一."""
    sections: list[_Section] = []
    series_count: dict[str, int] = {}
    folded = fold(text)
    for items in _item_series(folded):
        part = placement.part_at(items[0])
        series_count[part] = series_count.get(part, 0) + 1
        series = part if series_count[part] == 1 else f"{part}-{'abcdefghij'[min(series_count[part], 10) - 1]}"
        for number, start in enumerate(items, 1):
            heading_start = start + len(_ITEM.match(folded, start)[0])
            end = _HEADING_END.search(text, heading_start)
            heading = text[heading_start: end.start() if end else len(text)]
            if heading:
                sections.append(_Section(f"{series}-{number}", part, number, heading, start))
    return sections


# --- Quotes: one clause, holding its figure once ----------------------------------------------------

_CLAUSE_MARKS = frozenset("，；。：！？,;:!?.（）()")
_LIST_SEPARATORS = "、和与及"
_BULLETS = "◆●■▲•·—-"


def _clause(text: str, found: Found, others: list[Found]) -> tuple[int, int]:
    """The clause around a figure: between punctuation (half-width too) and brackets, narrowed at 、
    unless the clause is one 分别 statement, and narrowed further while its figure occurs twice."""
    start, end = _clause_bounds(text, found.start, found.end)
    if "分别" not in fold(text[start:end]):
        start = max(start, text.rfind("、", start, found.start) + 1)
        stop = text.find("、", found.end, end)
        end = stop if stop >= 0 else end
    for other in others:  # the same figure again in the clause: stop short of it
        if other.figure == found.figure and other is not found and start <= other.start < end:
            if other.start < found.start:
                start = max(start, _after_separator(text, other.end, found.start))
            else:
                end = min(end, other.start)
    while start < found.start and text[start] in _BULLETS:
        start += 1
    while end > found.end and text[end - 1] in _LIST_SEPARATORS:
        end -= 1
    return start, end


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause marks around ``text[start:end]``."""
    while start > 0 and not _ends_clause(text, start - 1):
        start -= 1
    while end < len(text) and not _ends_clause(text, end):
        end += 1
    return start, end


def _ends_clause(text: str, position: int) -> bool:
    """A clause mark, but not a colon or comma between two digits (a ratio 15.4:38.5, 1,200)."""
    if text[position] not in _CLAUSE_MARKS:
        return False
    between_digits = 0 < position < len(text) - 1 and text[position - 1].isdigit() and text[position + 1].isdigit()
    return not between_digits


def _after_separator(text: str, start: int, limit: int) -> int:
    positions = [position + 1 for mark in _LIST_SEPARATORS if (position := text.find(mark, start, limit)) >= 0]
    return min(positions) if positions else start


# --- What a stub says ------------------------------------------------------------------------------

_GROWTH_ONLY_UNITS = frozenset({"个百分点", "个千分点", "倍", "番"})


def _kind(text: str, found: Found) -> str:
    quantity = found.quantity
    assert quantity is not None
    if quantity.unit in _GROWTH_ONLY_UNITS:
        return "growth"
    if quantity.unit in RATIO_UNITS:
        return "growth" if found.direction is not None else "share"
    before = fold(text[max(0, found.start - 2):found.start])
    if quantity.prefix == "连续" or before.endswith("连续") or (quantity.unit or "").startswith("连"):
        return "streak"
    if quantity.prefix in ("第", "前") or quantity.unit in RANK_UNITS or quantity.unit == "位":
        return "rank"
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


class CodebookEntry(Protocol):
    """What the draft reads of an indicator of the codebook (models.Indicator)."""

    code: str
    name: str
    name_en: str
    unit: str
    also_written: list[str]


_BEFORE_A_FIGURE = re.compile(r"(?:达到|突破|超过|不超过|控制在|为|达|约|近|了|的)+$")


def _codebook_guess(before: str, unit: str | None, codebook: Sequence[CodebookEntry]) -> CodebookEntry | None:
    """The codebook's indicator whose name the words before the figure end with (区属地区生产总值增长
    is 地区生产总值增长), the longest such name, and only where the figure's unit is the indicator's."""
    words = _BEFORE_A_FIGURE.sub("", fold(before))
    fitting = [entry for entry in codebook if words.endswith(fold(entry.name))
               and unit is not None and unit in (entry.unit, *entry.also_written)]
    return max(fitting, key=lambda entry: len(entry.name), default=None)


# --- What is not a figure to record --------------------------------------------------------------


@dataclass(frozen=True)
class _Around:
    """What the rules below read: the text, folded, the figure, the meeting, the figures found."""

    text: str
    folded: str
    found: Found
    facts: MeetingFacts
    class_starts: frozenset[int]  # where a size-class figure (千亿级) starts

    @property
    def after(self) -> str:
        return self.folded[self.found.end:self.found.end + 16]

    @property
    def before(self) -> str:
        return self.folded[max(0, self.found.start - 16):self.found.start]


Reason = tuple[str, str | None]
_MEETING_AFTER = re.compile(
    r"^(?:第?[一二三四五六七八九十0-9]+(?:次|中)、?)*(?:人大|人民代表大会|全会|全体会议|中全会|党代会|代表大会|委员会|会议|政协)")
_ITEM_COUNT_AFTER = re.compile(r"^(?:重点工作|重点任务|关键点|方面|任务|大事|工作|举措|措施|[^，,。；;：:、0-9]{0,12}?指标)")
_SET_PHRASES = ("确立", "维护", "意识", "自信", "全面", "底线", "红线", "大事", "一百年", "代表", "规定", "务必")
_LIST_TITLE_AFTER = re.compile(r"^[县区市城企镇乡村榜]")
_QUOTES = {"“": "”", "「": "」", "‘": "’", "『": "』", '"': '"'}
_SHORT_QUOTE = 12  # characters: a quoted name or slogan, not a quoted sentence
_NAME_AFTER_NUMBER = re.compile(r"^[\u4e00-\u9fff]")
_NOT_A_NAME_AFTER = "、和与及至到或比以左多余上下约万亿千百年月日时分"
_BENCHMARK_BEFORE = re.compile(r"(?:全国|全省|全市|全区|全州|全县|国家|平均)[^，,。；;：:()（）]{0,8}$")
_CAPACITY_BEFORE = re.compile(r"(?:年产|日产|年处理|日处理|年加工|年吞吐|产能|装机)[^，,。；;：:、]{0,3}$")
_PROJECT_AFTER = re.compile(r"^[^，,。；;：:、]{0,15}?(?:项目|工程|生产线|电站|基地|工厂)")
_POWER_UNITS = ("MW", "GW", "kW", "KW", "千瓦", "兆瓦")
_VOLTAGE_UNITS = ("千伏", "kV", "KV")
_SPAN_UNITS = ("年", "日", "天", "个月")
_CAMPAIGN_AFTER = re.compile(r"^(?:行动|攻坚|计划|规划|会战|专项|大会战|提升行动|行动计划)")
_SPAN_OF_YEARS = ("过去", "近", "这", "今后", "未来", "前")
_VAGUE_AFTER_ONE = re.compile(r"^(?:时期|阶段|时段|段时间|时候)")


def _is_date(around: _Around) -> Reason | None:
    return ("date", None) if around.found.date_like else None


def _is_marked_aside(around: _Around) -> Reason | None:
    if around.found.aside == Aside.document_number:
        return "name", "a document number"
    if around.found.aside == Aside.class_threshold:
        return "name", "a size threshold in the name of a class (以上 and 级 belong to the name)"
    return None


def _is_unreadable(around: _Around) -> Reason | None:
    return ("other", "TODO: the grammar cannot read this figure") if around.found.quantity is None else None


def _is_meeting_number(around: _Around) -> Reason | None:
    """十四届人大二次会议, 七届十一次全会, 第四次会议: a term or session number, 第 or not."""
    quantity = around.found.quantity
    if quantity.unit not in ("届", "次"):
        return None
    if _MEETING_AFTER.match(around.after):
        return "meeting_identity", None
    if quantity.prefix == "第" and quantity.value in (around.facts.term, around.facts.plenary):
        return "meeting_identity", None
    return None


def _is_in_a_quoted_name(around: _Around) -> Reason | None:
    """A figure inside a short quoted name or slogan (“五位一体”, 「十强县」) that is more than the figure."""
    found, text = around.found, around.text
    opening = max(text.rfind(mark, max(0, found.start - _SHORT_QUOTE), found.start) for mark in _QUOTES)
    if opening < 0 or _QUOTES[text[opening]] in text[opening + 1:found.start]:
        return None  # no quote open at the figure
    closing = text.find(_QUOTES[text[opening]], found.end, found.end + _SHORT_QUOTE)
    inside = text[opening + 1:closing]
    if closing < 0 or any(mark in inside for mark in _CLAUSE_MARKS) or inside == found.figure:
        return None
    return "name", "part of a quoted name or slogan"


def _is_set_phrase(around: _Around) -> Reason | None:
    """两个确立, 两条底线, 四个全面, 三次产业: a Chinese-numeral count fused into a set phrase."""
    quantity = around.found.quantity
    if quantity.number_as_written.isdigit():
        return None
    if around.after.startswith(_SET_PHRASES) or quantity.unit == "次" and around.after.startswith("产业"):
        return "name", "a set phrase"
    return None


def _is_a_list_title(around: _Around) -> Reason | None:
    """十强县, 全市“百强”: the title of a ranking list, not a rank."""
    quantity, text, found = around.found.quantity, around.text, around.found
    quoted = found.start > 0 and text[found.start - 1] in _QUOTES and text[found.end:found.end + 1] in _QUOTES.values()
    if quantity.unit == "强" and (_LIST_TITLE_AFTER.match(around.after) or quoted):
        return "name", "the title of a ranking list"
    return None


def _is_a_count_of_a_class(around: _Around) -> Reason | None:
    """三个千亿级产业: a count fused with a size class names a group."""
    return ("name", "a group named by a size class") if around.found.end in around.class_starts else None


def _is_anniversary(around: _Around) -> Reason | None:
    return ("other", "an anniversary") if around.after.startswith("周年") else None


def _is_chart_number(around: _Around) -> Reason | None:
    quantity = around.found.quantity
    if quantity.unit is None and around.before.endswith(("图", "表")):
        return "other", "a chart or table number"
    return None


def _is_a_number_in_a_name(around: _Around) -> Reason | None:
    """8郊区, 12345热线, 3号线: a bare number straight before a word (not a unit, list or bound word)."""
    quantity = around.found.quantity
    if quantity.unit or quantity.multiplier or quantity.prefix or not _NAME_AFTER_NUMBER.match(around.after):
        return None
    return None if around.after[0] in _NOT_A_NAME_AFTER else ("name", "a number inside a name")


def _is_vague(around: _Around) -> Reason | None:
    """一年, 一批, 一个时期, 两位数, 数十家: no measured quantity."""
    quantity = around.found.quantity
    if quantity.number_as_written in ("十", "百", "千") and around.before.endswith(("数", "几")):
        return "vague", None  # 数十家, 几百人: dozens, hundreds
    if quantity.number_as_written == "一" and (quantity.unit in ("年", "批")
                                              or quantity.unit == "个" and _VAGUE_AFTER_ONE.match(around.after)):
        return "vague", None
    if quantity.unit == "位" and around.after.startswith("数"):
        return "vague", None
    if quantity.unit == "年" and around.before.endswith(_SPAN_OF_YEARS):
        return "vague", "a span of years (过去五年)"
    return None


def _is_item_count(around: _Around) -> Reason | None:
    if around.found.quantity.unit in COUNT_UNITS and _ITEM_COUNT_AFTER.match(around.after):
        return "item_count", None
    return None


def _is_a_benchmark(around: _Around) -> Reason | None:
    """高于全省平均增速(16.8%): another area's figure, alone in brackets after its name."""
    found, text = around.found, around.text
    if found.start == 0 or text[found.start - 1] not in "(（":
        return None
    rest = fold(text[found.end:found.end + 4])
    closing = re.match(r"^(?:以上|左右|以内|以下)?[)）]", rest)
    if closing and _BENCHMARK_BEFORE.search(around.folded[:found.start - 1]):
        return "other", "another area's benchmark, in brackets"
    return None


def _is_a_capacity_in_a_name(around: _Around) -> Reason | None:
    """年产10万吨锂电材料项目, 200MW光伏电站项目: a capacity that names a project."""
    quantity = around.found.quantity
    names_a_project = _PROJECT_AFTER.match(around.after) is not None
    if names_a_project and (_CAPACITY_BEFORE.search(around.before) or quantity.unit in _POWER_UNITS
                            and _NAME_AFTER_NUMBER.match(around.after)):
        return "name", "a capacity in a project's name"
    return None


def _is_a_campaign_name(around: _Around) -> Reason | None:
    """三年行动, 百日攻坚: a span of time that names a campaign or plan."""
    if around.found.quantity.unit in _SPAN_UNITS and _CAMPAIGN_AFTER.match(around.after):
        return "name", "the name of a campaign or plan"
    return None


def _is_a_voltage_class(around: _Around) -> Reason | None:
    """220千伏变电站: a voltage names a class of lines and substations."""
    if around.found.quantity.unit in _VOLTAGE_UNITS and _NAME_AFTER_NUMBER.match(around.after):
        return "name", "a voltage class in a name"
    return None


def _is_an_ordinal(around: _Around) -> Reason | None:
    """第四次亲临: the Nth time something happened, not a measured quantity."""
    quantity = around.found.quantity
    if quantity.prefix == "第" and quantity.unit == "次":
        return "other", "TODO: check: an ordinal (the Nth time), not a measured quantity"
    return None


# In order: the first rule that speaks gives the reason; none speaks for a value.
_NOT_RECORDED_RULES: tuple[Callable[[_Around], Reason | None], ...] = (
    _is_in_a_quoted_name, _is_date, _is_marked_aside, _is_unreadable, _is_meeting_number, _is_set_phrase,
    _is_a_list_title, _is_a_count_of_a_class, _is_anniversary, _is_chart_number, _is_vague, _is_item_count,
    _is_a_benchmark, _is_a_capacity_in_a_name, _is_a_campaign_name, _is_a_voltage_class, _is_an_ordinal,
    _is_a_number_in_a_name,
)


def not_recorded_reason(around: _Around) -> Reason | None:
    """A guessed reason why a figure is not an achievement or target, or None for a record stub."""
    for rule in _NOT_RECORDED_RULES:
        reason = rule(around)
        if reason is not None:
            return reason
    return None


# --- Who took part --------------------------------------------------------------------------------

_TITLES = ("书记", "市长", "省长", "区长", "县长", "州长", "旗长", "盟长", "主席", "主任", "组长", "部长", "秘书长", "常委")
_BODY_ENDINGS = ("常委会", "委员会", "主席团", "政府", "领导小组")
_ROLE_VERB = re.compile(
    r"(?P<presided>主持)|作(?P<report>[^，,。；;]{0,10}?)报告|(?P<reported>报告工作)"
    r"|(?<!决策)(?P<deployed>部署)(?P<subject>[^，,。；;]{2,20})|(?P<spoke>讲话)|(?P<guided>到会指导|莅临指导)")
_FILLER_AFTER_WHO = re.compile(r"(?:出席会议并|出席并|到会并|在会上|在会议上|并|作重要|发表重要|发表|作|向全会|向大会|向会议)+$")
_ENTRUSTED = re.compile(r"受(?P<body>[^，,。；;]{2,12}?)委托$")
_OPENING = 1500  # characters: who took part is said at the start
_MAX_WHO = 30


def participants(text: str) -> list[dict[str, str]]:
    """Who presided, reported, deployed or guided, from the 主持/报告/讲话/部署 sentences at the start.

    A speech (讲话) is taken as guidance where the speaker attended (出席, 到会), else as deploying the
    work: a curator checks every role."""
    found: list[dict[str, str]] = []
    for sentence in re.split(r"[。！？!?]", text[:_OPENING]):
        folded = fold(sentence)
        for verb in _ROLE_VERB.finditer(folded):
            entry = _participant(sentence, folded, verb)
            if entry is not None and (entry["role"], entry["name"]) not in {(e["role"], e["name"]) for e in found}:
                found.append(entry)
    return found or [{"role": "presided", "name": "TODO"}]


def _participant(sentence: str, folded: str, verb: re.Match[str]) -> dict[str, str] | None:
    clause_start = max(folded.rfind(mark, 0, verb.start()) for mark in "，,；;：:由") + 1
    who = sentence[clause_start:verb.start()]
    who = who[:len(who) - len(_FILLER_AFTER_WHO.search(fold(who))[0])] if _FILLER_AFTER_WHO.search(fold(who)) else who
    on_behalf_of = None
    entrusted = _ENTRUSTED.search(who)
    if entrusted is not None:  # 市委书记陈明受市委常委会委托: for the body that entrusted them
        who, on_behalf_of = who[:entrusted.start()], entrusted["body"]
    elif "代表" in who:
        who, on_behalf_of = who.split("代表", 1)
    person = _person(who)
    if person is None:
        return None
    entry = {"role": _role(verb, folded), **person}
    if on_behalf_of:
        entry["on_behalf_of"] = on_behalf_of
    subject = verb["subject"] or verb["report"]
    if subject:
        entry["subject"] = sentence[verb.start("subject" if verb["subject"] else "report"):
                                    verb.end("subject" if verb["subject"] else "report")]
    return entry


def _role(verb: re.Match[str], folded: str) -> str:
    if verb["presided"]:
        return "presided"
    if verb["deployed"]:
        return "deployed"
    if verb["spoke"] is None and verb["guided"] is None:
        return "reported"
    if verb["guided"] or any(word in folded for word in ("出席", "到会", "莅临")):
        return "guided"
    return "deployed"


def _person(who: str) -> dict[str, str] | None:
    """A name after the last title (市委副书记、市长贺海东), or a body (市委常委会) as it stands; None
    for anything else (全会, a long phrase)."""
    folded = fold(who)
    if not who or len(who) > _MAX_WHO or folded.startswith(("全会", "会议", "大会", "会上", "报告")):
        return None
    if folded.endswith(_BODY_ENDINGS):
        return {"name": who}
    cut = max((folded.rfind(title) + len(title) for title in _TITLES if title in folded), default=0)
    if cut == 0:
        return {"name": who} if 2 <= len(who) <= 4 else None
    if cut == len(who):
        return None
    return {"name": who[cut:], "position": who[:cut]}


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


def _period(part: str, facts: MeetingFacts, named: int | None) -> int:
    """The year a sentence names when it fits the part and the meeting (achievements report the
    meeting's year or the one before, targets its year or the one after, as validation checks);
    else the year reviewed, or the one after."""
    held = facts.date.year
    allowed = (held, held + 1) if part == TARGETS else (held - 1, held)
    if named is not None and (named > facts.review_year) == (part == TARGETS) and named in allowed:
        return named
    return facts.review_year + 1 if part == TARGETS else facts.review_year


def draft_document(source: SourceText, relative_file: str, facts: MeetingFacts,
                   codebook: Sequence[CodebookEntry] = ()) -> dict[str, Any]:
    """The draft; a stub whose indicator the codebook knows, in a unit that fits, gets its code."""
    text = source.text
    the_id = meeting_id(facts.admin_code, facts.term, facts.plenary)
    figures = find_figures(text)
    placement = Placement(text, facts, line_starts(source.raw.decode("utf-8")))
    sections = _sections(text, placement)
    folded = fold(text)
    class_starts = frozenset(found.start for found in figures if found.aside == Aside.class_threshold)
    records: dict[str, list[dict[str, Any]]] = {ACHIEVEMENTS: [], TARGETS: []}
    not_recorded = []
    for found in figures:
        guess = not_recorded_reason(_Around(text, folded, found, facts, class_starts))
        if guess is not None:
            reason, note = guess
            not_recorded.append({"figure": found.figure, "at": found.start, "reason": reason,
                                 **({"note": note} if note else {})})
            continue
        part = placement.part_at(found.start)
        record = _stub(text, found, figures, part, facts, codebook)
        record["id"] = f"{the_id}-{part[0]}{len(records[part]) + 1:03d}"
        section = next((s.id for s in reversed(sections) if s.start <= found.start and s.part == part), None)
        if section:
            record["section"] = section
        record["period"] = _period(part, facts, placement.year_at(found.start))
        records[part].append(_ordered(record))
    return {
        "draft": True,
        "source": {"id": f"{the_id}-communique", "title": _last_line_title(source), "issuing_body": facts.body,
                   "file": relative_file, "sha256": source.sha256},
        "meeting": {"id": the_id, "source_id": f"{the_id}-communique", "title": "TODO", "body": facts.body,
                    "body_en": "TODO", "admin_code": facts.admin_code, "place": facts.place, "place_en": "TODO",
                    "term": facts.term, "plenary": facts.plenary, "kind": "plenary_session",
                    "date": facts.date.isoformat(),
                    "participants": participants(text),
                    "sections": [{"id": s.id, "part": s.part, "number": s.number, "heading": s.heading}
                                 for s in sections]},
        **records,
        "not_recorded": not_recorded,
    }


_STUB_ORDER = ("id", "section", "period", "indicator", "indicator_en", "indicator_code", "kind", "figure", "number",
               "multiplier", "unit", "value", "bound", "cumulative", "aspirational", "note", "quote", "quote_start",
               "quote_end")


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in _STUB_ORDER if key in record}


def _stub(text: str, found: Found, figures: list[Found], part: str, facts: MeetingFacts,
          codebook: Sequence[CodebookEntry]) -> dict[str, Any]:
    """One achievement or target as the text gives it: figure, parse, quote and a guessed indicator."""
    quantity = found.quantity
    assert quantity is not None
    start, end = _clause(text, found, figures)
    quote = text[start:end]
    indicator = _indicator(quote, found.start - start)
    known = _codebook_guess(quote[:found.start - start], quantity.unit, codebook)
    record: dict[str, Any] = {
        "indicator": indicator,
        "indicator_en": known.name_en if known else "TODO: English gloss",
        "indicator_code": known.code if known else UNKNOWN_INDICATOR,
        "kind": _kind(text, found),
        "figure": found.figure,
        "number": quantity.number,
        **({"multiplier": quantity.multiplier} if quantity.multiplier else {}),
        **({"unit": quantity.unit} if quantity.unit else {}),
        "value": quantity.value,
        "bound": found.bound.value,
        "cumulative": "累计" in fold(quote),
        "quote": quote, "quote_start": start, "quote_end": end,
    }
    if part == TARGETS:
        record["aspirational"] = any(word in fold(quote) for word in _ASPIRATIONAL)
    if quantity.number < 0:
        record["note"] = ("TODO: the text prints a minus sign (a fall): the value is negative, which the record "
                          "model does not take yet")
    elif found.direction == Direction.down:
        record["note"] = "TODO: a fall (the words say so): check the direction"
    return record


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
