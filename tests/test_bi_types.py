"""Every column of every table reads back with a type that holds its values, in each reader a BI user
has: pyarrow, pandas (as it reads by default, and with the pyarrow backend), Polars and DuckDB. A
nullable integer stays an integer with nulls (never float64 with NaN), a date a date (never object),
a number an exact decimal, a boolean a boolean, and a category a category."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


def fields(package: Path) -> list[tuple[str, Path, dict]]:
    """(table, its Parquet file, field descriptor) of every column of the package."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return [(resource["name"].removesuffix("-parquet"), package / resource["path"], field)
            for resource in descriptor["resources"] if resource["format"] == "parquet"
            for field in resource["schema"]["fields"]]


@pytest.fixture
def package(second_city: Path) -> Path:
    return second_city


def test_the_package_has_nullable_integers_with_nulls_and_dates(package: Path) -> None:
    nulls = [(table, field["name"]) for table, path, field in fields(package)
             if field["type"] == "integer" and not field.get("constraints", {}).get("required")
             and pq.read_table(path, columns=[field["name"]]).column(0).null_count]
    assert nulls, "the fixture must hold a null in a nullable integer column, or this test proves nothing"
    assert any(field["type"] == "date" for _, _, field in fields(package))


@pytest.mark.parametrize("reader", ["pyarrow", "pandas", "pandas-pyarrow", "polars", "duckdb"])
def test_every_column_has_its_type_in_every_reader(package: Path, reader: str) -> None:
    for table, path, field in fields(package):
        kind, name = field["type"], field["name"]
        required = field.get("constraints", {}).get("required", False)
        category = "categories" in field
        if reader == "pyarrow":
            read = pq.read_table(path).schema.field(name).type
            expected = {"integer": pa.int64(), "number": pa.decimal128(38, 6), "date": pa.date32(),
                        "boolean": pa.bool_(), "string": pa.string()}[kind]
            assert (read.value_type if category else read) == expected, (table, name, read)
        elif reader == "pandas":
            column = pd.read_parquet(path, columns=[name])[name]
            dtype = str(column.dtype)
            expected_dtype = {"integer": "int64" if required else "Int64", "date": "date32[day][pyarrow]",
                              "boolean": "bool"}.get(kind)
            if category:
                assert dtype == "category", (table, name, dtype)
            elif expected_dtype is not None:
                assert dtype == expected_dtype, (table, name, dtype)
            elif kind == "number":
                assert all(isinstance(value, Decimal) for value in column.dropna()), (table, name)
        elif reader == "pandas-pyarrow":
            column = pd.read_parquet(path, columns=[name], dtype_backend="pyarrow")[name]
            assert isinstance(column.dtype, pd.ArrowDtype), (table, name, column.dtype)
            if kind == "number":
                assert str(column.dtype) == "decimal128(38, 6)[pyarrow]"
                assert str((column + 1.5).dtype) == "double[pyarrow]"  # mixes with floats
        elif reader == "polars":
            read = pl.read_parquet(path, columns=[name]).schema[name]
            expected_polars = {"integer": pl.Int64, "number": pl.Decimal(38, 6), "date": pl.Date,
                               "boolean": pl.Boolean, "string": pl.Categorical if category else pl.String}[kind]
            assert read == expected_polars, (table, name, read)
        else:
            read = duckdb.sql(f"select \"{name}\" from read_parquet('{path}')").types[0]
            expected_duckdb = {"integer": "BIGINT", "number": "DECIMAL(38,6)", "date": "DATE", "boolean": "BOOLEAN",
                               "string": "VARCHAR"}[kind]
            assert str(read) == expected_duckdb, (table, name, read)


def test_a_null_integer_is_missing_not_nan_in_pandas(package: Path) -> None:
    frame = pd.read_parquet(package / "data/tables/achievements.parquet")
    assert str(frame["figure_start"].dtype) == "Int64"
    assert frame["figure_start"].isna().any() and frame["figure_start"].dropna().map(type).eq(int).all()
