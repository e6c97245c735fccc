"""Field constraints (required, enum, pattern, minimum, maximum) and the primary key, checked on whole
columns at once."""

from __future__ import annotations

from typing import Any

import pyarrow as pa  # the package check is Arrow throughout; validating records never imports it
import pyarrow.compute as pc

from commdata.package.check.report import MAX_ROWS_SHOWN, VALUE, PackageReport, cell_text, per_row
from commdata.package.check.table import CheckedTable
from commdata.package.gate import limit_value


def check_patterns(report: PackageReport, resources: list[dict[str, Any]]) -> None:
    """A pattern the regular expression engine of the checks (RE2) cannot run is a problem before any
    data is read: Python's engine, which the gate compiles with, takes more (a backreference)."""
    probe = pa.array([""], pa.string())
    for resource in resources:
        for field in resource["schema"]["fields"]:
            pattern = field.get("constraints", {}).get("pattern")
            if pattern is None:
                continue
            try:
                pc.match_substring_regex(probe, f"^(?:{pattern})$")
            except (pa.ArrowException, ValueError) as error:
                report.add("property-unsupported", f"pattern {pattern[:80]!r} uses what the checks' regular "
                           f"expressions (RE2) do not: {error}", resource["name"], field["name"])


def check_constraints(report: PackageReport, table: CheckedTable) -> None:
    for field in table.resource["schema"]["fields"]:
        name = field["name"]
        column = table.typed.column(name)
        written = table.text.column(name) if table.text is not None else column  # for messages
        constraints = field.get("constraints", {})
        if constraints.get("required") and column.null_count:
            per_row(report, table, "constraint-violation", table.missing(name), name,
                     f"{name} is required but empty")
        if column.null_count == len(column):
            continue
        if "enum" in constraints:
            bad = pc.invert(pc.is_in(column.cast(pa.string()), value_set=pa.array(constraints["enum"], pa.string())))
            bad = pc.and_(bad, pc.is_valid(column))
            if pc.any(bad).as_py():
                per_row(report, table, "constraint-violation", bad, name,
                         f"{name} must be one of {constraints['enum']}, not {VALUE}", written)
        if "pattern" in constraints:
            bad = pc.invert(pc.match_substring_regex(column.cast(pa.string()), f"^(?:{constraints['pattern']})$"))
            if pc.any(bad).as_py():
                per_row(report, table, "constraint-violation", bad, name,
                         f"{name} {VALUE} must match {constraints['pattern']!r}", written)
        for limit, compare, words in (("minimum", pc.less, "at least"), ("maximum", pc.greater, "at most")):
            if limit in constraints:  # the gate saw that the limit is a value of the column's type
                bad = compare(column, pa.scalar(limit_value(field["type"], constraints[limit]), column.type))
                if pc.any(bad).as_py():
                    per_row(report, table, "constraint-violation", bad, name,
                            f"{name} must be {words} {constraints[limit]}, not {VALUE}", written)
    declared = table.resource["schema"].get("primaryKey") or []
    key: list[str] = [declared] if isinstance(declared, str) else list(declared)
    if key:
        _check_primary_key(report, table, key)


def _check_primary_key(report: PackageReport, table: CheckedTable, key: list[str]) -> None:
    label = ",".join(key)
    empty = None
    for name in key:
        empty = table.empty(name) if empty is None else pc.or_(empty, table.empty(name))
    if pc.any(empty).as_py():
        per_row(report, table, "primary-key-violation", empty, label, f"primary key {label} is empty")
    keyed = table.typed.select(key)
    groups = keyed.group_by(key).aggregate([([], "count_all")])
    repeated = groups.filter(pc.greater(groups["count_all"], 1))
    if not repeated.num_rows:
        return
    # The rows that hold a repeated key, with their index: all but the first of each key repeat it.
    holding: Any = None
    for name in key:
        member = pc.is_in(keyed.column(name), value_set=repeated.column(name).combine_chunks())
        holding = member if holding is None else pc.and_(holding, member)
        holding = pc.and_(holding, pc.is_valid(keyed.column(name)))  # an empty key repeats nothing
    indices = pc.indices_nonzero(pc.fill_null(holding.combine_chunks(), False))
    candidates = keyed.take(indices).append_column("index", indices)
    firsts = candidates.group_by(key).aggregate([("index", "min")])
    later = candidates.filter(pc.invert(pc.is_in(candidates["index"], value_set=firsts["index_min"].combine_chunks())))
    later = later.sort_by("index")
    for row in later.slice(0, MAX_ROWS_SHOWN).to_pylist():
        same = None
        for name in key:
            equal = pc.equal(firsts[name], pa.scalar(row[name], firsts.schema.field(name).type))
            same = equal if same is None else pc.and_(same, equal)
        first = firsts.filter(same)["index_min"][0].as_py()
        shown = ", ".join(f"{name} {cell_text(row[name])}" for name in key)
        report.add("primary-key-violation", f"{table.rows.place(row['index'])}: primary key {shown} is the same as in "
                   f"{table.rows.place(first)}", table.name, label, table.file, table.rows.line(row["index"]))
    if later.num_rows > MAX_ROWS_SHOWN:
        index = later["index"][MAX_ROWS_SHOWN].as_py()
        report.add("primary-key-violation", f"{later.num_rows - MAX_ROWS_SHOWN} more rows repeat a primary key, the "
                   f"next at {table.rows.place(index)}", table.name, label, table.file, table.rows.line(index))

