"""A table read for checking, and where its rows are in its file.

Row-level problems of a CSV name the CSV file, its resource, the field and the line: the physical
line in the file, which is also the row number frictionless reports (the header is row 1, the first
data row row 2) unless a quoted value holds a line break, in which case the message gives both.
Parquet problems give the row counted from 1, and no line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # the package check is Arrow throughout; validating records never imports it
import pyarrow.compute as pc


@dataclass
class RowPlaces:
    """Where the rows of a table are in its file. The table row at index i is record i + 2 of a CSV
    file (the header is record 1): the row number frictionless reports, and also the row's line unless
    a quoted value above it holds a line break."""

    csv: bool
    breaks_through: pa.Array | None = None  # CSV: line breaks in the values of each row and the rows before

    def row(self, index: int) -> int:
        """Frictionless's row number of the table row at ``index`` (for Parquet: counting from 1)."""
        return index + 2 if self.csv else index + 1

    def line(self, index: int) -> int | None:
        """The line of the file where the row starts (None for Parquet)."""
        if not self.csv:
            return None
        breaks = self.breaks_through[index - 1].as_py() if self.breaks_through is not None and index > 0 else 0
        return index + 2 + breaks

    def place(self, index: int) -> str:
        row, line = self.row(index), self.line(index)
        return f"row {row}" if line in (None, row) else f"row {row} (line {line})"


@dataclass
class CheckedTable:
    """A table read for checking: typed columns, and for a CSV the text the cells had."""

    resource: dict[str, Any]
    file: str
    typed: pa.Table
    rows: RowPlaces
    text: pa.Table | None = None  # CSV only: every column as read, before typing
    blank: pa.ChunkedArray | None = None  # CSV only: rows whose cells are all empty (when there are any)

    @property
    def name(self) -> str:
        return self.resource["name"]

    def empty(self, field: str) -> Any:
        """Cells with no value (a cell of the wrong type has one: it is null only once typed)."""
        return pc.is_null((self.text if self.text is not None else self.typed).column(field))

    def missing(self, field: str) -> Any:
        """Empty cells outside blank rows: what the required constraint objects to (frictionless reports
        a blank row as such, and not each of its required cells)."""
        empty = self.empty(field)
        return empty if self.blank is None else pc.and_(empty, pc.invert(self.blank))

