"""The check of a built package: the gate first (its descriptor, checked before any data is read:
a package the gate refuses is reported and nothing of it is read), then each resource read through
the gate and checked (two at a time, one per core: Arrow works outside the GIL), then the keys across
tables, the CSV and Parquet twins and the partitioned copy. Every problem is collected; nothing stops
at the first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from commdata.errors import Problem
from commdata.package.check.constraints import check_constraints, check_patterns
from commdata.package.check.partitions import check_partitioned
from commdata.package.check.reading import read_resource
from commdata.package.check.relations import check_foreign_keys, check_twins
from commdata.package.check.report import PackageReport
from commdata.package.check.table import CheckedTable
from commdata.package.gate import GatedPackage, open_package
from commdata.parallel import workers


def check_package(descriptor_path: Path) -> PackageReport:
    report = PackageReport(descriptor_path)
    package = open_package(descriptor_path)
    report.problems += package.problems
    if not package.ok:
        return report
    resources = package.resources
    check_patterns(report, resources)  # patterns the regular expression engine cannot run: before any data
    if report.problems:
        return report
    tables: dict[str, CheckedTable] = {}
    # Two resources at a time on two cores: Arrow reads and computes outside the GIL. Each has its own
    # report, added in the descriptor's order, so the problems come out in the same order.
    with ThreadPoolExecutor(max_workers=workers()) as threads:
        checked = list(threads.map(lambda resource: _read_and_check(package, resource), resources))
    for resource, (problems, table) in zip(resources, checked):
        report.problems += problems
        if table is not None:
            tables[resource["name"]] = table
            report.tables[resource["name"]] = table.typed
    for table in tables.values():
        check_foreign_keys(report, table, tables)
    check_twins(report, resources, tables)
    check_partitioned(report, package, resources)
    return report


def _read_and_check(package: GatedPackage, resource: dict[str, Any]) -> tuple[list[Problem], CheckedTable | None]:
    """One resource read and its constraints checked: its problems, and its table when readable."""
    report = PackageReport(package.descriptor_path)
    table = read_resource(report, package, resource)
    if table is not None:
        check_constraints(report, table)
        table.text = None  # the typed columns are all that the checks across tables need
    return report.problems, table
