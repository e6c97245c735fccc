"""Hive-style partitioned Parquet: a second copy of every table, split into folders by column values.

``commdata build --partition-by year [--partition-by admin_code …]`` (or ``api.build(…,
partition_by=("year",))``) writes, in addition to the standard package (CSV and single-file Parquet
per table, datapackage.json: all unchanged), every table again as

    data/tables/parquet-partitioned/<table>/<col>=<value>[/<col2>=<value2>…]/part-0.parquet

Design:

- Where: under ``data/tables/`` (beside the table files), because writers.write_package commits that
  one folder with a single rename: the partitioned copy is written in the same atomic step as the
  tables and the descriptor, and a later build without ``--partition-by`` removes it again.
- Columns: ``year`` is the year of the meeting a row belongs to (meetings: their date; rows with a
  meeting_id: that meeting's; sources: the meeting citing them); ``admin_code`` is that meeting's
  admin_code. Any other name must be a column of at least one table (period, kind, verdict…); a table
  that has the real column is split by it even if the name is ``year`` or ``admin_code``. Several
  columns nest in the order given. Each table is split by those of the columns it has; a table with
  none of them (indicators, tombstones, and assessments, which belong to two meetings, for ``year``)
  is one unpartitioned file ``<table>/part-0.parquet``. A partitioned table without rows has no files.
  An unknown or repeated name is a PartitionError (a usage error in the CLI) and nothing is written.
- Files: the writer options and file metadata of the single-file Parquet (render.render_parquet), so
  types are the same (dictionary enums, decimal128(38, 6), date32). Real partition columns are left
  out of the files as Hive does; derived ones never are in them: both come back from the folder names
  when read with hive partitioning. Rows keep the table's order; partitions are in value order, null
  last. Everything is rendered into bytes in memory, so builds stay byte-identical.
- Folder names: pyarrow's Hive encoding (HivePartitioning.format: URI percent-encoding of all but
  A–Z a–z 0–9 ``-._~``). ``/`` becomes ``%2F``, so no value can leave its folder; ``..`` becomes the
  name ``col=..``, never a parent. Null is ``col=__HIVE_DEFAULT_PARTITION__``, which pyarrow, DuckDB
  and Spark read back as NULL; a value spelled like that marker, or one that would make a folder name
  over 255 bytes, is a PartitionError. DuckDB infers the partition column's type from the names:
  ``year`` comes back as BIGINT, and digits such as admin_code too unless ``hive_types`` says VARCHAR.
- Descriptor: the top-level custom property ``commdata:partitioned`` (a namespaced name, as Data
  Package v2 recommends for custom properties) lists the columns and, per table, the columns it is
  split by, its rows and each file's path, rows, bytes and sha256. ``commdata validate PKG`` checks
  them (package_check.py): every file there, a regular file inside the package, of the declared size,
  hash and row count, with the table's columns less the partition columns, rows adding up to the
  table's, and no undeclared Parquet file in the folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa  # this module cuts Arrow tables: building without --partition-by never imports it
import pyarrow.compute as pc
import pyarrow.parquet as pq

from commdata.errors import PartitionError
from commdata.layout import PARTITIONED_DIR
from commdata.package.partition_columns import DERIVED_TYPES, NULL_PARTITION, table_columns
from commdata.package.specs import MEETINGS, TABLES, TableSpec
from commdata.package.types import arrow_type_of

FILE_NAME = "part-0.parquet"
MAX_NAME_BYTES = 255  # NAME_MAX of common file systems
# How the derived columns take their value from the row's meeting.
DERIVE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "year": lambda meeting: meeting["date"].year,
    "admin_code": lambda meeting: meeting["admin_code"],
}


def _derived_values(spec: TableSpec, table: pa.Table, tables: Mapping[str, pa.Table], column: str) -> list[Any]:
    """A derived column's value for every row of ``spec`` (only for tables linked to a meeting): that of
    its meeting, or None when it has none."""
    derive = DERIVE[column]
    meetings = tables[MEETINGS.name].select(["id", "date", "admin_code", "source_id"]).to_pylist()
    if spec.name == MEETINGS.name:
        return [derive(meeting) for meeting in meetings]
    if "meeting_id" in spec.column_names:
        by_meeting = {meeting["id"]: derive(meeting) for meeting in meetings}
        return [by_meeting.get(meeting_id) for meeting_id in table.column("meeting_id").to_pylist()]
    key = next(key for key in MEETINGS.foreign_keys if key.table == spec.name)  # e.g. meetings.source_id
    citing: dict[Any, Any] = {}
    for meeting in meetings:  # the first meeting citing it
        citing.setdefault(meeting[key.column], derive(meeting))
    return [citing.get(value) for value in table.column(key.reference).to_pylist()]


def _key_values(spec: TableSpec, table: pa.Table, tables: Mapping[str, pa.Table],
                columns: tuple[str, ...]) -> list[list[Any]]:
    """For each partition column, the value of every row (None for null)."""
    return [table.column(column).to_pylist() if column in spec.column_names  # dictionaries decoded to their strings
            else _derived_values(spec, table, tables, column) for column in columns]


def _folder(partitioning: Any, schema: pa.Schema, key: tuple[Any, ...]) -> str:
    """``col=value/…`` for one partition, in pyarrow's Hive encoding, checked to stay one name a level."""
    expression = None
    for field, value in zip(schema, key):
        if value is not None and str(value) == NULL_PARTITION:
            raise PartitionError(f"{field.name} has the value {NULL_PARTITION!r}, which reads back as null")
        term = pc.field(field.name).is_null() if value is None else pc.field(field.name) == pa.scalar(value, field.type)
        expression = term if expression is None else expression & term
    folder, _ = partitioning.format(expression)
    segments = folder.split("/")
    for field, segment in zip(schema, segments):
        if len(segment.encode("utf-8")) > MAX_NAME_BYTES:
            raise PartitionError(f"a value of {field.name} is too long for a folder name "
                                 f"({len(segment.encode('utf-8'))} bytes): partition by another column")
    if len(segments) != len(schema) or any(not segment.startswith(f"{field.name}=")
                                           for field, segment in zip(schema, segments)):
        raise PartitionError(f"pyarrow made the folder {folder!r} for {list(schema.names)}")  # never: values are encoded
    return folder


