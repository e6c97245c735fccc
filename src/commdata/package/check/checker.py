"""Checks of a built package: descriptor, file sizes and hashes, column types, constraints, keys, and
that the CSV and Parquet copies of each table hold the same rows.

Checks are columnar (pyarrow compute), never cell by cell in Python. A CSV table is read as text
first, so that a cell of the wrong type, a row with too many or too few cells or an empty row is a
problem of that row, not an unreadable table; the columns are then typed by pyarrow.

Row-level problems of a CSV name the CSV file, its resource, the field and the line: the physical
line in the file, which is also the row number frictionless reports (the header is row 1, the first
data row row 2) unless a quoted value holds a line break, in which case the message gives both.
Parquet problems give the row counted from 1, and no line.
"""

from __future__ import annotations

import csv
import json
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from commdata.package.descriptor import PROFILE
from commdata.errors import Problem
from commdata.parallel import workers
from commdata.package.check.partitions import check_partitioned
from commdata.domain.sources import sha256_hex
from commdata.package.specs import DECIMAL_PRECISION, DECIMAL_SCALE

MAX_ROWS_SHOWN = 5  # problems of one kind in one column, each with its row; the rest are counted
MAX_BAD_ROWS = 1000  # rows of the wrong length before a CSV counts as unreadable
MAX_VALUE_SHOWN = 60  # characters of a cell quoted in a message
VALUE = "\x00value\x00"  # stands for the cell in a message of _per_row
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
                "date": pa.date32(), "boolean": pa.bool_()}
# Table Schema defaults (https://datapackage.org/standard/table-schema/).
_MISSING_VALUES = [""]
_TRUE_VALUES = ["true", "True", "TRUE", "1"]
_FALSE_VALUES = ["false", "False", "FALSE", "0"]
# The lexical forms a typed CSV cell may take: what Table Schema allows and the column type can hold
# (int64; decimal128 with 32 digits before the point and 6 after).
_LEXICAL = {
    "integer": r"^[+-]?[0-9]{1,18}$",
    "number": rf"^[+-]?(?:[0-9]{{1,{DECIMAL_PRECISION - DECIMAL_SCALE}}}(?:\.[0-9]{{0,{DECIMAL_SCALE}}})?"
              rf"|\.[0-9]{{1,{DECIMAL_SCALE}}})$",
    "date": r"^(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$",  # years 1 to 9999
}
_TYPE_NAMES = {"integer": "an integer (digits, at most 18)",
               "number": f"a number (at most {DECIMAL_PRECISION - DECIMAL_SCALE} digits before the point and "
                         f"{DECIMAL_SCALE} after, no exponent)",
               "date": "a date (YYYY-MM-DD)", "boolean": "a boolean"}


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


@dataclass
class _Rows:
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
class _Table:
    """A table read for checking: typed columns, and for a CSV the text the cells had."""

    resource: dict[str, Any]
    file: str
    typed: pa.Table
    rows: _Rows
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


def check_package(descriptor_path: Path) -> PackageReport:
    report = PackageReport(descriptor_path)
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        report.add("descriptor-invalid", f"cannot read the descriptor: {error}")
        return report
    resources = _check_descriptor(report, descriptor)
    folder = descriptor_path.parent
    tables: dict[str, _Table] = {}
    # Two resources at a time on two cores: Arrow reads and computes outside the GIL. Each has its own
    # report, added in the descriptor's order, so the problems come out in the same order.
    with ThreadPoolExecutor(max_workers=workers()) as threads:
        checked = list(threads.map(lambda resource: _read_and_check(descriptor_path, folder, resource), resources))
    for resource, (problems, table) in zip(resources, checked):
        report.problems += problems
        if table is not None:
            tables[resource["name"]] = table
            report.tables[resource["name"]] = table.typed
    declared = {resource.get("name") for resource in descriptor.get("resources", []) if isinstance(resource, dict)} \
        if isinstance(descriptor, dict) and isinstance(descriptor.get("resources"), list) else set()
    for table in tables.values():
        _check_foreign_keys(report, table, tables, declared)
    _check_twins(report, resources, tables)
    check_partitioned(report, descriptor, folder, resources)
    return report


