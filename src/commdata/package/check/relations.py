"""What ties tables together: foreign keys resolve, and a table's CSV and Parquet copies hold the same
rows."""

from __future__ import annotations

from typing import Any

import pyarrow as pa  # the package check is Arrow throughout; validating records never imports it
import pyarrow.compute as pc

from commdata.package.check.report import VALUE, PackageReport, per_row
from commdata.package.check.table import CheckedTable
from commdata.package.gate import resource_format, table_stem


def check_foreign_keys(report: PackageReport, table: CheckedTable, tables: dict[str, CheckedTable]) -> None:
    """Each foreign key's values are values of the field it references. The gate saw to the keys' shape:
    one field, of the type of a field of a resource of the package."""
    for key in table.resource["schema"].get("foreignKeys", []):
        fields, reference = key["fields"], key["reference"]
        fields = [fields] if isinstance(fields, str) else fields
        target_name = reference.get("resource") or table.name
        referenced_fields = reference["fields"]
        referenced_fields = [referenced_fields] if isinstance(referenced_fields, str) else referenced_fields
        target = tables.get(target_name)
        if target is None:
            continue  # the referenced table could not be read: reported on its own
        column, referenced = table.typed.column(fields[0]), target.typed.column(referenced_fields[0])
        missing = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=referenced.combine_chunks())))
        if pc.any(missing).as_py():
            per_row(report, table, "foreign-key-violation", missing, fields[0],
                     f"{fields[0]} {VALUE} is not the {referenced_fields[0]} of any row of {target_name}", column)


def check_twins(report: PackageReport, resources: list[dict[str, Any]], tables: dict[str, CheckedTable]) -> None:
    """The CSV and the Parquet copy of a table (same path but for the extension) hold the same rows."""
    by_stem: dict[str, dict[str, str]] = {}
    for resource in resources:
        stem, fmt = table_stem(resource), resource_format(resource)
        if stem is not None and fmt is not None:
            by_stem.setdefault(stem, {})[fmt] = resource["name"]
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

