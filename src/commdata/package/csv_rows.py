"""One meeting file's share of the package: its rows of every table drawn from meetings, rendered as
CSV lines where the file is read (in a worker process when there are many files).

The process that writes the package then only joins each table's lines in meeting order and reads
the joined CSV into Arrow (assemble.py): the records themselves never travel between processes, and
the Parquet tables are typed from the very CSV that is published.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from commdata.domain.models import MeetingFile
from commdata.records.facts import FileTables
from commdata.domain.quantities import plain
from commdata.domain.sources import SourceText
from commdata.package.rows import FILE_TABLES, file_rows
from commdata.package.specs import TableSpec


def _true_false(value: bool) -> str:
    return "true" if value else "false"


# Cells csv.writer would not write as published: exact decimals without exponent, true/false. It
# writes None as empty, ints and dates (ISO) and enums (StrEnum: their value) as wanted already.
_CELL_TEXT: dict[type, Callable[[Any], str]] = {Decimal: plain, bool: _true_false}


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


def file_csv_rows(model: MeetingFile, text: SourceText) -> FileTables:
    """The rows of one valid meeting file, whose source text is ``text``."""
    rows = file_rows(model, text)
    source = model.source
    return FileTables(model.meeting.id, model.meeting.date.isoformat(), (source.id, source.title, source.published_in),
                      {spec.name: csv_lines(spec, rows[spec.name]) for spec in FILE_TABLES})
