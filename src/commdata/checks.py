"""Cross-record checks: ids, references, sources, quotes and figures.

Each check reads the models (already valid one by one) with the source texts and adds problems with
the file, line, record and field they concern. Nothing stops at the first problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from .coverage import context, coverage
from .errors import Problem
from .load import LoadedFile
from .models import (Achievement, FigureKind, FigureRecord, Indicator, MeetingFile, Part, Section, Target, Tombstone,
                     meeting_id)
from .quantities import QuantityError, base_value, bound_near, occurrences_at_number_boundary, parse_figure, plain
from .sources import SourceText

MAX_DECIMAL_PLACES = 6  # the Parquet decimal scale; more would round
MAX_INTEGER_DIGITS = 32  # decimal128(38, 6) holds 38 digits, 6 of them after the point
CUMULATIVE_WORDS = ("累计",)
ASPIRATIONAL_WORDS = ("争取", "力争", "争创")
PERCENT_UNITS = {"%", "％", "个百分点"}  # ％ is the full-width percent sign some texts use
KIND_UNITS: dict[FigureKind, set[str | None]] = {
    FigureKind.share: {"%", "％"},
    FigureKind.growth: {"%", "％", "个百分点", "倍"},
}


@dataclass
class Corpus:
    """Every meeting file under one data folder, with the source texts they cite."""

    data_root: Path
    files: list[LoadedFile]
    sources: dict[str, SourceText] = field(default_factory=dict)  # by source id, only when readable
    problems: list[Problem] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)  # by code

    @property
    def valid_files(self) -> list[LoadedFile]:
        return [loaded for loaded in self.files if loaded.model is not None]

    @property
    def checkable_files(self) -> list[tuple[LoadedFile, MeetingFile]]:
        """Files with a valid model, or with valid parts of an invalid one."""
        return [(loaded, loaded.model or loaded.partial) for loaded in self.files
                if loaded.model is not None or loaded.partial is not None]


def records(model: MeetingFile, part: Part) -> Iterator[tuple[int, FigureRecord]]:
    """(index in the file, record) of every valid record of one part."""
    return ((index, record) for index, record in enumerate(getattr(model, part.value)) if record is not None)


def _problem(loaded: LoadedFile, code: str, message: str, location: tuple, record: str | None = None) -> Problem:
    return Problem(code, message, file=loaded.display, line=loaded.line_of(location), record=record,
                   field=".".join(str(part) for part in location))


def check_corpus(corpus: Corpus) -> None:
    """Run every cross-record check, adding problems to ``corpus.problems``."""
    _check_unique_ids(corpus)
    targets = targets_by_id(corpus)
    for loaded, model in corpus.checkable_files:
        source = _check_source(corpus, loaded, model)
        _check_meeting(corpus, loaded, model, source)
        if model.draft:
            corpus.problems.append(_problem(loaded, "draft-not-reviewed", "the file says draft: true",
                                            ("draft",), model.meeting.id))
        sections = {section.id: section for section in model.meeting.sections}
        spans = section_spans(model, source.text) if source is not None else {}
        for part in (Part.achievements, Part.targets):
            for index, record in records(model, part):
                report = _reporter(corpus, loaded, part, index, record.id)
                _check_links(corpus, targets, record, report)  # needs no source text
                if source is not None:
                    _check_record(model, part, record, source.text, sections, spans, report)
        if source is not None:
            _check_coverage(corpus, loaded, model, source.text)


Report = Callable[[str, str, str], None]  # (code, message, field): adds a problem about one record


def _reporter(corpus: Corpus, loaded: LoadedFile, part: Part, index: int, record_id: str) -> Report:
    def report(code: str, message: str, field_name: str) -> None:
        corpus.problems.append(_problem(loaded, code, message, (part.value, index, field_name), record_id))
    return report


def _check_unique_ids(corpus: Corpus) -> None:
    first_seen: dict[str, tuple[LoadedFile, tuple]] = {}
    for loaded, model in corpus.checkable_files:
        places: list[tuple[str, tuple]] = [(model.source.id, ("source", "id")), (model.meeting.id, ("meeting", "id"))]
        for part in (Part.achievements, Part.targets):
            places += [(record.id, (part.value, index, "id")) for index, record in records(model, part)]
        for identifier, location in places:
            if identifier in first_seen:
                other, other_location = first_seen[identifier]
                corpus.problems.append(_problem(
                    loaded, "duplicate-id",
                    f"id {identifier!r} is already used at {other.display}:{other.line_of(other_location)}",
                    location, identifier))
            else:
                first_seen[identifier] = (loaded, location)
        sections_seen: set[str] = set()
        for index, section in enumerate(model.meeting.sections):
            if section.id in sections_seen:
                corpus.problems.append(_problem(loaded, "duplicate-id", f"section {section.id!r} is listed twice",
                                                ("meeting", "sections", index, "id"), model.meeting.id))
            sections_seen.add(section.id)


def _check_source(corpus: Corpus, loaded: LoadedFile, model: MeetingFile) -> SourceText | None:
    """Check the source file's place, bytes and hash; return its text when it can be used."""
    source, where = model.source, ("source", "file")
    root = corpus.data_root.resolve()
    path = corpus.data_root / source.file
    try:
        if path.is_symlink() or not path.resolve().is_relative_to(root):
            corpus.problems.append(_problem(loaded, "source-path", f"{source.file} leaves the data folder {root}",
                                            where, source.id))
            return None
        if not path.is_file():  # also refuses folders, FIFOs and devices
            corpus.problems.append(_problem(loaded, "source-missing", f"no regular file at {path}", where, source.id))
            return None
        text = SourceText.read(path)
    except OSError as error:  # a name too long for the file system, a file unreadable
        corpus.problems.append(_problem(loaded, "source-missing", f"cannot read {source.file}: {error.strerror}",
                                        where, source.id))
        return None
    if text.sha256 != source.sha256:
        corpus.problems.append(_problem(
            loaded, "source-hash-mismatch", f"{source.file} has SHA-256 {text.sha256}, the record says {source.sha256}",
            ("source", "sha256"), source.id))
        return None
    try:
        text.text
    except UnicodeDecodeError as error:
        corpus.problems.append(_problem(loaded, "file-encoding", f"{source.file} is not UTF-8: {error.reason}",
                                        where, source.id))
        return None
    corpus.sources[source.id] = text
    return text


