"""A resource's file read into an Arrow table of its declared types, with a problem for every cell or
row that does not fit.

A CSV table is read as text first, so that a cell of the wrong type, a row with too many or too few
cells or an empty row is a problem of that row, not an unreadable table; the columns are then typed
by pyarrow, columnar, never cell by cell in Python.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

import pyarrow as pa  # the package check is Arrow throughout; validating records never imports it
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from commdata.domain.quantities import DECIMAL_PRECISION, DECIMAL_SCALE
from commdata.errors import PackageRefusedError
from commdata.package.check.report import VALUE, PackageReport, per_row
from commdata.package.check.table import CheckedTable, RowPlaces
from commdata.package.gate import GateError, GatedPackage, resource_format
from commdata.package.gate.parquet import parquet_table
from commdata.package.types import arrow_type_of

MAX_BAD_ROWS = 1000  # rows of the wrong length before a CSV counts as unreadable
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


def typed_table(package: GatedPackage, resource: dict[str, Any]) -> pa.Table:
    """The resource's file as a table of its declared types, for a command that reads it (diff): a file
    with any problem (its hash, its columns, its cells) refuses the package."""
    report = PackageReport(package.descriptor_path)
    table = read_resource(report, package, resource)
    if table is None or report.problems:
        raise PackageRefusedError(package.descriptor_path, report.problems)
    return table.typed


def read_resource(report: PackageReport, package: GatedPackage, resource: dict[str, Any]) -> CheckedTable | None:
    """The resource's file, read through the gate, as a table of its declared types (None when it
    cannot be read; the problem says why)."""
    name, relative = resource["name"], resource["path"]
    try:
        data = package.read(relative)
    except GateError as error:
        report.add(error.code, error.message, name, "path")
        return None
    report.check_file(relative, data, resource, "the descriptor", name)
    fields = resource["schema"]["fields"]
    expected = pa.schema([pa.field(field["name"], arrow_type_of(field["type"])) for field in fields])
    file = str(report.descriptor_path.parent / relative)
    if resource_format(resource) == "csv":
        return _read_csv_resource(report, resource, data, expected, file)
    try:
        table = parquet_table(data)
    except GateError as error:
        report.add(error.code, f"{resource['path']}: {error.message}", name)
        return None
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
    return CheckedTable(resource, file, table.cast(expected), RowPlaces(csv=False))


# ---------------------------------------------------------------------------------------------------
# CSV: read as text, rows of the wrong length set aside, then typed column by column.

@dataclass
class _Dropped:
    """A row the reader set aside for its number of cells."""

    record: int  # its index among the records of the file, the header being record 1
    cells: int
    text: str


def _read_csv_resource(report: PackageReport, resource: dict[str, Any], data: bytes, expected: pa.Schema,
                       file: str) -> CheckedTable | None:
    name = resource["name"]
    header = _header(data)
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
    rows = RowPlaces(csv=True)
    if breaks:  # count the line breaks in each row's values, across the columns, to number the lines
        breaks_in_row: Any = None
        for column in text.columns:
            count = pc.fill_null(pc.count_substring(column, "\n"), 0)
            breaks_in_row = count if breaks_in_row is None else pc.add(breaks_in_row, count)
        rows.breaks_through = pc.cumulative_sum(breaks_in_row.combine_chunks())
    table = CheckedTable(resource, file, text, rows, text=text)
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


def _header(data: bytes) -> list[str]:
    """The names in a CSV file's header row, as RFC 4180 reads them (a name may be quoted)."""
    end = data.find(b"\n")
    line = data[:end if end >= 0 else len(data)].decode("utf-8", errors="replace").rstrip("\r")
    return next(csv.reader([line]), [])


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
        cells: list[str | None] = [*next(csv.reader([row.text]), [])[:width]]
        cells += [None] * (width - len(cells))
        pieces.append(pa.table([pa.array([None if cell in missing_values else cell], pa.string()) for cell in cells],
                               schema=text.schema))
    pieces.append(text.slice(taken))
    return pa.concat_tables(pieces).combine_chunks() if len(pieces) > 1 else text


def _check_blank_rows(report: PackageReport, table: CheckedTable) -> None:
    """Rows whose cells are all empty (an empty line is one): reported as such, and left out of the
    check of required cells; their empty primary key is reported too, as frictionless does."""
    text = table.text
    assert text is not None  # a CSV table, read as text
    if text.num_columns == 0 or min(column.null_count for column in text.columns) == 0:
        return
    blank = None
    for column in text.columns:
        blank = pc.is_null(column) if blank is None else pc.and_(blank, pc.is_null(column))
    if pc.any(blank).as_py():
        table.blank = blank
        per_row(report, table, "blank-row", blank, None, "every cell is empty")


def _typed(report: PackageReport, table: CheckedTable, expected: pa.Schema) -> pa.Table:
    """The text columns cast to the schema's types; a cell that is not of its field's type is reported
    and becomes null."""
    assert table.text is not None  # a CSV table, read as text
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
            per_row(report, table, "cell-type-error", bad, spec["name"],
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

