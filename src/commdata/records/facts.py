"""What one meeting file gives the rest of the run: its FileFacts for the checks across files, and,
when it is to be published, its FileTables (its rows as CSV lines).

Facts are packed small: ids, periods, indicator codes, units and outcome links, a small fraction of
the records' size, so that a million records' facts stay in memory and in the cache cheaply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from commdata.domain.models import FigureRecord, MeetingFile, Part
from commdata.domain.quantities import QuantityError, parse_figure

PARTS = (Part.achievements, Part.targets)


NONE, SEPARATOR = "\x00", "\x1f"  # neither can occur in a value: field_types.py refuses control characters
COLUMNS = ("id", "period", "period_start", "indicator_code", "unit", "outcome_of", "kind", "cumulative")
LINK_COLUMNS = ("indicator_code", "unit", "outcome_of", "period", "period_start", "kind", "cumulative")


@dataclass
class PartFacts:
    """One part's records (achievements or targets) as packed columns: each column's values by index
    in the file, joined by SEPARATOR, with NONE for an empty field and for every field of an invalid
    record. Packed, a million records' facts are a few strings per file: quick to cache and to read
    back, and the checks across files split them into sets without a loop in Python."""

    count: int
    packed: dict[str, str]  # by column name
    # The distinct LINK_COLUMNS of its records that name a code or an outcome: all the checks across
    # files need to see (the codebook's units and measures, the outcome's target), unless one is wrong.
    links: list[tuple[str, ...]]

    @classmethod
    def of(cls, records: list, raw_ids: list[str | None] | None = None,
           units: list[str | None] | None = None, disputed: list[bool] | None = None) -> PartFacts:
        """The facts of a part's records (None for an invalid one). ``raw_ids`` gives each record's id
        as written, kept for an invalid record too: it is still there, so its id neither vanished
        from the last release nor may another record take it. ``units`` gives each record's unit,
        where it is not the unit field's."""
        columns = {}
        for column in COLUMNS:
            values = [getattr(record, column, None) if record is not None else None for record in records]
            if column == "unit" and units is not None:
                values = units
            if column == "kind" and disputed is not None:  # its measure is checked once its own problem is fixed
                values = [None if doubted else value for value, doubted in zip(values, disputed)]
            if column == "id" and raw_ids is not None:
                values = [value if value is not None or not _packable(raw) else raw for value, raw in zip(values, raw_ids)]
            columns[column] = [NONE if value is None else _packed(value) for value in values]
        links = sorted({link for link in zip(*(columns[column] for column in LINK_COLUMNS))
                        if link[0] != NONE or link[2] != NONE})
        return cls(len(records), {column: SEPARATOR.join(values) for column, values in columns.items()}, links)

    def raw(self, column: str) -> list[str]:
        """The column's values as strings, NONE standing for None."""
        return self.packed[column].split(SEPARATOR) if self.count else []

    def values(self, column: str) -> list[str | None]:
        return [None if value == NONE else value for value in self.raw(column)]


@dataclass
class FileFacts:
    """What the checks across files need from one meeting file (valid, or with valid parts)."""

    source_id: str
    source_file: str
    source_usable: bool  # read, hash matched, UTF-8: its text can be quoted and published
    meeting_id: str
    places: tuple[str, str]  # the meeting's division, in Chinese and English: no codebook entry may name it
    section_ids: list[str]
    parts: dict[str, PartFacts]  # by Part value
    # Its records' ids are distinct and each starts with its meeting id: no other file's can be the
    # same, so that the checks across files need not look at a single record id (cross_checks.py).
    ids_scoped: bool

    def as_plain(self) -> tuple:
        """Built-in types only, for the cache (which stores them with marshal)."""
        parts = {name: (part.count, part.packed, part.links) for name, part in self.parts.items()}
        return (self.source_id, self.source_file, self.source_usable, self.meeting_id, self.places, self.section_ids,
                parts, self.ids_scoped)

    @classmethod
    def from_plain(cls, plain_facts: tuple) -> FileFacts:
        source_id, source_file, usable, meeting, places, sections, parts, ids_scoped = plain_facts
        return cls(source_id, source_file, usable, meeting, tuple(places), sections,
                   {name: PartFacts(count, packed, [tuple(link) for link in links])
                    for name, (count, packed, links) in parts.items()}, ids_scoped)


def _packed(value: object) -> str:
    return value.value if isinstance(value, Enum) else str(value)  # FigureKind.growth is growth


def _unit_as_written(record: FigureRecord) -> str | None:
    if record.figure is None:
        return record.unit
    try:
        return parse_figure(record.figure).unit
    except QuantityError:
        return record.unit


def _packable(raw: str | None) -> bool:
    """An id as written that the packed columns can hold (a refused one may hold control characters)."""
    return raw is not None and NONE not in raw and SEPARATOR not in raw


def records(model: MeetingFile, part: Part) -> list[tuple[int, FigureRecord]]:
    """(index in the file, record) of every valid record of one part."""
    return [(index, record) for index, record in enumerate(getattr(model, part.value)) if record is not None]


def file_facts(model: MeetingFile, source_usable: bool,
               raw_id: Callable[[tuple[str, int]], str | None] = lambda location: None,
               disputed: Callable[[tuple[str, int]], bool] = lambda location: False) -> FileFacts:
    """The facts of a file; ``raw_id`` gives the id as written of the record at (part, index), for the
    records that failed their model. A ``disputed`` record (one the file's checks found a problem
    with) counts with the unit its figure writes: a unit typed otherwise is one mistake, reported
    against the figure, not also against the indicator. (Only those: parsing every figure again
    would cost a million records seconds.) Nor is a disputed record held to its indicator's measure
    until its own problem is fixed: a kind the file's checks refused would be reported twice."""
    parts = {}
    for part in PARTS:
        part_records = getattr(model, part.value)
        locations = [(part.value, index) for index in range(len(part_records))]
        units = [(_unit_as_written(record) if disputed(location) else record.unit) if record is not None else None
                 for record, location in zip(part_records, locations)]
        parts[part.value] = PartFacts.of(part_records, [raw_id(location) for location in locations], units,
                                         [disputed(location) for location in locations])
    ids = [identifier for part in parts.values() for identifier in part.values("id") if identifier is not None]
    prefix = model.meeting.id + "-"
    return FileFacts(model.source.id, model.source.file, source_usable, model.meeting.id,
                     (model.meeting.place, model.meeting.place_en), [section.id for section in model.meeting.sections], parts,
                     len(set(ids)) == len(ids) and all(identifier.startswith(prefix) for identifier in ids))



@dataclass
class FileTables:
    """One valid meeting file's rows of the package's tables, rendered as CSV lines where the file was
    read (package/csv_rows.py renders them; the cache keeps them between builds)."""

    meeting_id: str
    meeting_date: str  # ISO; the latest one dates the package (render.created_timestamp)
    source: tuple[str, str, str | None]  # id, title, published_in: what the descriptor lists
    csv: dict[str, bytes]  # by table name: this file's rows as CSV lines, without the header

    def as_plain(self) -> tuple:
        """Built-in types only, for the cache (which stores them with marshal)."""
        return self.meeting_id, self.meeting_date, self.source, self.csv

    @classmethod
    def from_plain(cls, plain_tables: tuple) -> FileTables:
        meeting_id, meeting_date, source, tables = plain_tables
        return cls(meeting_id, meeting_date, tuple(source), dict(tables))
