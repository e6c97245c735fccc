"""The type of every published column in the three vocabularies that meet here: the Python type of the
model field it comes from, its Table Schema type (what the descriptor declares), and its Arrow type
(what the Parquet file holds). One map, read both ways: by the writer and by the package check."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from commdata.domain.quantities import DECIMAL_PRECISION, DECIMAL_SCALE

if TYPE_CHECKING:  # pyarrow takes a third of a second to import: only where tables become Arrow
    import pyarrow as pa

    from commdata.package.specs import Column, TableSpec

TABLE_SCHEMA_TYPES: dict[type, str] = {str: "string", int: "integer", Decimal: "number", date: "date", bool: "boolean"}


def frictionless_type(column: Column) -> str:
    """The Table Schema type of a column (a category is a string)."""
    return "string" if column.enum is not None else TABLE_SCHEMA_TYPES[column.type]


def arrow_type_of(table_schema_type: str) -> pa.DataType:
    """The Arrow type that holds values of a Table Schema type (KeyError for a type commdata does not publish)."""
    import pyarrow as pa  # a third of a second: only where tables become Arrow

    arrow: dict[str, Any] = {"string": pa.string(), "integer": pa.int64(),
                             "number": pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
                             "date": pa.date32(), "boolean": pa.bool_()}
    return arrow[table_schema_type]


def arrow_type(column: Column) -> pa.DataType:
    """The Arrow type of a column: its type's, or a dictionary of strings for a category."""
    import pyarrow as pa  # a third of a second: only where tables become Arrow

    return pa.dictionary(pa.int32(), pa.string()) if column.enum is not None else arrow_type_of(frictionless_type(column))


def pandas_metadata(schema: pa.Schema) -> bytes:
    """The ``pandas`` key of a Parquet file's metadata, so that ``pd.read_parquet`` gives every column a
    type that holds its values: a nullable integer column comes back as ``Int64`` (not float64 with
    NaN for its nulls) and a date as a date (``date32[day][pyarrow]``, not ``object``). Only those
    columns are described; pandas reads the others by their Arrow type. Other readers ignore the key."""
    import pyarrow as pa  # a third of a second: only where tables become Arrow

    columns = []
    for field in schema:
        if pa.types.is_date32(field.type):
            pandas_type, numpy_type = "date", "date32[day][pyarrow]"
        elif pa.types.is_int64(field.type) and field.nullable:
            pandas_type, numpy_type = "int64", "Int64"
        else:
            continue
        columns.append({"name": field.name, "field_name": field.name, "pandas_type": pandas_type,
                        "numpy_type": numpy_type, "metadata": None})
    described = {"index_columns": [], "column_indexes": [], "columns": columns}
    return json.dumps(described, sort_keys=True, separators=(",", ":")).encode()


def arrow_schema(spec: TableSpec) -> pa.Schema:
    import pyarrow as pa  # a third of a second: only where tables become Arrow

    return pa.schema([pa.field(column.name, arrow_type(column), nullable=not column.required,
                               metadata={"description": column.description}) for column in spec.columns])
