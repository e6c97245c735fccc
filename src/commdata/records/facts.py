"""What one meeting file gives the rest of the run: its FileFacts for the checks across files, and,
when it is to be published, its FileTables (its rows as CSV lines).

Facts are packed small: ids, periods, indicator codes, units and outcome links, a small fraction of
the records' size, so that a million records' facts stay in memory and in the cache cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

from commdata.domain.models import FigureRecord, MeetingFile, Part

PARTS = (Part.achievements, Part.targets)


NONE, SEPARATOR = "\x00", "\x1f"  # neither can occur in a value: field_types.py refuses control characters
COLUMNS = ("id", "period", "indicator_code", "unit", "outcome_of")
LINK_COLUMNS = ("indicator_code", "unit", "outcome_of", "period")


@dataclass
class PartFacts:
    """One part's records (achievements or targets) as packed columns: each column's values by index
    in the file, joined by SEPARATOR, with NONE for an empty field and for every field of an invalid
    record. Packed, a million records' facts are a few strings per file: quick to cache and to read
    back, and the checks across files split them into sets without a loop in Python."""

    count: int
    packed: dict[str, str]  # by column name
    # The distinct (indicator_code, unit, outcome_of, period) of its records that name a code or an
    # outcome: all the link checks across files need to see, unless one of them is wrong.
    links: list[tuple[str, str, str, str]]

    @classmethod
    def of(cls, records: list) -> PartFacts:
        columns = {}
        for column in COLUMNS:
            values = [getattr(record, column, None) if record is not None else None for record in records]
            columns[column] = [NONE if value is None else str(value) for value in values]
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
    section_ids: list[str]
    parts: dict[str, PartFacts]  # by Part value
    # Its records' ids are distinct and each starts with its meeting id: no other file's can be the
    # same, so that the checks across files need not look at a single record id (checks.py).
    ids_scoped: bool

    def as_plain(self) -> tuple:
        """Built-in types only, for the cache (which stores them with marshal)."""
        parts = {name: (part.count, part.packed, part.links) for name, part in self.parts.items()}
        return (self.source_id, self.source_file, self.source_usable, self.meeting_id, self.section_ids, parts,
                self.ids_scoped)

    @classmethod
    def from_plain(cls, plain_facts: tuple) -> FileFacts:
        source_id, source_file, usable, meeting, sections, parts, ids_scoped = plain_facts
        return cls(source_id, source_file, usable, meeting, sections,
                   {name: PartFacts(count, packed, [tuple(link) for link in links])
                    for name, (count, packed, links) in parts.items()}, ids_scoped)


def records(model: MeetingFile, part: Part) -> list[tuple[int, FigureRecord]]:
    """(index in the file, record) of every valid record of one part."""
    return [(index, record) for index, record in enumerate(getattr(model, part.value)) if record is not None]


def file_facts(model: MeetingFile, source_usable: bool) -> FileFacts:
    ids = [record.id for part in PARTS for _, record in records(model, part)]
    prefix = model.meeting.id + "-"
    return FileFacts(model.source.id, model.source.file, source_usable, model.meeting.id,
                     [section.id for section in model.meeting.sections],
                     {part.value: PartFacts.of(getattr(model, part.value)) for part in PARTS},
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
