"""The checks of one meeting file on its own: against its source text, its sections and its meeting.

They run where the file is read (in a worker process when there are many files) and never look at
another file, so their outcome depends only on the file's bytes, the bytes and place of the source
it cites and commdata's own code: which is what lets the cache (cache.py) reuse it. What the
checks across files (cross_checks.py) need from the file is kept in its FileFacts: ids, periods, indicator
codes, units and outcome links, a small fraction of the records' size.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from commdata.domain.coverage import context, coverage
from commdata.errors import Problem
from commdata.records.facts import PARTS, file_facts, records
from commdata.records.loading import LoadedFile, problem_at
from commdata.records.source_files import source_state
from commdata.domain.models import (
    FigureKind,
    FigureRecord,
    MeetingFile,
    Part,
    Section,
    Target,
    meeting_id,
)
from commdata.domain.detect import figure_reading
from commdata.domain.quantities import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    QuantityError,
    base_value,
    occurrences_at_number_boundary,
    plain,
)
from commdata.domain.sources import SourceText

MAX_DECIMAL_PLACES = DECIMAL_SCALE  # the published decimal's scale: more places would round
MAX_INTEGER_DIGITS = DECIMAL_PRECISION - DECIMAL_SCALE
CUMULATIVE_WORDS = ("累计",)
ASPIRATIONAL_WORDS = ("争取", "力争", "争创")
FORMULA_STARTS = ("=", "+", "-", "@")  # what makes a spreadsheet read a CSV cell as a formula (models.py)
PERCENT_UNITS = {"%", "％", "个百分点", "‰", "个千分点"}  # ％ is the full-width percent sign some texts use
KIND_UNITS: dict[FigureKind, set[str | None]] = {
    FigureKind.share: {"%", "％", "‰", "成"},
    FigureKind.growth: {"%", "％", "个百分点", "倍", "‰", "个千分点", "成", "番"},
}


Report = Callable[[str, str, str], None]  # (code, message, field): adds a problem about one record


def check_meeting_file(loaded: LoadedFile, data_root: Path) -> tuple[SourceText | None, str | None]:
    """Run the file's own checks, adding problems to ``loaded.problems`` and its facts to
    ``loaded.facts``. Returns its source text when it can be quoted and published, and the state of
    its source file (see source_state), or None when the file has no usable model to check."""
    model = loaded.model or loaded.partial
    if model is None:
        return None, None
    problems = loaded.problems
    source, state = _check_source(problems, data_root, loaded, model)
    _check_meeting(problems, loaded, model, source)
    if model.draft:
        problems.append(problem_at(loaded, "draft-not-reviewed", "the file says draft: true", ("draft",), model.meeting.id))
    seen: set[str] = set()
    for index, section in enumerate(model.meeting.sections):
        if section.id in seen:
            problems.append(problem_at(loaded, "duplicate-id", f"section {section.id!r} is listed twice",
                                     ("meeting", "sections", index, "id"), model.meeting.id))
        seen.add(section.id)
    if source is not None:
        text = source.text
        sections = {section.id: section for section in model.meeting.sections}
        spans = section_spans(model, text)
        for part in PARTS:
            for index, record in records(model, part):
                _check_record(model, part, record, text, sections, spans, _reporter(problems, loaded, part, index, record.id))
        _check_coverage(problems, loaded, model, text)
    loaded.facts = file_facts(model, source is not None)
    return source, state


def _reporter(problems: list[Problem], loaded: LoadedFile, part: Part, index: int, record_id: str) -> Report:
    def report(code: str, message: str, field_name: str) -> None:
        problems.append(problem_at(loaded, code, message, (part.value, index, field_name), record_id))
    return report



def _check_source(problems: list[Problem], data_root: Path, loaded: LoadedFile,
                  model: MeetingFile) -> tuple[SourceText | None, str]:
    """Check the source file's place, bytes and hash: its text when it can be used, and its state."""
    source, where = model.source, ("source", "file")
    text, state = source_state(data_root, source.file)
    if text is None:
        if state == "outside":
            message, code = f"{source.file} leaves the data folder {data_root.resolve()}", "source-path"
        elif state == "missing":
            message, code = f"no regular file at {data_root / source.file}", "source-missing"
        else:
            message, code = f"cannot read {source.file}: {state.removeprefix('unreadable: ')}", "source-missing"
        problems.append(problem_at(loaded, code, message, where, source.id))
        return None, state
    if text.sha256 != source.sha256:
        problems.append(problem_at(
            loaded, "source-hash-mismatch", f"{source.file} has SHA-256 {text.sha256}, the record says {source.sha256}",
            ("source", "sha256"), source.id))
        return None, state
    try:
        text.text
    except UnicodeDecodeError as error:
        problems.append(problem_at(loaded, "file-encoding", f"{source.file} is not UTF-8: {error.reason}", where, source.id))
        return None, state
    if not text.text:  # the published text column is never empty
        problems.append(problem_at(loaded, "source-empty", f"{source.file} holds no text once whitespace is removed",
                                   where, source.id))
        return None, state
    if text.text.startswith(FORMULA_STARTS):  # the sources table publishes the text as a CSV cell
        problems.append(problem_at(loaded, "csv-formula", f"the canonical text of {source.file} begins with "
                                   f"{text.text[0]!r}: a spreadsheet would run its CSV cell as a formula", where, source.id))
    return text, state


