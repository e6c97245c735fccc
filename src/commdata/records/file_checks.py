"""The checks of one meeting file on its own: against its source text, its sections and its meeting.

They run where the file is read (in a worker process when there are many files) and never look at
another file, so their outcome depends only on the file's bytes, the bytes and place of the source
it cites and commdata's own code: which is what lets the cache (cache.py) reuse it. What the
checks across files (cross_checks.py) need from the file is kept in its FileFacts: ids, periods, indicator
codes, units and outcome links, a small fraction of the records' size. Each record is checked by
record_checks.py.
"""

from __future__ import annotations

from pathlib import Path

from commdata.domain.coverage import context, coverage
from commdata.domain.models import FigureRecord, MeetingFile, Part, meeting_id
from commdata.domain.sources import SourceText
from commdata.errors import Problem
from commdata.records.claims import Claim, Span, claimed_spans, overlaps
from commdata.records.facts import PARTS, file_facts, records
from commdata.records.loading import LoadedFile, problem_at
from commdata.records.placing import heading_spans
from commdata.records.record_checks import FORMULA_STARTS, Report, Standing, check_record
from commdata.records.source_files import source_state


def check_meeting_file(loaded: LoadedFile, data_root: Path) -> tuple[SourceText | None, str | None]:
    """Run the file's own checks, adding problems to ``loaded.problems`` and its facts to
    ``loaded.facts``. Returns its source text when it can be quoted and published, and the state of
    its source file (see source_state), or None when the file has no usable model to check."""
    model = loaded.model or loaded.partial
    if model is None:
        return None, None
    problems = loaded.problems
    source, state = _check_source(problems, data_root, loaded, model)
    meeting_id_ok = _check_meeting(problems, loaded, model, source)
    if model.draft:
        problems.append(problem_at(loaded, "draft-not-reviewed", "the file says draft: true", ("draft",), model.meeting.id,
                                   "review every record against the source, then delete the line `draft: true`"))
    seen: set[str] = set()
    for index, section in enumerate(model.meeting.sections):
        if section.id in seen:
            problems.append(problem_at(loaded, "duplicate-id", f"section {section.id!r} is listed twice",
                                     ("meeting", "sections", index, "id"), model.meeting.id))
        seen.add(section.id)
    disputed = _check_records(loaded, model, source.text, meeting_id_ok) if source is not None else set()
    loaded.facts = file_facts(model, source is not None, loaded.record_id_at, disputed.__contains__)
    return source, state


def _check_records(loaded: LoadedFile, model: MeetingFile, text: str, meeting_id_ok: bool) -> set[tuple[str, int]]:
    """Check every record against the text, then the file's coverage of the text's figures; the
    (part, index) of the records a problem was found with."""
    problems = loaded.problems
    sections = {section.id: section for section in model.meeting.sections}
    spans = section_spans(model, text)
    disputed: set[tuple[str, int]] = set()
    troubled: list[FigureRecord] = []  # records whose figure's place the checks could not confirm
    claims = [Claim(unread.quote, unread.figure, unread.section, unread.offsets) for unread in loaded.unread]
    for part in PARTS:
        for index, record in records(model, part):
            before = len(problems)
            standing = check_record(model, part, record, text, sections, spans,
                                    _reporter(problems, loaded, part, index, record.id), meeting_id_ok)
            if len(problems) > before:
                disputed.add((part.value, index))
            if standing != Standing.placed:
                troubled.append(record)
                claims.append(Claim(record.quote, record.figure, record.section,
                                    (record.quote_start, record.quote_end), standing == Standing.figure_unread))
    _check_coverage(problems, loaded, _without(model, troubled), text, claimed_spans(claims, text, spans))
    return disputed


def _without(model: MeetingFile, troubled: list[FigureRecord]) -> MeetingFile:
    """The file without the records whose figure's place is unknown: coverage must not take their
    offsets for where they stand."""
    if not troubled:
        return model
    gone = {id(record) for record in troubled}
    return model.model_copy(update={part.value: [None if record is not None and id(record) in gone else record
                                                 for record in getattr(model, part.value)] for part in PARTS})


