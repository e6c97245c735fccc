"""The checks of one achievement or target against its meeting and its source text, each problem with
the exact fix where the text determines it.

A mistake is reported once: a quote that is not at its offsets stops the record's other text checks
(they would only repeat it), and a figure whose fields disagree with it gives one problem naming
every field to set.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import Enum
from typing import Protocol

from commdata.domain.detect import find_figures
from commdata.domain.models import FigureKind, FigureRecord, MeetingFile, Part, Section, Target
from commdata.domain.periods import years_written
from commdata.domain.quantities import DECIMAL_PRECISION, DECIMAL_SCALE, Direction, plain
from commdata.records.derived import (ASPIRATIONAL_WORDS, FigureError, ReadFigure, read_figure, says_aspirational,
                                      says_cumulative)
from commdata.records.placing import offsets_text, place_quote

MAX_DECIMAL_PLACES = DECIMAL_SCALE  # the published decimal's scale: more places would round
MAX_INTEGER_DIGITS = DECIMAL_PRECISION - DECIMAL_SCALE
FORMULA_STARTS = ("=", "+", "-", "@")  # what makes a spreadsheet read a CSV cell as a formula (models.py)
PERCENT_UNITS = {"%", "％", "个百分点", "‰", "个千分点"}  # ％ is the full-width percent sign some texts use
KIND_UNITS: dict[FigureKind, set[str | None]] = {
    FigureKind.share: {"%", "％", "‰", "成"},
    FigureKind.growth: {"%", "％", "个百分点", "倍", "‰", "个千分点", "成", "番"},
}
_RECORD_NUMBER = re.compile(r"-[at][0-9]{3}$")


class Report(Protocol):
    """Adds a problem about one record: its code, message, field and (when known exactly) its fix."""

    def __call__(self, code: str, message: str, field_name: str, fix: str = "") -> None: ...


class Standing(Enum):
    """What the checks learnt of where a record's figure stands in the text."""

    placed = "placed"  # its quote is at its offsets and its figure once in the quote (or it has none)
    misplaced = "misplaced"  # its quote is not at its offsets
    figure_unread = "figure_unread"  # its quote is placed, but its figure is not once in it or unreadable


def check_record(model: MeetingFile, part: Part, record: FigureRecord, text: str, sections: dict[str, Section],
                 spans: dict[str, tuple[int, int]], report: Report, meeting_id_ok: bool = True) -> Standing:
    """Check one record, and say where its figure stands. Its id is checked against the meeting's
    only when the meeting's own id is right (else that one problem says it all)."""
    meeting = model.meeting
    if meeting_id_ok and not record.id.startswith(meeting.id + "-"):
        number = _RECORD_NUMBER.search(record.id)
        report("id-mismatch", f"the id must start with the meeting id {meeting.id}-", "id",
               f"set id: {meeting.id}{number[0]}" if number else "")
    if record.section is not None:
        section = sections.get(record.section)
        if section is None:
            report("unresolved-reference", f"section {record.section!r} is not in meeting.sections", "section",
                   _sections_fix(sections, part))
        elif section.part != part:
            report("unresolved-reference", f"section {record.section!r} belongs to {section.part.value}, "
                   f"not {part.value}", "section", _sections_fix(sections, part))
    _check_period(record, part, meeting.date.year, report)
    span = spans.get(record.section) if record.section else None
    if not _check_quote(record, text, span, report):
        return Standing.misplaced
    if span is not None and not (span[0] <= record.quote_start and record.quote_end <= span[1]):
        _report_section_mismatch(record, text, span, spans, report)
    _check_flags(record, report)
    if record.figure is not None and not _check_figure(record, text, report):
        return Standing.figure_unread
    return Standing.placed


def _sections_fix(sections: dict[str, Section], part: Part) -> str:
    names = [section.id for section in sections.values() if section.part == part]
    return f"set section to one of {', '.join(names)}, or leave it out" if names else "leave section out"


def _check_period(record: FigureRecord, part: Part, year: int, report: Report) -> None:
    """Achievements report the meeting's year or the one before; targets are set for the meeting's year
    or the next, or for a later year the quote names (到2025年, 十四五)."""
    allowed = (year - 1, year) if part == Part.achievements else (year, year + 1)
    if allowed[0] <= record.period <= allowed[1]:
        return
    if part == Part.targets and record.period > allowed[1] and record.period in years_written(record.quote):
        return
    said = f"achievements report {allowed[0]} or {allowed[1]}" if part == Part.achievements else \
        f"targets are set for {allowed[0]} or {allowed[1]}, or for a later year the quote names (到2025年, 十四五)"
    report("period-mismatch", f"period {record.period}: for a meeting in {year}, {said}", "period",
           f"set period: {allowed[0]} or {allowed[1]}")


