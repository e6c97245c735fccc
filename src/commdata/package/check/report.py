"""Where the problems of a package check go, and how a problem of some rows is told: one per row for
the first few, then a count."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa  # the package check is Arrow throughout; validating records never imports it
import pyarrow.compute as pc

from commdata.domain.sources import sha256_hex
from commdata.errors import Problem
from commdata.package.check.table import CheckedTable

MAX_ROWS_SHOWN = 5  # problems of one kind in one column, each with its row; the rest are counted
MAX_VALUE_SHOWN = 60  # characters of a cell quoted in a message
VALUE = "\x00value\x00"  # stands for the cell in a message of per_row


class PackageReport:
    def __init__(self, descriptor_path: Path) -> None:
        self.descriptor_path = descriptor_path
        self.problems: list[Problem] = []
        self.tables: dict[str, pa.Table] = {}  # by resource name

    def add(self, code: str, message: str, resource: str | None = None, field: str | None = None,
            file: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(code, message, file=file or str(self.descriptor_path), line=line,
                                     record=resource, field=field))

    def check_file(self, relative: str, data: bytes, declared: dict[str, Any], declared_by: str, resource: str,
                   field: str | None = None) -> None:
        """A file's SHA-256 and size against ``declared["hash"]`` and ``declared["bytes"]``, when
        declared (by ``declared_by``, as the message says). The problems name ``field``, else the key."""
        if declared.get("hash") is not None:
            digest = f"sha256:{sha256_hex(data)}"
            if digest != declared["hash"]:
                self.add("resource-hash-mismatch", f"{relative} has {digest}, {declared_by} says {declared['hash']}",
                         resource, field or "hash")
        if "bytes" in declared and declared["bytes"] != len(data):
            self.add("resource-bytes-mismatch", f"{relative} has {len(data)} bytes, {declared_by} says "
                     f"{declared['bytes']}", resource, field or "bytes")



def cell_text(value: Any) -> str:
    """A cell for a message: text quoted (and cut short), numbers and dates as written."""
    if not isinstance(value, str):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = repr(value)
    return text if len(text) <= MAX_VALUE_SHOWN else text[:MAX_VALUE_SHOWN - 2] + "…" + text[-1]



def per_row(report: PackageReport, table: CheckedTable, code: str, mask: Any, field: str | None, message: str,
             values: Any = None) -> None:
    """One problem for each of the first MAX_ROWS_SHOWN rows where ``mask`` is true, named by its row
    (and line), with ``message`` in which VALUE stands for the row's cell in ``values``; one more
    problem counts the rest."""
    mask = pc.fill_null(mask, False)
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    indices = pc.indices_nonzero(mask)
    if not len(indices):
        return
    shown = indices.slice(0, MAX_ROWS_SHOWN)
    cells = values.take(shown).to_pylist() if values is not None else [None] * len(shown)
    for index, cell in zip(shown.to_pylist(), cells):
        text = message.replace(VALUE, cell_text(cell)) if values is not None else message
        report.add(code, f"{table.rows.place(index)}: {text}", table.name, field, table.file,
                   table.rows.line(index))
    if len(indices) > MAX_ROWS_SHOWN:
        index = indices[MAX_ROWS_SHOWN].as_py()
        report.add(code, f"{len(indices) - MAX_ROWS_SHOWN} more rows like the above, the next at "
                   f"{table.rows.place(index)}", table.name, field, table.file, table.rows.line(index))

