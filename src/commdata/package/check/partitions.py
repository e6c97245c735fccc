"""Checks of a package's partitioned Parquet copy (partitioning.py), for `commdata validate PKG`.

What ``commdata:partitioned`` declares must be what the folder holds: each file a regular file inside
the package, read through the gate (no link, FIFO or device), of the declared size, hash and row count, with the columns of
its table less the partition columns; the rows of a table's files adding up to the declared rows and
to the table's own; every Parquet table of the package listed; and no Parquet file in the folder that
the descriptor does not list (a reader of ``<table>/**/*.parquet`` would take its rows too). A package
without the property is not checked here.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from commdata.errors import PartitionError
from commdata.layout import PARTITIONED_DIR
from commdata.package.gate import GateError, GatedPackage, resource_format
from commdata.package.partition_columns import PROPERTY, declared_columns

if TYPE_CHECKING:
    from commdata.package.check.report import PackageReport

MAX_UNDECLARED_SHOWN = 5


def check_partitioned(report: PackageReport, package: GatedPackage, resources: list[dict[str, Any]]) -> None:
    """Add the problems of the partitioned copy to ``report`` (whose tables are already read)."""
    descriptor, folder = package.descriptor, package.root
    if not isinstance(descriptor, dict) or PROPERTY not in descriptor:
        return
    try:
        declared_columns(descriptor)
    except PartitionError as error:
        report.add("descriptor-invalid", str(error), field=PROPERTY)
        return
    entries = descriptor[PROPERTY].get("tables")
    if not isinstance(entries, list) or not all(_well_formed(entry) for entry in entries):
        report.add("descriptor-invalid", f"{PROPERTY} needs tables, each with a name, partitionBy, rows and files "
                   "(each with a path, rows, bytes and hash)", field=PROPERTY)
        return
    parquet = {resource["name"].removesuffix("-parquet"): resource for resource in resources
               if resource_format(resource) == "parquet"}
    for name in sorted(parquet.keys() - {entry["name"] for entry in entries}):
        report.add("partition-mismatch", f"{PROPERTY} lists no partitioned copy of table {name}", name, PROPERTY)
    declared_paths: set[str] = set()
    for entry in entries:
        name, columns = entry["name"], entry["partitionBy"]
        if name not in parquet:
            report.add("partition-mismatch", f"{PROPERTY} lists {name!r}, which is not a Parquet table of the package",
                       name, PROPERTY)
            continue
        table = report.tables.get(parquet[name]["name"])  # None: unreadable, reported on its own
        expected = None if table is None else pa.schema([field for field in table.schema if field.name not in columns])
        for file in entry["files"]:
            if not _path_ok(file["path"], name, columns):
                report.add("descriptor-invalid", f"partition file {file['path']!r} must be a .parquet file under "
                           f"{PARTITIONED_DIR}/{name}/ with one folder for each of {columns}", name, PROPERTY)
                continue
            declared_paths.add(file["path"])
            _check_file(report, package, name, expected, file)
        counted = sum(file["rows"] for file in entry["files"])
        if counted != entry["rows"] or table is not None and counted != table.num_rows:
            report.add("partition-mismatch", f"the partitioned copy of {name} has {counted} rows in its files, "
                       f"{PROPERTY} says {entry['rows']}" + ("" if table is None else f", the table has {table.num_rows}"),
                       name, PROPERTY)
    undeclared = sorted(path for path in _parquet_files(folder / PARTITIONED_DIR, folder) if path not in declared_paths)
    for path in undeclared[:MAX_UNDECLARED_SHOWN]:
        report.add("partition-mismatch", f"{path} is not declared in {PROPERTY}: readers of the folder would take "
                   "its rows too", field=PROPERTY)
    if len(undeclared) > MAX_UNDECLARED_SHOWN:
        report.add("partition-mismatch", f"and {len(undeclared) - MAX_UNDECLARED_SHOWN} more undeclared files under "
                   f"{PARTITIONED_DIR}", field=PROPERTY)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _well_formed(entry: Any) -> bool:
    """A table entry: name, partitionBy, rows, files (each with path, rows, bytes, hash)."""
    return isinstance(entry, dict) and isinstance(entry.get("name"), str) and _is_count(entry.get("rows")) \
        and isinstance(entry.get("partitionBy"), list) and all(isinstance(c, str) for c in entry["partitionBy"]) \
        and isinstance(entry.get("files"), list) and all(
            isinstance(file, dict) and isinstance(file.get("path"), str) and isinstance(file.get("hash"), str)
            and _is_count(file.get("rows")) and _is_count(file.get("bytes")) for file in entry["files"])


def _path_ok(path: str, table: str, columns: list[str]) -> bool:
    """``path`` is PARTITIONED_DIR/table/col=…/…/NAME.parquet: one ``col=`` folder per column, in order,
    and no part that is empty, ``.`` or ``..``."""
    pure = PurePosixPath(path)
    base = (*PurePosixPath(PARTITIONED_DIR).parts, table)
    folders = pure.parts[len(base):-1]
    return not pure.is_absolute() and "\\" not in path and path.endswith(".parquet") \
        and pure.parts[:len(base)] == base and all(part not in ("", ".", "..") for part in path.split("/")) \
        and len(folders) == len(columns) and all(f.startswith(f"{c}=") for f, c in zip(folders, columns))


def _parquet_files(root: Path, folder: Path) -> list[str]:
    """Paths (relative to the package folder) of the Parquet files under ``root``; links not followed."""
    found = []
    for directory, _, names in os.walk(root):
        found += [(Path(directory) / name).relative_to(folder).as_posix() for name in names if name.endswith(".parquet")]
    return found


def _check_file(report: PackageReport, package: GatedPackage, name: str, expected: pa.Schema | None,
                file: dict[str, Any]) -> None:
    relative = file["path"]
    try:
        data = package.read(relative)  # a regular file inside the package: no link, FIFO or device
    except GateError as error:
        code = "partition-missing" if error.code in ("resource-missing", "path-not-regular-file") else error.code
        report.add(code, error.message, name, PROPERTY)
        return
    report.check_file(relative, data, file, PROPERTY, name, PROPERTY)  # _well_formed: both are declared
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        schema, rows = parquet.schema_arrow, parquet.metadata.num_rows
    except (pa.ArrowException, OSError, ValueError) as error:  # corrupt files raise any of these
        report.add("table-unreadable", f"{relative} cannot be read as parquet: {error}", name, PROPERTY)
        return
    if expected is not None:
        types = [t.value_type if pa.types.is_dictionary(t) else t for t in schema.types]
        if schema.names != expected.names or types != expected.types:
            report.add("field-mismatch", f"{relative} has columns {_columns(schema.names, types)}, the table less "
                       f"its partition columns has {_columns(expected.names, expected.types)}", name, PROPERTY)
    if rows != file["rows"]:
        report.add("partition-mismatch", f"{relative} has {rows} rows, {PROPERTY} says {file['rows']}", name, PROPERTY)


def _columns(names: list[str], types: list[pa.DataType]) -> str:
    return ", ".join(f"{name} {type_}" for name, type_ in zip(names, types))
