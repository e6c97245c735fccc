"""A corpus assembled into the bytes of a package: CSV and Parquet tables and the descriptor.

The meeting files' rows come as CSV lines (csv_rows.py, in the processes that read them); here they
are joined, read into Arrow with each table's schema and written as Parquet, with the tables that
span files (codebook, tombstones, assessments). Assembling is pure: the same corpus, package info and ``created`` give the
same bytes. Writing them to disk is writer.py's job.
"""

from __future__ import annotations

import ctypes
import io
import os
import sys
from collections.abc import Iterable
from datetime import date, datetime, timezone

import pyarrow as pa  # this module makes Arrow tables: callers that only validate never import it
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from commdata.domain.models import PackageInfo
from commdata.domain.sources import sha256_hex
from commdata.layout import DESCRIPTOR_PATH
from commdata.package import descriptor as descriptors
from commdata.package import partitions as partitioning
from commdata.package.partition_columns import PROPERTY, check_columns
from commdata.package.csv_rows import csv_header, csv_lines
from commdata.package.descriptor import SourceEntry
from commdata.package.rows import (FILE_TABLES, assessment_rows, indicator_rows, linked_targets, outcome_rows,
                                   tombstone_rows)
from commdata.package.specs import ACHIEVEMENTS, ASSESSMENTS, INDICATORS, TABLES, TARGETS, TOMBSTONES, TableSpec
from commdata.package.types import arrow_schema, pandas_metadata
from commdata.records.corpus import Corpus
from commdata.records.facts import FileTables

SPECS = {spec.name: spec for spec in TABLES}

PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 9, "use_dictionary": True,
                   "write_statistics": True, "version": "2.6"}


def parquet_bytes(table: pa.Table, info: PackageInfo, spec: TableSpec) -> bytes:
    metadata = {**(table.schema.metadata or {}), b"commdata.package": info.name.encode(),
                b"commdata.version": info.version.encode(), b"commdata.table": spec.name.encode(),
                b"pandas": pandas_metadata(table.schema)}
    buffer = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), buffer, **PARQUET_OPTIONS)
    return buffer.getvalue()


def files_in_meeting_order(corpus: Corpus) -> list[FileTables]:
    """The rendered share of every valid meeting file, in meeting order (the order of every table)."""
    return sorted((loaded.tables for loaded in corpus.files if loaded.tables is not None),
                  key=lambda tables: tables.meeting_id)


def created_timestamp(corpus: Corpus) -> str:
    """``created``: from SOURCE_DATE_EPOCH when set, else the latest meeting date (never the clock)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    else:
        latest = max((tables.meeting_date for tables in files_in_meeting_order(corpus)), default="1970-01-01")
        moment = datetime.combine(date.fromisoformat(latest), datetime.min.time(), tzinfo=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def arrow_from_csv(spec: TableSpec, data: bytes, longest_row: int | None = None) -> pa.Table:
    """A table's CSV read back into Arrow with its schema: the Parquet file holds exactly what the CSV
    says, as frictionless reads it (an empty cell is null). Enum columns get a fixed dictionary (every
    allowed value, in schema order), which keeps files comparable across builds. ``longest_row``:
    bytes of the longest row, at most (default: the whole CSV); the reader's blocks must hold it."""
    schema = arrow_schema(spec)
    types = {field.name: field.type.value_type if pa.types.is_dictionary(field.type) else field.type
             for field in schema}
    block = max(1 << 20, 2 * (len(data) if longest_row is None else longest_row) + 1)
    read = pacsv.read_csv(
        pa.BufferReader(data), read_options=pacsv.ReadOptions(block_size=min(block, (1 << 31) - 1)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                             true_values=["true"], false_values=["false"]))
    if read.column_names != spec.column_names:
        raise ValueError(f"{spec.name}: the CSV has the columns {read.column_names}, not {spec.column_names}")
    arrays = []
    for column, field in zip(spec.columns, schema):
        values = read.column(column.name).combine_chunks()  # one chunk: the same bytes however it was read
        if column.enum is not None:
            dictionary = pa.array(column.enum, pa.string())
            indices = pc.index_in(values, value_set=dictionary)
            if indices.null_count != values.null_count:
                raise ValueError(f"{spec.name}.{column.name} holds a value outside {column.enum}")
            values = pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), dictionary)
        arrays.append(values)
    return pa.Table.from_arrays(arrays, schema=schema)