def partitions(spec: TableSpec, table: pa.Table, tables: Mapping[str, pa.Table],
               columns: Iterable[str]) -> list[tuple[str, pa.Table]]:
    """The files of the partitioned copy of one table: (path in the package, rows to write), in order."""
    split_by = table_columns(spec, columns)
    base = f"{PARTITIONED_DIR}/{spec.name}"
    if not split_by:
        return [(f"{base}/{FILE_NAME}", table)]
    import pyarrow.dataset as ds  # 0.7 s to import: only for partitioned builds

    schema = pa.schema([pa.field(column, arrow_type_of(DERIVED_TYPES[column])) if column not in spec.column_names else
                        pa.field(column, _value_type(table.schema.field(column).type)) for column in split_by])
    partitioning = ds.HivePartitioning(schema, null_fallback=NULL_PARTITION)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, key in enumerate(zip(*_key_values(spec, table, tables, split_by))):
        groups.setdefault(key, []).append(index)
    real = [column for column in split_by if column in spec.column_names]
    files = []
    for key in sorted(groups, key=lambda key: tuple((value is None, value) for value in key)):
        part = table.take(pa.array(groups[key], pa.int64())).drop_columns(real)
        files.append((f"{base}/{_folder(partitioning, schema, key)}/{FILE_NAME}", part))
    return files


def _value_type(type_: pa.DataType) -> pa.DataType:
    return type_.value_type if pa.types.is_dictionary(type_) else type_


def manifest(files: Mapping[str, bytes], digests: Mapping[str, tuple[str, int]], columns: Iterable[str]) -> dict[str, Any]:
    """The ``commdata:partitioned`` property for the partitioned files among ``files``."""
    columns = tuple(columns)
    tables = []
    for spec in TABLES:
        prefix = f"{PARTITIONED_DIR}/{spec.name}/"
        entries = [{"path": path, "rows": pq.ParquetFile(pa.BufferReader(data)).metadata.num_rows,
                    "bytes": digests[path][1], "hash": f"sha256:{digests[path][0]}"}
                   for path, data in files.items() if path.startswith(prefix)]
        tables.append({"name": spec.name, "partitionBy": list(table_columns(spec, columns)),
                       "rows": sum(entry["rows"] for entry in entries), "files": entries})
    return {"path": PARTITIONED_DIR, "format": "parquet", "flavor": "hive", "partitionBy": list(columns),
            "nullPartition": NULL_PARTITION, "tables": tables}

