"""Which columns a partitioned copy of the tables is split by (see partitions.py for the copy itself):
the names --partition-by takes, the columns each table is split by, and what a descriptor declares.
Nothing here needs Arrow, so that the CLI can check the names before anything is read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commdata.errors import PartitionError
from commdata.package.specs import MEETINGS, TABLES, TableSpec

PROPERTY = "commdata:partitioned"  # the descriptor's custom property
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
# Columns every table linked to a meeting has through that meeting, with their Table Schema type.
DERIVED_TYPES = {"year": "integer", "admin_code": "string"}
DERIVED = tuple(DERIVED_TYPES)


def allowed_columns() -> list[str]:
    """The names --partition-by takes: the derived ones, then every table column, sorted."""
    real = {name for spec in TABLES for name in spec.column_names}
    return [*DERIVED, *sorted(real - set(DERIVED))]


def check_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """``columns`` as a tuple, or a PartitionError naming the allowed names."""
    columns = tuple(columns)
    allowed = allowed_columns()
    unknown = [column for column in columns if column not in allowed]
    if unknown:
        raise PartitionError(f"unknown column {unknown[0]!r}: choose {', '.join(DERIVED)} (from the row's meeting) "
                             f"or a column of a table: {', '.join(allowed[len(DERIVED):])}")
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise PartitionError(f"column {repeated[0]!r} is given more than once")
    return columns


def _linked_to_meeting(spec: TableSpec) -> bool:
    return spec.name == MEETINGS.name or "meeting_id" in spec.column_names or \
        any(key.table == spec.name for key in MEETINGS.foreign_keys)


def table_columns(spec: TableSpec, columns: Iterable[str]) -> tuple[str, ...]:
    """The columns (of those asked for, in order) that ``spec`` is split by."""
    return tuple(column for column in columns
                 if column in spec.column_names or column in DERIVED and _linked_to_meeting(spec))


def declared_columns(descriptor: Any) -> tuple[str, ...]:
    """The partition columns a descriptor declares (none when it has no partitioned copy)."""
    declared = descriptor.get(PROPERTY) if isinstance(descriptor, dict) else None
    columns = declared.get("partitionBy") if isinstance(declared, dict) else None
    if declared is not None and not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
        raise PartitionError(f"{PROPERTY} needs partitionBy, a list of column names")
    return tuple(columns or ())