def _reporter(problems: list[Problem], loaded: LoadedFile, part: Part, index: int, record_id: str) -> Report:
    def report(code: str, message: str, field_name: str, fix: str = "") -> None:
        problems.append(problem_at(loaded, code, message, (part.value, index, field_name), record_id, fix))
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
            ("source", "sha256"), source.id,
            f"restore the file's original bytes; or, if the source really changed, set sha256: {text.sha256} "
            "(`commdata fix` writes it and the quotes' offsets) and check every quote again"))
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
                                   f"{text.text[0]!r}: a spreadsheet would run its CSV cell as a formula", where,
                                   source.id))
    return text, state


def _check_coverage(problems: list[Problem], loaded: LoadedFile, model: MeetingFile, text: str,
                    claimed: list[Span]) -> None:
    """Every figure of the source is cited or listed under not_recorded. Figures ``claimed`` by a
    record reported elsewhere are not reported again; an entry whose offset is wrong is reported once,
    with the offset of its figure, not as well as that figure being uncited."""
    items, unmatched = coverage(model, text)
    indices = {id(mark): index for index, mark in enumerate(model.not_recorded)}
    uncited = [item.found for item in items if item.status == "uncited"
               and not overlaps((item.found.start, item.found.end), claimed)]
    for index, mark in unmatched:
        same = sorted((found for found in uncited if found.figure == mark.figure), key=lambda found: abs(found.start - mark.at))
        fix = f"set at: {same[0].start}" if same else f"remove the entry: no figure {mark.figure!r} is left uncited"
        if same:
            uncited.remove(same[0])
        problems.append(problem_at(
            loaded, "mark-not-found", f"no figure {mark.figure!r} starts at {mark.at} of the canonical text "
            f"(there: {context(text, mark.at, mark.at + len(mark.figure))})", ("not_recorded", index, "at"),
            model.meeting.id, fix))
    for found in uncited:
        problems.append(problem_at(
            loaded, "uncited-figure", f"{found.figure!r} at {found.start} ({context(text, found.start, found.end)}) "
            f"is neither cited by a record nor listed under not_recorded", ("not_recorded",), model.meeting.id,
            f"cite it in a record, or add to not_recorded: - {{figure: {found.figure}, at: {found.start}, reason: …}}"))
    for item in items:
        if item.records and item.mark is not None:
            problems.append(problem_at(
                loaded, "mark-cited", f"{item.found.figure!r} at {item.found.start} is cited by {', '.join(item.records)}",
                ("not_recorded", indices[id(item.mark)]), model.meeting.id,
                f"remove the not_recorded entry for {item.found.figure!r} at {item.found.start}"))


def section_spans(model: MeetingFile, text: str) -> dict[str, tuple[int, int]]:
    """Where each section's text runs (see placing.heading_spans)."""
    return heading_spans(((section.id, section.heading) for section in model.meeting.sections), text)


def _check_meeting(problems: list[Problem], loaded: LoadedFile, model: MeetingFile, source: SourceText | None) -> bool:
    """The meeting's own checks; False when its id is not the one its fields make."""
    meeting = model.meeting
    expected_id = meeting_id(meeting.admin_code, meeting.term, meeting.plenary)
    if meeting.id != expected_id:
        problems.append(problem_at(loaded, "id-mismatch", f"the id must be {expected_id!r}: admin code, "
                                        f"'cpc', term and plenary number", ("meeting", "id"), meeting.id,
                                   f"set id: {expected_id} (or correct admin_code, term or plenary)"))
    if meeting.source_id != model.source.id:
        problems.append(problem_at(loaded, "unresolved-reference",
                                        f"source_id {meeting.source_id!r} is not the file's source {model.source.id!r}",
                                        ("meeting", "source_id"), meeting.id, f"set source_id: {model.source.id}"))
    if source is not None:
        for index, section in enumerate(meeting.sections):
            if section.heading not in source.text:
                problems.append(problem_at(loaded, "heading-not-in-source",
                                           f"heading {section.heading!r} does not occur in the canonical text",
                                           ("meeting", "sections", index, "heading"), meeting.id))
    return meeting.id == expected_id