def _check_meeting(corpus: Corpus, loaded: LoadedFile, model: MeetingFile, source: SourceText | None) -> None:
    meeting = model.meeting
    expected_id = meeting_id(meeting.admin_code, meeting.term, meeting.plenary)
    if meeting.id != expected_id:
        corpus.problems.append(_problem(loaded, "id-mismatch", f"the id must be {expected_id!r}: admin code, "
                                        f"'cpc', term and plenary number", ("meeting", "id"), meeting.id))
    if meeting.source_id != model.source.id:
        corpus.problems.append(_problem(loaded, "unresolved-reference",
                                        f"source_id {meeting.source_id!r} is not the file's source {model.source.id!r}",
                                        ("meeting", "source_id"), meeting.id))
    if source is None:
        return
    for index, section in enumerate(meeting.sections):
        if section.heading not in source.text:
            corpus.problems.append(_problem(loaded, "heading-not-in-source",
                                            f"heading {section.heading!r} does not occur in the canonical text",
                                            ("meeting", "sections", index, "heading"), meeting.id))


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


def _check_coverage(corpus: Corpus, loaded: LoadedFile, model: MeetingFile, text: str) -> None:
    items, unmatched = coverage(model, text)
    indices = {id(mark): index for index, mark in enumerate(model.not_recorded)}
    for item in items:
        found = item.found
        if item.status == "uncited":
            corpus.problems.append(_problem(
                loaded, "uncited-figure", f"{found.figure!r} at {found.start} ({context(text, found.start, found.end)}) "
                f"is neither cited by a record nor listed under not_recorded", ("not_recorded",), model.meeting.id))
        elif item.records and item.mark is not None:
            corpus.problems.append(_problem(
                loaded, "mark-cited", f"{found.figure!r} at {found.start} is cited by {', '.join(item.records)}",
                ("not_recorded", indices[id(item.mark)]), model.meeting.id))
    for index, mark in unmatched:
        corpus.problems.append(_problem(
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
    try:
        parsed = parse_figure(figure)
    except QuantityError as error:
        report("figure-unparseable", str(error), "figure")
        return
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
    start = record.quote_start + places[0]
    bound, word = (parsed.bound, figure) if parsed.bound.value != "exact" else bound_near(text, start, start + len(figure))
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


def targets_by_id(corpus: Corpus) -> dict[str, Target]:
    return {record.id: record for _, model in corpus.checkable_files for _, record in records(model, Part.targets)}


def _check_links(corpus: Corpus, targets: dict[str, Target], record: FigureRecord, report: Report) -> None:
    """An indicator code names an indicator of the codebook, in its unit; an outcome names an earlier
    target of the same period."""
    if record.indicator_code is not None:
        indicator = corpus.indicators.get(record.indicator_code)
        if indicator is None:
            report("unresolved-reference", f"indicator_code {record.indicator_code!r} is not in "
                   "data/indicators.yaml", "indicator_code")
        elif record.unit is not None and record.unit not in (units := (indicator.unit, *indicator.also_written)):
            report("unit-mismatch", f"unit {record.unit!r} is not the unit of {indicator.code} ({', '.join(units)})",
                   "unit")
    if isinstance(record, Achievement) and record.outcome_of is not None:
        target = targets.get(record.outcome_of)
        if target is None:
            report("unresolved-reference", f"outcome_of {record.outcome_of!r} is not a target", "outcome_of")
        elif target.period != record.period:
            report("period-mismatch", f"outcome for {target.period} (the target's period) reported "
                   f"with period {record.period}", "outcome_of")


def current_ids(corpus: Corpus) -> dict[str, set[str]]:
    """The ids each published table holds now, by table."""
    ids: dict[str, set[str]] = {name: set() for name in ("sources", "meetings", "sections", "achievements", "targets")}
    for _, model in corpus.checkable_files:
        ids["sources"].add(model.source.id)
        ids["meetings"].add(model.meeting.id)
        ids["sections"].update(f"{model.meeting.id}-{section.id}" for section in model.meeting.sections)
        for part in (Part.achievements, Part.targets):
            ids[part.value].update(record.id for _, record in records(model, part))
    ids["tombstones"] = {tombstone.id for tombstone in corpus.tombstones}
    return ids


def check_stable_ids(corpus: Corpus, released: dict[str, set[str]], release_file: str, tombstone_file: str,
                     tombstone_lines: LoadedFile | None = None) -> None:
    """Every id of the last release still names a record or has a tombstone; no retired id is reused.
    Problems with a tombstone point at its line in ``tombstone_lines`` (the loaded tombstones file)."""

    def line(index: int, name: str) -> int | None:
        return tombstone_lines.line_of(("tombstones", index, name)) if tombstone_lines is not None else None

    now = current_ids(corpus)
    retired = now.pop("tombstones")
    everything = set().union(*now.values())
    for table, ids in sorted(released.items()):
        for identifier in sorted(ids - now.get(table, set()) - retired):
            if table == "tombstones":
                message = f"tombstone {identifier!r} of release {release_file} was removed: tombstones are permanent"
            else:
                message = f"{table} id {identifier!r} was published in {release_file} and is gone without a tombstone"
            corpus.problems.append(Problem("id-vanished", message, file=tombstone_file, record=identifier))
    for index, tombstone in enumerate(corpus.tombstones):
        if tombstone.id in everything:
            corpus.problems.append(Problem("id-reused", f"{tombstone.id!r} is retired but names a record again",
                                           file=tombstone_file, line=line(index, "id"), record=tombstone.id,
                                           field=f"tombstones.{index}.id"))
        if tombstone.superseded_by is not None and tombstone.superseded_by not in everything:
            corpus.problems.append(Problem("unresolved-reference", f"superseded_by {tombstone.superseded_by!r} names "
                                           f"no record", file=tombstone_file, line=line(index, "superseded_by"),
                                           record=tombstone.id, field=f"tombstones.{index}.superseded_by"))