def _check_record(model: MeetingFile, part: Part, record: FigureRecord, text: str, sections: dict[str, Section],
                  spans: dict[str, tuple[int, int]], report: Report) -> None:
    """The checks of one record against its meeting and its source text."""
    meeting = model.meeting
    if not record.id.startswith(meeting.id + "-"):
        report("id-mismatch", f"the id must start with the meeting id {meeting.id}-", "id")
    if record.section is not None:
        section = sections.get(record.section)
        if section is None:
            report("unresolved-reference", f"section {record.section!r} is not in meeting.sections", "section")
        elif section.part != part:
            report("unresolved-reference", f"section {record.section!r} belongs to {section.part.value}, "
                   f"not {part.value}", "section")
    _check_period(record, part, meeting.date.year, report)
    if not _check_quote(record, text, report):
        return
    span = spans.get(record.section) if record.section else None
    if span is not None and not (span[0] <= record.quote_start and record.quote_end <= span[1]):
        report("section-mismatch", f"the quote at {record.quote_start}..{record.quote_end} lies outside section "
               f"{record.section!r}, which spans {span[0]}..{span[1]} of the text", "section")
    _check_flags(record, report)
    if record.figure is not None:
        _check_figure(record, text, report)



def _check_coverage(problems: list[Problem], loaded: LoadedFile, model: MeetingFile, text: str) -> None:
    items, unmatched = coverage(model, text)
    indices = {id(mark): index for index, mark in enumerate(model.not_recorded)}
    for item in items:
        found = item.found
        if item.status == "uncited":
            problems.append(problem_at(
                loaded, "uncited-figure", f"{found.figure!r} at {found.start} ({context(text, found.start, found.end)}) "
                f"is neither cited by a record nor listed under not_recorded", ("not_recorded",), model.meeting.id))
        elif item.records and item.mark is not None:
            problems.append(problem_at(
                loaded, "mark-cited", f"{found.figure!r} at {found.start} is cited by {', '.join(item.records)}",
                ("not_recorded", indices[id(item.mark)]), model.meeting.id))
    for index, mark in unmatched:
        problems.append(problem_at(
            loaded, "mark-not-found", f"no figure {mark.figure!r} starts at {mark.at} of the canonical text "
            f"(there: {context(text, mark.at, mark.at + len(mark.figure))})", ("not_recorded", index, "at"),
            model.meeting.id))



def section_spans(model: MeetingFile, text: str) -> dict[str, tuple[int, int]]:
    """Where each section's text runs: from its heading to the next section's heading (or the end).
    Empty when a heading cannot be found (that is reported on its own)."""
    starts = {section.id: text.find(section.heading) for section in model.meeting.sections}
    if any(start < 0 for start in starts.values()):
        return {}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start for _, start in ordered[1:]] + [len(text)]
    return {section_id: (start, end) for (section_id, start), end in zip(ordered, ends)}


def _check_period(record: FigureRecord, part: Part, year: int, report: Report) -> None:
    allowed = (year - 1, year) if part == Part.achievements else (year, year + 1)
    if not allowed[0] <= record.period <= allowed[1]:
        what = "achievements report" if part == Part.achievements else "targets set"
        report("period-mismatch", f"period {record.period}: for a meeting in {year}, {what} "
               f"{allowed[0]} or {allowed[1]}", "period")


def _check_quote(record: FigureRecord, text: str, report: Report) -> bool:
    if record.quote.startswith(FORMULA_STARTS):
        report("csv-formula", f"the quote begins with {record.quote[0]!r}: a spreadsheet would run its CSV cell as a "
               f"formula; start it one character later (quote_start {record.quote_start + 1})", "quote")
    if record.quote_end > len(text):
        report("quote-out-of-range", f"quote_end {record.quote_end} is past the end of the text "
               f"({len(text)} characters)", "quote_end")
        return False
    found = text[record.quote_start:record.quote_end]
    if found != record.quote:
        elsewhere = text.find(record.quote)
        hint = (f"the quote occurs at {elsewhere}..{elsewhere + len(record.quote)}: fix quote_start and quote_end"
                if elsewhere >= 0 else "the quote does not occur anywhere in the canonical text: copy it verbatim")
        report("quote-not-in-source", f"text at {record.quote_start}..{record.quote_end} is {found!r}; {hint}", "quote")
        return False
    return True


