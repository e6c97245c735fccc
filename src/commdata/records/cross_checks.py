"""Checks across meeting files: unique ids, indicator codes and outcome links, and the ids of the
last release. They read each file's FileFacts (facts.py), not its records, so they need neither
the records in memory nor the source texts, and run the same whether a file was checked now or its
result came from the cache. Nothing stops at the first problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from commdata.errors import Problem
from commdata.domain.measures import measure_problems
from commdata.domain.models import RECORD_ID_PATTERN, FigureKind, Indicator, Part
from commdata.records.corpus import Corpus
from commdata.records.facts import LINK_COLUMNS, NONE
from commdata.records.loading import LoadedFile, problem_at
from commdata.records.placeholders import is_placeholder

_RECORD_ID = re.compile(RECORD_ID_PATTERN)

def check_corpus(corpus: Corpus) -> None:
    """Run every check across files, adding problems to ``corpus.problems``."""
    _check_unique_ids(corpus)
    _check_links(corpus)


def _ids(loaded: LoadedFile) -> Iterator[tuple[str, tuple]]:
    facts = loaded.facts
    assert facts is not None
    yield facts.source_id, ("source", "id")
    yield facts.meeting_id, ("meeting", "id")
    for name, part in facts.parts.items():
        for index, identifier in enumerate(part.values("id")):
            if identifier is not None:
                yield identifier, (name, index, "id")


def _check_unique_ids(corpus: Corpus) -> None:
    files = corpus.checked_files
    heads = [identifier for loaded in files for identifier in (loaded.facts.source_id, loaded.facts.meeting_id)]
    if all(loaded.facts.ids_scoped for loaded in files) and len(set(heads)) == len(heads) and \
            not any(_RECORD_ID.match(identifier) for identifier in heads):
        # The usual case, decided without a record id: the meeting ids differ, each file's record ids
        # differ and start with its meeting id (so differ from every other file's), and no source id
        # is shaped like a record id (meeting ids cannot be).
        return
    every_id: list[str] = []
    for loaded in files:
        every_id += (loaded.facts.source_id, loaded.facts.meeting_id)
        for part in loaded.facts.parts.values():
            every_id += part.raw("id")  # NONE stands for an invalid record
    invalid = every_id.count(NONE)
    if len(set(every_id)) == len(every_id) - invalid + (invalid > 0):
        return  # the usual case, decided at the speed of a set; the walk below says where the repeats are
    first_seen: dict[str, tuple[LoadedFile, tuple]] = {}
    for loaded in files:
        for identifier, location in _ids(loaded):
            if identifier not in first_seen:
                first_seen[identifier] = (loaded, location)
                continue
            other, other_location = first_seen[identifier]
            corpus.problems.append(problem_at(
                loaded, "duplicate-id", f"id {identifier!r} is already used at {other.display}:"
                f"{other.line_of(other_location)}", location, identifier))


def _check_links(corpus: Corpus) -> None:
    """An indicator code names an indicator of the codebook, in one of its units and of a measure that
    fits the record; an outcome names a target of the same period. Each file's facts list its distinct
    links: those are checked, and the records are walked only in files with a wrong one, to say where.
    Periods stay text here, as the facts pack them."""
    links = {link for loaded in corpus.checked_files for part in loaded.facts.parts.values() for link in part.links}
    target_periods: dict[str, tuple[str, str]] = {}
    if any(link[2] != NONE for link in links):
        for loaded in corpus.checked_files:
            targets = loaded.facts.parts[Part.targets.value]
            target_periods.update(zip(targets.raw("id"), zip(targets.raw("period"), targets.raw("period_start"))))
        target_periods.pop(NONE, None)  # invalid targets
    wrong = {link for link in links if any(_link_problems(corpus.indicators, target_periods, *link))}
    if not wrong:
        return
    for loaded in corpus.checked_files:
        for name, part in loaded.facts.parts.items():
            if wrong.isdisjoint(part.links):
                continue
            for index, (identifier, *link) in enumerate(zip(*(part.raw(column) for column in ("id", *LINK_COLUMNS)))):
                if identifier != NONE and tuple(link) in wrong:
                    for problem_code, message, field_name in _link_problems(corpus.indicators, target_periods, *link):
                        corpus.problems.append(problem_at(loaded, problem_code, message, (name, index, field_name),
                                                          identifier))


def _link_problems(indicators: dict[str, Indicator], target_periods: dict[str, tuple[str, str]], code: str,
                   unit: str, outcome_of: str, period: str, period_start: str, kind: str,
                   cumulative: str) -> Iterator[tuple[str, str, str]]:
    """(code, message, field) of what is wrong with one record's indicator code and outcome link, from
    its packed facts (NONE for an empty field)."""
    if code != NONE and not is_placeholder(code):  # a TODO code is reported where it stands
        indicator = indicators.get(code)
        if indicator is None:
            yield "unresolved-reference", f"indicator_code {code!r} is not in data/indicators.yaml", "indicator_code"
        else:
            if unit != NONE and unit not in (units := (indicator.unit, *indicator.also_written)):
                # A wrong code shows in the unit first: its measure would only say the same again.
                yield "unit-mismatch", f"unit {unit!r} is not a unit of {indicator.code} ({', '.join(units)})", "unit"
            elif kind != NONE:
                start = None if period_start == NONE else int(period_start)
                for field_name, message in measure_problems(code, indicator.measure, FigureKind(kind),
                                                            cumulative == "True", start):
                    yield "measure-mismatch", message, field_name
    if outcome_of != NONE:
        if outcome_of not in target_periods:
            yield "unresolved-reference", f"outcome_of {outcome_of!r} is not a target", "outcome_of"
        else:
            target_period, target_start = target_periods[outcome_of]
            if target_period != NONE and (target_period, target_start) != (period, period_start):  # NONE: invalid
                yield ("period-mismatch", f"outcome for {_span(target_period, target_start)} (the target's period) "
                       f"reported for {_span(period, period_start)}: an outcome reports the target's own period",
                       "outcome_of")


def _span(period: str, period_start: str) -> str:
    return period if period_start == NONE else f"{period_start}–{period}"


def current_ids(corpus: Corpus) -> dict[str, set[str]]:
    """The ids each published table holds now, by table."""
    ids: dict[str, set[str]] = {name: set() for name in ("sources", "meetings", "sections", "achievements", "targets")}
    for loaded in corpus.checked_files:
        facts = loaded.facts
        assert facts is not None
        ids["sources"].add(facts.source_id)
        ids["meetings"].add(facts.meeting_id)
        ids["sections"].update(f"{facts.meeting_id}-{section}" for section in facts.section_ids)
        for name, part in facts.parts.items():
            ids[name].update(part.raw("id"))
            ids[name].discard(NONE)
    ids["tombstones"] = {tombstone.id for tombstone in corpus.tombstones}
    return ids


def check_stable_ids(corpus: Corpus, released: dict[str, set[str]], release_file: str, tombstone_file: str,
                     tombstone_lines: LoadedFile | None = None) -> None:
    """Every id of the last release still names a record or has a tombstone; no retired id is reused.
    Problems with a tombstone point at its line in ``tombstone_lines`` (the loaded tombstones file)."""

    def line(index: int, name: str) -> int | None:
        return tombstone_lines.line_of(("tombstones", index, name)) if tombstone_lines is not None else None

    if not released and not corpus.tombstones:
        return  # nothing was published and nothing retired: no id can have vanished or come back
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