def _check_quote(record: FigureRecord, text: str, span: tuple[int, int] | None, report: Report) -> bool:
    """The quote stands at its offsets; else one problem, whose fix names the offsets where it stands.
    A quote that would begin its CSV cell like a spreadsheet formula is refused too."""
    if record.quote.startswith(FORMULA_STARTS):
        report("csv-formula", f"the quote begins with {record.quote[0]!r}: a spreadsheet would run its CSV cell as a "
               "formula", "quote", f"start the quote one character later: set {offsets_text(record.quote_start + 1, record.quote[1:])}")
    found = text[record.quote_start:record.quote_end]
    if found == record.quote and record.quote_end - record.quote_start == len(record.quote):
        _check_quote_once(record, text, report)
        return True
    placement = place_quote(text, record.quote, span, record.quote_start)
    if record.quote_end > len(text) or record.quote_start >= len(text):
        code, field_name = "quote-out-of-range", "quote_end"
        said = f"quote_start..quote_end {record.quote_start}..{record.quote_end} is past the end of the text " \
               f"({len(text)} characters)"
    else:
        code, field_name = "quote-not-in-source", "quote"
        said = f"text at {record.quote_start}..{record.quote_end} is {found!r}"
    if placement.start is not None:
        report(code, f"{said}; the quote stands at {placement.start}..{placement.start + len(record.quote)}",
               field_name, f"set {offsets_text(placement.start, record.quote)}")
    elif placement.found:
        where = ", ".join(f"{start}..{start + len(record.quote)}" for start in placement.candidates)
        report(code, f"{said}; the quote occurs {len(placement.candidates)} times ({where})", field_name,
               "set the offsets of the one meant: " + " or ".join(offsets_text(start, record.quote)
                                                                  for start in placement.candidates))
    else:
        report(code, f"{said}; the quote does not occur anywhere in the canonical text", field_name,
               _quote_fix(record, found))
    return False


def _check_quote_once(record: FigureRecord, text: str, report: Report) -> None:
    """A quote a reader searches for finds this record's place only: it occurs once in the text."""
    other = text.find(record.quote)
    if other == record.quote_start:
        other = text.find(record.quote, record.quote_start + 1)
    if other >= 0:
        report("quote-ambiguous", f"the quote also occurs at {other}..{other + len(record.quote)} of the canonical "
               "text", "quote", "lengthen the quote (take in the verb or the list item before it) until it occurs once")


def _quote_fix(record: FigureRecord, found: str) -> str:
    """A mistyped quote at the right offsets: the text there, when it is the quote with a few
    characters changed; else how to find the right text."""
    if len(found) == len(record.quote) and sum(a == b for a, b in zip(found, record.quote)) * 2 >= len(found):
        return f"set quote: {found}"
    return "copy the quote verbatim from the canonical text: `commdata locate SOURCE \"QUOTE\"` prints its offsets"


def _report_section_mismatch(record: FigureRecord, text: str, span: tuple[int, int],
                             spans: dict[str, tuple[int, int]], report: Report) -> None:
    """The quote lies outside its section: either its offsets name the wrong occurrence (the quote also
    stands inside the section), or the record stands under the wrong section."""
    message = (f"the quote at {record.quote_start}..{record.quote_end} lies outside section {record.section!r}, "
               f"which spans {span[0]}..{span[1]} of the text")
    inside = place_quote(text, record.quote, span)
    if inside.start is not None and span[0] <= inside.start and inside.start + len(record.quote) <= span[1]:
        report("section-mismatch", message, "section", f"set {offsets_text(inside.start, record.quote)}")
        return
    holding = [name for name, (start, end) in spans.items() if start <= record.quote_start and record.quote_end <= end]
    report("section-mismatch", message, "section", f"set section: {holding[0]}" if holding else "")


def _check_flags(record: FigureRecord, report: Report) -> None:
    says = says_cumulative(record.quote)
    if record.cumulative != says:
        report("flag-mismatch", f"cumulative is {str(record.cumulative).lower()} but the quote "
               f"{'says' if says else 'does not say'} 累计", "cumulative", f"set cumulative: {str(says).lower()}")
    if isinstance(record, Target):
        says = says_aspirational(record.quote)
        if record.aspirational != says:
            report("flag-mismatch", f"aspirational is {str(record.aspirational).lower()} but the quote "
                   f"{'has' if says else 'has none of'} {'/'.join(ASPIRATIONAL_WORDS)}", "aspirational",
                   f"set aspirational: {str(says).lower()}")