def _read_and_check(descriptor_path: Path, folder: Path, resource: dict[str, Any]) -> tuple[list[Problem], _Table | None]:
    """One resource read and its constraints checked: its problems, and its table when readable."""
    report = PackageReport(descriptor_path)
    table = _read_resource(report, folder, resource)
    if table is not None:
        _check_constraints(report, table)
        table.text = None  # the typed columns are all that the checks across tables need
    return report.problems, table


def _check_descriptor(report: PackageReport, descriptor: Any) -> list[dict[str, Any]]:
    if not isinstance(descriptor, dict):
        report.add("descriptor-invalid", "the descriptor is not a JSON object")
        return []
    for key in ("$schema", "name", "version", "created", "licenses", "resources"):
        if key not in descriptor:
            report.add("descriptor-invalid", f"the descriptor has no {key!r}", field=key)
    if descriptor.get("$schema") not in (None, PROFILE):
        report.add("descriptor-invalid", f"$schema must be {PROFILE}", field="$schema")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    good = []
    names: set[str] = set()
    for index, resource in enumerate(resources):
        where = f"resources.{index}"
        if not isinstance(resource, dict) or not all(isinstance(resource.get(key), str) for key in ("name", "path", "format")):
            report.add("descriptor-invalid", "a resource needs name, path and format", field=where)
            continue
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(isinstance(field, dict) and field.get("type") in _ARROW_TYPES
                                                   and isinstance(field.get("name"), str) for field in fields):
            report.add("descriptor-invalid", "the resource's schema needs fields with a name and a known type",
                       resource["name"], where)
            continue
        if not _strings(schema.get("missingValues", [])) or not all(
                _strings(field.get(key, [])) for field in fields for key in ("trueValues", "falseValues")):
            report.add("descriptor-invalid", "missingValues, trueValues and falseValues must be lists of strings",
                       resource["name"], where)
            continue
        path = resource["path"]
        if path.startswith("/") or ".." in Path(path).parts or resource["format"] not in ("csv", "parquet"):
            report.add("descriptor-invalid", f"path {path!r} must stay in the package and format be csv or parquet",
                       resource["name"], where)
            continue
        if resource["name"] in names:
            report.add("descriptor-invalid", f"resource name {resource['name']!r} is used twice", resource["name"], where)
            continue
        names.add(resource["name"])
        good.append(resource)
    return good


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _read_resource(report: PackageReport, folder: Path, resource: dict[str, Any]) -> _Table | None:
    name, path = resource["name"], folder / resource["path"]
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block forever, /dev/zero never end
            report.add("resource-missing", f"{resource['path']} is not a regular file", name, "path")
            return None
        data = path.read_bytes()
    except OSError:
        report.add("resource-missing", f"{resource['path']} is missing", name, "path")
        return None
    report.check_file(resource["path"], data, resource, "the descriptor", name)
    fields = resource["schema"]["fields"]
    expected = pa.schema([pa.field(field["name"], _ARROW_TYPES[field["type"]]) for field in fields])
    file = str(report.descriptor_path.parent / resource["path"])
    if resource["format"] == "csv":
        return _read_csv_resource(report, resource, data, expected, file)
    try:
        # ParquetFile.read, not read_table: read_table imports pyarrow.dataset (0.7 s) for nothing here.
        table = pq.ParquetFile(pa.BufferReader(data)).read()
    except (pa.ArrowException, OSError, ValueError) as error:  # corrupt files raise any of these
        report.add("table-unreadable", f"{resource['path']} cannot be read as parquet: {error}", name)
        return None
    if table.column_names != expected.names:
        report.add("field-mismatch", f"{resource['path']} has columns {table.column_names}, "
                   f"the schema lists {expected.names}", name, "schema.fields")
        return None
    for field, column in zip(expected, table.columns):
        actual = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if actual != field.type:
            report.add("field-mismatch", f"column {field.name} of {resource['path']} is {actual}, "
                       f"the schema says {field.type}", name, field.name)
            return None
    return _Table(resource, file, table.cast(expected), _Rows(csv=False))


