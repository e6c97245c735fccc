"""Checks of a built package: descriptor, file sizes and hashes, column types, constraints, keys, and
that the CSV and Parquet copies of each table hold the same rows.

Checks are columnar (pyarrow compute), never cell by cell in Python.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .descriptor import PROFILE
from .errors import Problem
from .partition_check import check_partitioned
from .sources import sha256_hex
from .tables import DECIMAL_PRECISION, DECIMAL_SCALE

MAX_ROWS_SHOWN = 5
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
                "date": pa.date32(), "boolean": pa.bool_()}


class PackageReport:
    def __init__(self, descriptor_path: Path) -> None:
        self.descriptor_path = descriptor_path
        self.problems: list[Problem] = []
        self.tables: dict[str, pa.Table] = {}  # by resource name

    def add(self, code: str, message: str, resource: str | None = None, field: str | None = None,
            file: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(code, message, file=file or str(self.descriptor_path), line=line,
                                     record=resource, field=field))


def check_package(descriptor_path: Path) -> PackageReport:
    report = PackageReport(descriptor_path)
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        report.add("descriptor-invalid", f"cannot read the descriptor: {error}")
        return report
    resources = _check_descriptor(report, descriptor)
    folder = descriptor_path.parent
    for resource in resources:
        table = _read_resource(report, folder, resource)
        if table is not None:
            report.tables[resource["name"]] = table
            _check_constraints(report, resource, table)
    declared = {resource.get("name") for resource in descriptor.get("resources", []) if isinstance(resource, dict)} \
        if isinstance(descriptor, dict) and isinstance(descriptor.get("resources"), list) else set()
    for resource in resources:
        if resource["name"] in report.tables:
            _check_foreign_keys(report, resource, declared)
    _check_twins(report, resources)
    check_partitioned(report, descriptor, folder, resources)
    return report


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
        fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
        if not isinstance(fields, list) or not all(isinstance(field, dict) and field.get("type") in _ARROW_TYPES
                                                   and isinstance(field.get("name"), str) for field in fields):
            report.add("descriptor-invalid", "the resource's schema needs fields with a name and a known type",
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


def _read_resource(report: PackageReport, folder: Path, resource: dict[str, Any]) -> pa.Table | None:
    name, path = resource["name"], folder / resource["path"]
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block forever, /dev/zero never end
            report.add("resource-missing", f"{resource['path']} is not a regular file", name, "path")
            return None
        data = path.read_bytes()
    except OSError:
        report.add("resource-missing", f"{resource['path']} is missing", name, "path")
        return None
    declared_hash = resource.get("hash")
    if declared_hash is not None and declared_hash != f"sha256:{sha256_hex(data)}":
        report.add("resource-hash-mismatch", f"{resource['path']} has sha256:{sha256_hex(data)}, "
                   f"the descriptor says {declared_hash}", name, "hash")
    if "bytes" in resource and resource["bytes"] != len(data):
        report.add("resource-bytes-mismatch", f"{resource['path']} has {len(data)} bytes, "
                   f"the descriptor says {resource['bytes']}", name, "bytes")
    fields = resource["schema"]["fields"]
    expected = pa.schema([pa.field(field["name"], _ARROW_TYPES[field["type"]]) for field in fields])
    try:
        # ParquetFile.read, not read_table: read_table imports pyarrow.dataset (0.7 s) for nothing here.
        table = _read_csv(data, expected) if resource["format"] == "csv" else pq.ParquetFile(pa.BufferReader(data)).read()
    except (pa.ArrowException, OSError, ValueError) as error:  # corrupt files raise any of these
        report.add("table-unreadable", f"{resource['path']} cannot be read as {resource['format']}: {error}", name)
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
    return table.cast(expected)


def _read_csv(data: bytes, expected: pa.Schema) -> pa.Table:
    header = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r").split(",")
    if header != expected.names:
        # Read every column as text so that the column check can name the difference.
        return pacsv.read_csv(pa.BufferReader(data), convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header}))
    options = pacsv.ConvertOptions(column_types=expected, strings_can_be_null=True,
                                   true_values=["true"], false_values=["false"])
    return pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(use_threads=True),
                          convert_options=options)


def _rows(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    """1-based data row numbers (the header is row 1 in a CSV, so data starts at 2) where mask is true."""
    indices = pc.indices_nonzero(pc.fill_null(mask, False)) if not isinstance(mask, pa.ChunkedArray) else \
        pc.indices_nonzero(pc.fill_null(mask.combine_chunks(), False))
    return [index + 2 for index in indices.to_pylist()[:MAX_ROWS_SHOWN]]


def _rows_text(mask: Any) -> str:
    count = pc.sum(pc.fill_null(mask, False).cast(pa.int64())).as_py() or 0
    rows = _rows(mask)
    more = f" and {count - len(rows)} more" if count > len(rows) else ""
    return f"row{'s' if count > 1 else ''} {', '.join(map(str, rows))}{more}"


def _check_constraints(report: PackageReport, resource: dict[str, Any], table: pa.Table) -> None:
    name = resource["name"]
    for field in resource["schema"]["fields"]:
        column = table.column(field["name"])
        constraints = field.get("constraints", {})
        if constraints.get("required") and column.null_count:
            report.add("constraint-violation", f"{field['name']} is required but empty in {_rows_text(pc.is_null(column))}",
                       name, field["name"])
        if column.null_count == len(column):
            continue
        if "enum" in constraints:
            bad = pc.invert(pc.is_in(column.cast(pa.string()), value_set=pa.array(constraints["enum"], pa.string())))
            bad = pc.and_(bad, pc.is_valid(column))
            if pc.any(bad).as_py():
                report.add("constraint-violation", f"{field['name']} must be one of {constraints['enum']}: "
                           f"{_rows_text(bad)}", name, field["name"])
        if "pattern" in constraints:
            bad = pc.invert(pc.match_substring_regex(column.cast(pa.string()), f"^(?:{constraints['pattern']})$"))
            if pc.any(bad).as_py():
                report.add("constraint-violation", f"{field['name']} must match {constraints['pattern']!r}: "
                           f"{_rows_text(bad)}", name, field["name"])
        if "minimum" in constraints:
            bad = pc.less(column, pa.scalar(constraints["minimum"]).cast(column.type))
            if pc.any(bad).as_py():
                report.add("constraint-violation", f"{field['name']} must be at least {constraints['minimum']}: "
                           f"{_rows_text(bad)}", name, field["name"])
    key = resource["schema"].get("primaryKey") or []
    if key:
        _check_primary_key(report, name, table, key)


def _check_primary_key(report: PackageReport, name: str, table: pa.Table, key: list[str]) -> None:
    keyed = table.select(key)
    empty = None
    for column in keyed.columns:
        empty = pc.is_null(column) if empty is None else pc.or_(empty, pc.is_null(column))
    if pc.any(empty).as_py():
        report.add("primary-key-violation", f"primary key {key} is empty in {_rows_text(empty)}", name, ",".join(key))
    counts = keyed.group_by(key).aggregate([([], "count_all")])
    duplicated = counts.filter(pc.greater(counts["count_all"], 1))
    if duplicated.num_rows:
        shown = duplicated.select(key).to_pylist()[:MAX_ROWS_SHOWN]
        report.add("primary-key-violation", f"primary key {key} is not unique: {shown} appear more than once",
                   name, ",".join(key))


def _check_foreign_keys(report: PackageReport, resource: dict[str, Any], declared: set[str]) -> None:
    table = report.tables[resource["name"]]
    for key in resource["schema"].get("foreignKeys", []):
        fields, reference = key.get("fields", []), key.get("reference", {})
        target_name = reference.get("resource") or resource["name"]
        if len(fields) != 1 or target_name not in declared:
            report.add("foreign-key-violation", f"foreign key {fields} must name one field of a resource in the "
                       f"package, not {target_name!r}", resource["name"], ",".join(fields))
            continue
        target = report.tables.get(target_name)
        if target is None:
            continue  # the referenced table could not be read: reported on its own
        column, referenced = table.column(fields[0]), target.column(reference["fields"][0])
        missing = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=referenced.combine_chunks())))
        if pc.any(missing).as_py():
            report.add("foreign-key-violation", f"{fields[0]} has values not in {target_name}.{reference['fields'][0]}: "
                       f"{_rows_text(missing)}", resource["name"], fields[0])


def _check_twins(report: PackageReport, resources: list[dict[str, Any]]) -> None:
    """The CSV and the Parquet copy of a table (same path but for the extension) hold the same rows."""
    by_stem: dict[str, dict[str, str]] = {}
    for resource in resources:
        stem = re.sub(r"\.(csv|parquet)$", "", resource["path"])
        by_stem.setdefault(stem, {})[resource["format"]] = resource["name"]
    for stem, names in sorted(by_stem.items()):
        if {"csv", "parquet"} - names.keys():
            continue
        csv_table, parquet_table = report.tables.get(names["csv"]), report.tables.get(names["parquet"])
        if csv_table is None or parquet_table is None:
            continue
        if csv_table.num_rows != parquet_table.num_rows:
            report.add("csv-parquet-mismatch", f"{stem}: CSV has {csv_table.num_rows} rows, Parquet "
                       f"{parquet_table.num_rows}", names["parquet"])
            continue
        for field in csv_table.column_names:
            left, right = csv_table.column(field), parquet_table.column(field)
            differ = pc.invert(pc.fill_null(pc.equal(left, right), False))
            both_null = pc.and_(pc.is_null(left), pc.is_null(right))
            differ = pc.and_(differ, pc.invert(both_null))
            if pc.any(differ).as_py():
                report.add("csv-parquet-mismatch", f"{stem}: column {field} differs between CSV and Parquet in "
                           f"{_rows_text(differ)}", names["parquet"], field)