def _check_figure(record: FigureRecord, text: str, report: Report) -> bool:
    """The figure's checks; False when the figure cannot be read from the quote."""
    figure = record.figure
    assert figure is not None
    try:
        read = read_figure(figure, record.quote, record.quote_start, text)
    except FigureError as error:
        report(error.code, str(error), "figure", _figure_fix(error.code, record.quote))
        return False
    _check_values(record, read, report)
    for name in ("number", "value"):
        stored = getattr(record, name)
        if isinstance(stored, Decimal) and -stored.as_tuple().exponent > MAX_DECIMAL_PLACES:  # type: ignore[operator]
            report("precision-exceeded", f"{name} {stored} has more than {MAX_DECIMAL_PLACES} decimal places", name)
        elif isinstance(stored, Decimal) and stored.adjusted() >= MAX_INTEGER_DIGITS:
            report("precision-exceeded", f"{name} {_show(stored)} has more than {MAX_INTEGER_DIGITS} digits before "
                   "the decimal point", name)
    if record.bound != read.bound:
        word = read.bound_word
        said = f"the text writes {word!r} next to the figure" if word else "no bound word touches the figure"
        report("bound-mismatch", f"bound is {record.bound.value if record.bound else None} but {said}", "bound",
               f"set bound: {read.bound.value}")
    _check_direction(record, read.direction, report)
    _check_kind(record, read.quantity.unit, report)
    return True


def _check_direction(record: FigureRecord, read: Direction | None, report: Report) -> None:
    """The direction is the text's: a change word (增长, 下降, 回落) or a printed minus sign. A growth
    figure always has one; another figure has one only where the text gives it."""
    if read is not None and record.direction not in (None, read):
        report("direction-mismatch", f"direction is {record.direction.value} but the text says {read.value}"
               f"{' (a printed minus sign turns the change word round)' if record.number is not None and record.number < 0 else ''}",
               "direction", f"set direction: {read.value}")
    elif read is not None and record.direction is None and record.kind == FigureKind.growth:
        report("direction-mismatch", f"the text says {read.value}", "direction", f"set direction: {read.value}")
    elif read is None and record.direction is None and record.kind == FigureKind.growth:
        report("direction-mismatch", "a growth figure needs a direction, and no change word or minus sign goes with "
               "this one", "direction", "set direction: up or down, as the text means")
    elif read is None and record.direction is not None and record.kind != FigureKind.growth:
        report("direction-mismatch", f"direction is {record.direction.value} but no change word or minus sign goes "
               "with the figure", "direction", "remove direction (it is for changes: 增长, 下降…)")


def _figure_fix(code: str, quote: str) -> str:
    if code == "figure-ambiguous":
        return ""
    written = [found.figure for found in find_figures(quote)]
    if not written:
        return ""
    return f"set figure to the one meant, as the quote writes it: {' or '.join(written)}"


def _check_values(record: FigureRecord, read: ReadFigure, report: Report) -> None:
    """number, multiplier, unit and value against what the figure parses to: one problem for them all."""
    multiplier = record.multiplier.value if record.multiplier is not None else None
    stored = {"number": record.number, "multiplier": multiplier, "unit": record.unit, "value": record.value}
    expected = {name: value for name, value in read.values().items() if name in stored}
    wrong = [name for name in stored if stored[name] != expected[name]]
    if not wrong:
        return
    said = ", ".join(f"{name} {_show(stored[name])}" for name in wrong)
    parses = ", ".join(f"{name} {_show(expected[name])}" for name in wrong)
    to_set = [f"{name}: {_show(expected[name])}" for name in wrong if expected[name] is not None]
    to_remove = [name for name in wrong if expected[name] is None]
    fix = "; ".join(([f"set {', '.join(to_set)}"] if to_set else []) + ([f"remove {', '.join(to_remove)}"] if to_remove else []))
    report("value-mismatch", f"{said}, but {record.figure!r} parses to {parses}", wrong[0], fix)


def _check_kind(record: FigureRecord, unit: str | None, report: Report) -> None:
    allowed_units = KIND_UNITS.get(record.kind)
    if allowed_units is not None and unit not in allowed_units:
        report("kind-mismatch", f"kind {record.kind.value} takes a unit in {sorted(u for u in allowed_units if u)}, "
               f"not {unit!r}", "kind", "set kind: quantity (or rank or streak, if the figure is one)")
    elif unit in PERCENT_UNITS and record.kind not in (FigureKind.share, FigureKind.growth):
        report("kind-mismatch", f"a figure in {unit} is a share or a growth, not {record.kind.value}", "kind",
               "set kind: share (a part of a whole, 占…) or growth (a change, 增长…)")


def _show(value: object) -> str:
    if value is None:
        return "none"
    return plain(value) if isinstance(value, Decimal) else str(value)