# ---------------------------------------------------------------------------------------------------
# CSV: read as text, rows of the wrong length set aside, then typed column by column.

@dataclass
class _Dropped:
    """A row the reader set aside for its number of cells."""

    record: int  # its index among the records of the file, the header being record 1
    cells: int
    text: str


def _read_csv_resource(report: PackageReport, resource: dict[str, Any], data: bytes, expected: pa.Schema,
                       file: str) -> _Table | None:
    name = resource["name"]
    end = data.find(b"\n")
    header = data[:end if end >= 0 else len(data)].decode("utf-8", errors="replace").rstrip("\r").split(",")
    if header != expected.names:
        report.add("field-mismatch", f"{resource['path']} has columns {header}, the schema lists {expected.names}",
                   name, "schema.fields")
        return None
    missing_values = resource["schema"].get("missingValues", _MISSING_VALUES)
    try:
        text, dropped, breaks = _read_csv_text(data, expected.names, missing_values)
    except (pa.ArrowException, OSError, ValueError) as error:
        report.add("table-unreadable", f"{resource['path']} cannot be read as csv: {error}", name, file=file)
        return None
    if dropped:
        text = _put_back(text, dropped, missing_values)
    rows = _Rows(csv=True)
    if breaks:  # count the line breaks in each row's values, across the columns, to number the lines
        per_row = None
        for column in text.columns:
            count = pc.fill_null(pc.count_substring(column, "\n"), 0)
            per_row = count if per_row is None else pc.add(per_row, count)
        rows.breaks_through = pc.cumulative_sum(per_row.combine_chunks())
    table = _Table(resource, file, text, rows, text=text)
    width = len(expected.names)
    for row in dropped:
        index = row.record - 2
        if row.cells > width:
            report.add("row-length-mismatch", f"{rows.place(index)} has {row.cells} cells, the header {width}: the "
                       f"cells from column {width + 1} on belong to no field", name, None, file, rows.line(index))
        else:
            lost = expected.names[row.cells:]
            report.add("row-length-mismatch", f"{rows.place(index)} has {row.cells} cells, the header {width}: no "
                       f"cell for {', '.join(lost)}", name, lost[0], file, rows.line(index))
    _check_blank_rows(report, table)
    table.typed = _typed(report, table, expected)
    return table


