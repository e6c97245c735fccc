"""One meeting file's share of the package: its rows of every table drawn from meetings, rendered as
CSV lines where the file is read (in a worker process when there are many files).

The process that writes the package then only joins each table's lines in meeting order and reads
the joined CSV into Arrow (render.py): the records themselves never travel between processes, and
the Parquet tables are typed from the very CSV that is published.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from commdata.domain.models import MeetingFile
from commdata.domain.quantities import plain
from commdata.domain.sources import SourceText
from commdata.package.specs import FILE_TABLES, TableSpec, file_rows


@dataclass
class FileTables:
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
        return cls(meeting_id, meeting_date, tuple(source), dict(tables))  # type: ignore[arg-type]


def _true_false(value: bool) -> str:
    return "true" if value else "false"


# Cells csv.writer would not write as published: exact decimals without exponent, true/false. It
# writes None as empty, ints and dates (ISO) and enums (StrEnum: their value) as wanted already.
_CELL_TEXT = {Decimal: plain, bool: _true_false}


def csv_header(spec: TableSpec) -> bytes:
    return (",".join(spec.column_names) + "\n").encode("utf-8")


def csv_lines(spec: TableSpec, rows: Sequence[list[Any]]) -> bytes:
    """Rows (values in column order, changed in place) as CSV lines, without the header."""
    converted = [(index, _CELL_TEXT[column.type]) for index, column in enumerate(spec.columns)
                 if column.type in _CELL_TEXT]
    for row in rows:
        for index, convert in converted:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def render_file(model: MeetingFile, text: SourceText) -> FileTables:
    """The rows of one valid meeting file, whose source text is ``text``."""
    rows = file_rows(model, text)
    source = model.source
    return FileTables(model.meeting.id, model.meeting.date.isoformat(), (source.id, source.title, source.published_in),
                      {spec.name: csv_lines(spec, rows[spec.name]) for spec in FILE_TABLES})