def joined_csv(corpus: Corpus, consume: bool = False) -> tuple[dict[str, bytes], dict[str, int]]:
    """Every table but the assessments as CSV, by table name: the meeting files' lines joined in
    meeting order, the codebook and the tombstones rendered here; and for the joined tables, the
    bytes of the longest file's lines (no row is longer: a source's whole text is one row). With
    ``consume``, the files' lines are let go of as they are joined (the corpus cannot be rendered
    again): half the memory."""
    parts = files_in_meeting_order(corpus)
    files, longest = {}, {}
    for spec in FILE_TABLES:
        lines = [part.csv.pop(spec.name) if consume else part.csv[spec.name] for part in parts]
        files[spec.name] = csv_header(spec) + b"".join(lines)
        longest[spec.name] = max(map(len, lines), default=0)
        del lines
    files[INDICATORS.name] = csv_header(INDICATORS) + csv_lines(INDICATORS, indicator_rows(corpus.indicators.values()))
    files[TOMBSTONES.name] = csv_header(TOMBSTONES) + csv_lines(TOMBSTONES, tombstone_rows(corpus.tombstones))
    return files, longest


def release_freed_memory() -> None:
    """Hand the memory Python freed back to the system. glibc keeps freed blocks for reuse by the
    same heap, which Arrow's allocator does not draw from: after the files' CSV lines are joined,
    that was 300 MB held for nothing at 1M records. Elsewhere than glibc, nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # a C library without malloc_trim (musl)
        pass


def table_files(corpus: Corpus, info: PackageInfo, partition_by: Iterable[str] = (),
                  consume: bool = False) -> dict[str, bytes]:
    """Every table as CSV and Parquet, by its path in the package; with ``partition_by``, then every
    table again as Hive-partitioned Parquet (see partitions.py). ``consume``: see joined_csv."""
    partition_by = check_columns(partition_by)
    csv_files, longest = joined_csv(corpus, consume)
    release_freed_memory()
    # One table at a time (Arrow reads each on every core), each let go of once written unless
    # partitions are cut from it: the assessments need only the targets that outcomes name (known
    # from the files' facts) and those outcomes. Two at once was a second faster at 1M records and
    # took 300 MB more.
    linked = {link for loaded in corpus.checked_files for link in loaded.facts.parts[ACHIEVEMENTS.name].values("outcome_of")
              if link is not None}
    tables: dict[str, pa.Table] = {}
    targets: list[dict] = []
    outcomes: list[dict] = []

    def to_parquet(name: str) -> bytes:
        table = arrow_from_csv(SPECS[name], csv_files[name], longest.get(name))
        if partition_by:
            tables[name] = table
        if name == TARGETS.name:
            targets.extend(linked_targets(table, linked))
        elif name == ACHIEVEMENTS.name:
            outcomes.extend(outcome_rows(table))
        return parquet_bytes(table, info, SPECS[name])

    parquet = {name: to_parquet(name) for name in csv_files}
    csv_files[ASSESSMENTS.name] = csv_header(ASSESSMENTS) + csv_lines(
        ASSESSMENTS, assessment_rows(targets, outcomes, corpus.indicators))
    parquet[ASSESSMENTS.name] = to_parquet(ASSESSMENTS.name)
    files: dict[str, bytes] = {}
    for spec in TABLES:
        files[descriptors.resource_path(spec.name, "csv")] = csv_files.pop(spec.name)
        files[descriptors.resource_path(spec.name, "parquet")] = parquet[spec.name]
    for spec in TABLES if partition_by else ():
        for path, part in partitioning.partitions(spec, tables[spec.name], tables, partition_by):
            files[path] = parquet_bytes(part, info, spec)
    return files


def descriptor_bytes(corpus: Corpus, info: PackageInfo, tables: dict[str, bytes], created: str | None = None,
                      partition_by: Iterable[str] = ()) -> bytes:
    """datapackage.json for these table files (their hashes and sizes go into it; with ``partition_by``,
    the partitioned files' too, under ``commdata:partitioned``)."""
    digests = {path: (sha256_hex(data), len(data)) for path, data in tables.items()}
    sources = [SourceEntry(*tables.source) for tables in files_in_meeting_order(corpus)]
    descriptor = descriptors.package_descriptor(info, sources, created or created_timestamp(corpus), digests)
    partition_by = tuple(partition_by)
    if partition_by:
        descriptor[PROPERTY] = partitioning.manifest(tables, digests, partition_by)
    return descriptors.dumps(descriptor).encode("utf-8")


def package_files(corpus: Corpus, info: PackageInfo, created: str | None = None,
                   partition_by: Iterable[str] = (), consume: bool = False) -> dict[str, bytes]:
    """Every file of the package by its path in the package: tables, then the descriptor. Raises
    PartitionError for partition columns that cannot be used (nothing is rendered)."""
    partition_by = check_columns(partition_by)
    files = table_files(corpus, info, partition_by, consume)
    files[DESCRIPTOR_PATH] = descriptor_bytes(corpus, info, files, created, partition_by)
    return files