def _read_csv_text(data: bytes, names: list[str], missing_values: list[str]) -> tuple[pa.Table, list[_Dropped], bool]:
    """Every column as text; the rows of the wrong length, which the reader sets aside; and whether a
    quoted value spans lines. Allowing line breaks in values costs the reader its fastest mode, and only
    a single thread numbers the rows it sets aside: so it reads fast first, and again only when the rows
    do not add up to the lines of the file (or a row is longer than the fast reading's blocks)."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in names}, null_values=missing_values,
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    try:
        text = pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(use_threads=True),
                              parse_options=pacsv.ParseOptions(ignore_empty_lines=False), convert_options=convert)
        if 1 + text.num_rows == lines:
            return text, [], False
    except pa.ArrowInvalid:
        pass
    dropped: list[_Dropped] = []

    def set_aside(row: pacsv.InvalidRow) -> str:
        dropped.append(_Dropped(row.number, row.actual_columns, row.text))
        return "skip" if len(dropped) <= MAX_BAD_ROWS else "error"

    parse = pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=set_aside)
    # One block: the first reading also fails on a row longer than its blocks (a whole source text).
    single = pacsv.ReadOptions(use_threads=False, block_size=min(len(data) + 1, (1 << 31) - 1))
    try:
        text = pacsv.read_csv(pa.BufferReader(data), read_options=single, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid:
        if len(dropped) > MAX_BAD_ROWS:
            raise ValueError(f"more than {MAX_BAD_ROWS} rows have the wrong number of cells") from None
        raise
    return text, dropped, 1 + text.num_rows + len(dropped) != lines


def _put_back(text: pa.Table, dropped: list[_Dropped], missing_values: list[str]) -> pa.Table:
    """The rows of the wrong length back in their places, cut or padded to the header (as frictionless
    reads them: extra cells ignored, missing ones empty), so that the rows after them keep their numbers
    and their cells are checked."""
    width = text.num_columns
    pieces, taken = [], 0
    for position, row in enumerate(dropped):
        before = row.record - 2 - position  # rows of ``text`` before this one
        pieces.append(text.slice(taken, before - taken))
        taken = before
        cells = next(csv.reader([row.text]), [])[:width]
        cells += [None] * (width - len(cells))
        pieces.append(pa.table([pa.array([None if cell in missing_values else cell], pa.string()) for cell in cells],
                               schema=text.schema))
    pieces.append(text.slice(taken))
    return pa.concat_tables(pieces).combine_chunks() if len(pieces) > 1 else text


def _check_blank_rows(report: PackageReport, table: _Table) -> None:
    """Rows whose cells are all empty (an empty line is one): reported as such, and left out of the
    check of required cells; their empty primary key is reported too, as frictionless does."""
    text = table.text
    if text.num_columns == 0 or min(column.null_count for column in text.columns) == 0:
        return
    blank = None
    for column in text.columns:
        blank = pc.is_null(column) if blank is None else pc.and_(blank, pc.is_null(column))
    if pc.any(blank).as_py():
        table.blank = blank
        _per_row(report, table, "blank-row", blank, None, "every cell is empty")


def _typed(report: PackageReport, table: _Table, expected: pa.Schema) -> pa.Table:
    """The text columns cast to the schema's types; a cell that is not of its field's type is reported
    and becomes null."""
    columns = []
    for spec, target in zip(table.resource["schema"]["fields"], expected):
        column = table.text.column(spec["name"])
        kind = spec["type"]
        if kind == "string" or column.null_count == len(column):
            columns.append(column.cast(target.type))
            continue
        if kind == "boolean":
            true_values = spec.get("trueValues", _TRUE_VALUES)
            valid = pc.is_in(column, value_set=pa.array(true_values + spec.get("falseValues", _FALSE_VALUES), pa.string()))
        else:
            valid = pc.match_substring_regex(column, _LEXICAL[kind])
        if kind == "date":  # a day the month has: strptime takes 2024-02-30 for 2024-03-01
            parsed = pc.strptime(pc.if_else(valid, column, pa.scalar(None, pa.string())), format="%Y-%m-%d",
                                 unit="s", error_is_null=True)
            valid = pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), column), False)
        bad = pc.and_(pc.is_valid(column), pc.invert(valid))
        if pc.any(bad).as_py():
            _per_row(report, table, "cell-type-error", bad, spec["name"],
                     f"{spec['name']} {VALUE} is not {_TYPE_NAMES[kind]}", column)
            column = pc.if_else(bad, pa.scalar(None, pa.string()), column)
        if kind == "boolean":
            columns.append(pc.if_else(pc.is_null(column), pa.scalar(None, pa.bool_()),
                                      pc.is_in(column, value_set=pa.array(true_values, pa.string()))))
        elif kind == "date":
            columns.append(pc.if_else(bad, pa.scalar(None, pa.timestamp("s")), parsed).cast(pa.date32()))
        elif kind == "integer":
            columns.append(pc.replace_substring_regex(column, r"^\+", "").cast(target.type))
        else:
            columns.append(column.cast(target.type))
    return pa.Table.from_arrays(columns, schema=expected)


def _shown(value: Any) -> str:
    """A cell for a message: text quoted (and cut short), numbers and dates as written."""
    if not isinstance(value, str):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = repr(value)
    return text if len(text) <= MAX_VALUE_SHOWN else text[:MAX_VALUE_SHOWN - 2] + "…" + text[-1]


# ---------------------------------------------------------------------------------------------------
# Constraints and keys.

def _per_row(report: PackageReport, table: _Table, code: str, mask: Any, field: str | None, message: str,
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
        text = message.replace(VALUE, _shown(cell)) if values is not None else message
        report.add(code, f"{table.rows.place(index)}: {text}", table.name, field, table.file,
                   table.rows.line(index))
    if len(indices) > MAX_ROWS_SHOWN:
        index = indices[MAX_ROWS_SHOWN].as_py()
        report.add(code, f"{len(indices) - MAX_ROWS_SHOWN} more rows like the above, the next at "
                   f"{table.rows.place(index)}", table.name, field, table.file, table.rows.line(index))


def _check_constraints(report: PackageReport, table: _Table) -> None:
    for field in table.resource["schema"]["fields"]:
        name = field["name"]
        column = table.typed.column(name)
        written = table.text.column(name) if table.text is not None else column  # for messages
        constraints = field.get("constraints", {})
        if constraints.get("required") and column.null_count:
            _per_row(report, table, "constraint-violation", table.missing(name), name,
                     f"{name} is required but empty")
        if column.null_count == len(column):
            continue
        if "enum" in constraints:
            bad = pc.invert(pc.is_in(column.cast(pa.string()), value_set=pa.array(constraints["enum"], pa.string())))
            bad = pc.and_(bad, pc.is_valid(column))
            if pc.any(bad).as_py():
                _per_row(report, table, "constraint-violation", bad, name,
                         f"{name} must be one of {constraints['enum']}, not {VALUE}", written)
        if "pattern" in constraints:
            bad = pc.invert(pc.match_substring_regex(column.cast(pa.string()), f"^(?:{constraints['pattern']})$"))
            if pc.any(bad).as_py():
                _per_row(report, table, "constraint-violation", bad, name,
                         f"{name} {VALUE} must match {constraints['pattern']!r}", written)
        for key, compare, words in (("minimum", pc.less, "at least"), ("maximum", pc.greater, "at most")):
            if key in constraints:
                bad = compare(column, pa.scalar(constraints[key]).cast(column.type))
                if pc.any(bad).as_py():
                    _per_row(report, table, "constraint-violation", bad, name,
                             f"{name} must be {words} {constraints[key]}, not {VALUE}", written)
    key = table.resource["schema"].get("primaryKey") or []
    if isinstance(key, str):
        key = [key]
    if key:
        _check_primary_key(report, table, key)


def _check_primary_key(report: PackageReport, table: _Table, key: list[str]) -> None:
    label = ",".join(key)
    empty = None
    for name in key:
        empty = table.empty(name) if empty is None else pc.or_(empty, table.empty(name))
    if pc.any(empty).as_py():
        _per_row(report, table, "primary-key-violation", empty, label, f"primary key {label} is empty")
    keyed = table.typed.select(key)
    groups = keyed.group_by(key).aggregate([([], "count_all")])
    repeated = groups.filter(pc.greater(groups["count_all"], 1))
    if not repeated.num_rows:
        return
    # The rows that hold a repeated key, with their index: all but the first of each key repeat it.
    holding = None
    for name in key:
        member = pc.is_in(keyed.column(name), value_set=repeated.column(name).combine_chunks())
        holding = member if holding is None else pc.and_(holding, member)
        holding = pc.and_(holding, pc.is_valid(keyed.column(name)))  # an empty key repeats nothing
    indices = pc.indices_nonzero(pc.fill_null(holding.combine_chunks(), False))
    candidates = keyed.take(indices).append_column("index", indices)
    firsts = candidates.group_by(key).aggregate([("index", "min")])
    later = candidates.filter(pc.invert(pc.is_in(candidates["index"], value_set=firsts["index_min"].combine_chunks())))
    later = later.sort_by("index")
    for row in later.slice(0, MAX_ROWS_SHOWN).to_pylist():
        same = None
        for name in key:
            equal = pc.equal(firsts[name], pa.scalar(row[name], firsts.schema.field(name).type))
            same = equal if same is None else pc.and_(same, equal)
        first = firsts.filter(same)["index_min"][0].as_py()
        shown = ", ".join(f"{name} {_shown(row[name])}" for name in key)
        report.add("primary-key-violation", f"{table.rows.place(row['index'])}: primary key {shown} is the same as in "
                   f"{table.rows.place(first)}", table.name, label, table.file, table.rows.line(row["index"]))
    if later.num_rows > MAX_ROWS_SHOWN:
        index = later["index"][MAX_ROWS_SHOWN].as_py()
        report.add("primary-key-violation", f"{later.num_rows - MAX_ROWS_SHOWN} more rows repeat a primary key, the "
                   f"next at {table.rows.place(index)}", table.name, label, table.file, table.rows.line(index))


def _check_foreign_keys(report: PackageReport, table: _Table, tables: dict[str, _Table], declared: set[str]) -> None:
    for key in table.resource["schema"].get("foreignKeys", []):
        fields, reference = key.get("fields", []), key.get("reference", {})
        if isinstance(fields, str):
            fields = [fields]
        target_name = reference.get("resource") or table.name
        referenced_fields = reference.get("fields", [])
        if isinstance(referenced_fields, str):
            referenced_fields = [referenced_fields]
        if len(fields) != 1 or len(referenced_fields) != 1 or target_name not in declared:
            report.add("foreign-key-violation", f"foreign key {fields} must name one field of a resource in the "
                       f"package, not {target_name!r}", table.name, ",".join(fields))
            continue
        target = tables.get(target_name)
        if target is None:
            continue  # the referenced table could not be read: reported on its own
        column, referenced = table.typed.column(fields[0]), target.typed.column(referenced_fields[0])
        missing = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=referenced.combine_chunks())))
        if pc.any(missing).as_py():
            _per_row(report, table, "foreign-key-violation", missing, fields[0],
                     f"{fields[0]} {VALUE} is not the {referenced_fields[0]} of any row of {target_name}", column)


def _check_twins(report: PackageReport, resources: list[dict[str, Any]], tables: dict[str, _Table]) -> None:
    """The CSV and the Parquet copy of a table (same path but for the extension) hold the same rows."""
    by_stem: dict[str, dict[str, str]] = {}
    for resource in resources:
        stem = re.sub(r"\.(csv|parquet)$", "", resource["path"])
        by_stem.setdefault(stem, {})[resource["format"]] = resource["name"]
    for stem, names in sorted(by_stem.items()):
        if {"csv", "parquet"} - names.keys():
            continue
        csv_table, parquet_table = tables.get(names["csv"]), tables.get(names["parquet"])
        if csv_table is None or parquet_table is None:
            continue
        left_rows, right_rows = csv_table.typed.num_rows, parquet_table.typed.num_rows
        if left_rows != right_rows:
            report.add("csv-parquet-mismatch", f"{stem}: CSV has {left_rows} rows, Parquet {right_rows}",
                       names["parquet"])
            continue
        for field in csv_table.typed.column_names:
            left, right = csv_table.typed.column(field), parquet_table.typed.column(field)
            differ = pc.invert(pc.fill_null(pc.equal(left, right), False))
            both_null = pc.and_(pc.is_null(left), pc.is_null(right))
            differ = pc.and_(differ, pc.invert(both_null))
            if pc.any(differ).as_py():
                first = pc.index(differ, True).as_py()
                count = pc.sum(differ.cast(pa.int64())).as_py()
                more = f" (and {count - 1} more row{'s' if count > 2 else ''} of this column)" if count > 1 else ""
                report.add("csv-parquet-mismatch", f"{csv_table.rows.place(first)}: {field} differs from the same row "
                           f"of {names['parquet']}{more}", names["csv"], field, csv_table.file,
                           csv_table.rows.line(first))