def _check_flags(record: FigureRecord, report: Report) -> None:
    says_cumulative = any(word in record.quote for word in CUMULATIVE_WORDS)
    if record.cumulative != says_cumulative:
        report("flag-mismatch", f"cumulative is {str(record.cumulative).lower()} but the quote "
               f"{'says' if says_cumulative else 'does not say'} 累计", "cumulative")
    if isinstance(record, Target):
        says_aspirational = any(word in record.quote for word in ASPIRATIONAL_WORDS)
        if record.aspirational != says_aspirational:
            report("flag-mismatch", f"aspirational is {str(record.aspirational).lower()} but the quote "
                   f"{'has' if says_aspirational else 'has none of'} {'/'.join(ASPIRATIONAL_WORDS)}", "aspirational")


def _check_figure(record: FigureRecord, text: str, report: Report) -> None:
    figure = record.figure
    assert figure is not None
    places = occurrences_at_number_boundary(record.quote, figure)
    if not places:
        report("figure-not-in-quote", f"{figure!r} does not occur in the quote at a number boundary", "figure")
        return
    if len(places) > 1:
        report("figure-ambiguous", f"{figure!r} occurs {len(places)} times in the quote: narrow the quote", "figure")
        return
    start = record.quote_start + places[0]
    try:  # as the detector reads it, so that parse, draft and validate agree (分别 lists, class names)
        reading = figure_reading(text, start, figure)
    except QuantityError as error:
        report("figure-unparseable", str(error), "figure")
        return
    parsed, bound, word = reading.quantity, reading.bound, reading.bound_word
    assert parsed is not None
    multiplier = record.multiplier.value if record.multiplier is not None else None
    for name, stored, expected in (("number", record.number, parsed.number), ("multiplier", multiplier, parsed.multiplier),
                                   ("unit", record.unit, parsed.unit), ("value", record.value, parsed.value)):
        if stored != expected:
            report("value-mismatch", f"{name} is {_show(stored)} but {figure!r} parses to {_show(expected)}", name)
    if record.number is not None and record.value is not None and record.value != base_value(record.number, multiplier):
        report("base-value-mismatch", f"value {_show(record.value)} is not {_show(record.number)} × "
               f"{multiplier or 1} = {_show(base_value(record.number, multiplier))}", "value")
    for name in ("number", "value"):
        stored = getattr(record, name)
        if isinstance(stored, Decimal) and -stored.as_tuple().exponent > MAX_DECIMAL_PLACES:  # type: ignore[operator]
            report("precision-exceeded", f"{name} {stored} has more than {MAX_DECIMAL_PLACES} decimal places", name)
        elif isinstance(stored, Decimal) and stored.adjusted() >= MAX_INTEGER_DIGITS:
            report("precision-exceeded", f"{name} {_show(stored)} has more than {MAX_INTEGER_DIGITS} digits before "
                   "the decimal point", name)
    if record.bound != bound:
        said = f"the text writes {word!r} next to the figure" if word else "no bound word touches the figure"
        report("bound-mismatch", f"bound is {record.bound.value if record.bound else None} but {said}: "
               f"set bound: {bound.value}", "bound")
    allowed_units = KIND_UNITS.get(record.kind)
    if allowed_units is not None and parsed.unit not in allowed_units:
        report("kind-mismatch", f"kind {record.kind.value} takes a unit in {sorted(u for u in allowed_units if u)}, "
               f"not {parsed.unit!r}", "kind")
    elif parsed.unit in PERCENT_UNITS and record.kind not in (FigureKind.share, FigureKind.growth):
        report("kind-mismatch", f"a figure in {parsed.unit} is a share or a growth, not {record.kind.value}", "kind")


def _show(value: object) -> str:
    return plain(value) if isinstance(value, Decimal) else repr(value)



def _check_meeting(problems: list[Problem], loaded: LoadedFile, model: MeetingFile, source: SourceText | None) -> None:
    meeting = model.meeting
    expected_id = meeting_id(meeting.admin_code, meeting.term, meeting.plenary)
    if meeting.id != expected_id:
        problems.append(problem_at(loaded, "id-mismatch", f"the id must be {expected_id!r}: admin code, "
                                        f"'cpc', term and plenary number", ("meeting", "id"), meeting.id))
    if meeting.source_id != model.source.id:
        problems.append(problem_at(loaded, "unresolved-reference",
                                        f"source_id {meeting.source_id!r} is not the file's source {model.source.id!r}",
                                        ("meeting", "source_id"), meeting.id))
    if source is None:
        return
    for index, section in enumerate(meeting.sections):
        if section.heading not in source.text:
            problems.append(problem_at(loaded, "heading-not-in-source",
                                            f"heading {section.heading!r} does not occur in the canonical text",
                                            ("meeting", "sections", index, "heading"), meeting.id))


