"""Render a corpus into the bytes of a package: CSV and Parquet tables and the descriptor.

Rendering is pure: the same corpus, package info and ``created`` give the same bytes. Writing them
to disk is writers.py's job.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from . import descriptor as descriptors
from . import partitioning
from .checks import Corpus
from .models import PackageInfo
from .quantities import plain
from .sources import sha256_hex
from .tables import TABLES, TableSpec, arrow_table, column_values, table_rows

DESCRIPTOR_PATH = "datapackage.json"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True,
                   "write_statistics": True, "version": "2.6"}


def csv_cell(value: Any) -> str:
    """One CSV cell: exact decimals without exponent, true/false, ISO dates, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def render_csv(spec: TableSpec, rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.column_names)
    columns = list(column_values(spec, rows).values())
    writer.writerows([csv_cell(value) for value in row] for row in zip(*columns))
    return buffer.getvalue().encode("utf-8")


def render_parquet(table: pa.Table, info: PackageInfo, spec: TableSpec) -> bytes:
    metadata = {**(table.schema.metadata or {}), b"commdata.package": info.name.encode(),
                b"commdata.version": info.version.encode(), b"commdata.table": spec.name.encode()}
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer, **PARQUET_OPTIONS)
    return buffer.getvalue()


def created_timestamp(corpus: Corpus) -> str:
    """``created``: from SOURCE_DATE_EPOCH when set, else the latest meeting date (never the clock)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    else:
        dates = [loaded.model.meeting.date for loaded in corpus.valid_files] or [date(1970, 1, 1)]
        moment = datetime.combine(max(dates), datetime.min.time(), tzinfo=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_tables(corpus: Corpus, info: PackageInfo, partition_by: Iterable[str] = ()) -> dict[str, bytes]:
    """Every table as CSV and Parquet, by its path in the package; with ``partition_by``, then every
    table again as Hive-partitioned Parquet (see partitioning.py)."""
    partition_by = partitioning.check_columns(partition_by)
    rows = table_rows(corpus)
    files: dict[str, bytes] = {}
    tables = {}
    for spec in TABLES:
        tables[spec.name] = arrow_table(spec, rows[spec.name])
        files[descriptors.resource_path(spec.name, "csv")] = render_csv(spec, rows[spec.name])
        files[descriptors.resource_path(spec.name, "parquet")] = render_parquet(tables[spec.name], info, spec)
    for spec in TABLES if partition_by else ():
        for path, part in partitioning.partitions(spec, tables[spec.name], rows, partition_by):
            files[path] = render_parquet(part, info, spec)
    return files


def render_descriptor(corpus: Corpus, info: PackageInfo, tables: dict[str, bytes], created: str | None = None,
                      partition_by: Iterable[str] = ()) -> bytes:
    """datapackage.json for these table files (their hashes and sizes go into it; with ``partition_by``,
    the partitioned files' too, under ``commdata:partitioned``)."""
    digests = {path: (sha256_hex(data), len(data)) for path, data in tables.items()}
    sources = [loaded.model.source for loaded in corpus.valid_files]
    descriptor = descriptors.package_descriptor(info, sources, created or created_timestamp(corpus), digests)
    partition_by = tuple(partition_by)
    if partition_by:
        descriptor[partitioning.PROPERTY] = partitioning.manifest(tables, digests, partition_by)
    return descriptors.dumps(descriptor).encode("utf-8")


def render_package(corpus: Corpus, info: PackageInfo, created: str | None = None,
                   partition_by: Iterable[str] = ()) -> dict[str, bytes]:
    """Every file of the package by its path in the package: tables, then the descriptor. Raises
    partitioning.PartitionError for partition columns that cannot be used (nothing is rendered)."""
    partition_by = partitioning.check_columns(partition_by)
    files = render_tables(corpus, info, partition_by)
    files[DESCRIPTOR_PATH] = render_descriptor(corpus, info, files, created, partition_by)
    return files
