"""The check of a built package: its descriptor, then each resource read and checked (two at a time,
one per core: Arrow works outside the GIL), then the keys across tables, the CSV and Parquet twins and
the partitioned copy. Every problem is collected; nothing stops at the first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from commdata.errors import PackageReadError, Problem
from commdata.package.check.constraints import check_constraints
from commdata.package.check.descriptor import check_descriptor
from commdata.package.check.partitions import check_partitioned
from commdata.package.check.reading import read_resource
from commdata.package.check.relations import check_foreign_keys, check_twins
from commdata.package.check.report import PackageReport
from commdata.package.check.table import CheckedTable
from commdata.package.gate import read_descriptor
from commdata.parallel import workers


def check_package(descriptor_path: Path) -> PackageReport:
    report = PackageReport(descriptor_path)
    try:
        descriptor = read_descriptor(descriptor_path)
    except PackageReadError as error:
        report.add("descriptor-invalid", f"cannot read the descriptor: {error.reason}")
        return report
    resources = check_descriptor(report, descriptor)
    folder = descriptor_path.parent
    tables: dict[str, CheckedTable] = {}
    # Two resources at a time on two cores: Arrow reads and computes outside the GIL. Each has its own
    # report, added in the descriptor's order, so the problems come out in the same order.
    with ThreadPoolExecutor(max_workers=workers()) as threads:
        checked = list(threads.map(lambda resource: _read_and_check(descriptor_path, folder, resource), resources))
    for resource, (problems, table) in zip(resources, checked):
        report.problems += problems
        if table is not None:
            tables[resource["name"]] = table
            report.tables[resource["name"]] = table.typed
    declared: set[str] = {resource["name"] for resource in descriptor.get("resources", [])
                          if isinstance(resource, dict) and isinstance(resource.get("name"), str)} \
        if isinstance(descriptor, dict) and isinstance(descriptor.get("resources"), list) else set()
    for table in tables.values():
        check_foreign_keys(report, table, tables, declared)
    check_twins(report, resources, tables)
    check_partitioned(report, descriptor, folder, resources)
    return report


def _read_and_check(descriptor_path: Path, folder: Path, resource: dict[str, Any]) -> tuple[list[Problem], CheckedTable | None]:
    """One resource read and its constraints checked: its problems, and its table when readable."""
    report = PackageReport(descriptor_path)
    table = read_resource(report, folder, resource)
    if table is not None:
        check_constraints(report, table)
        table.text = None  # the typed columns are all that the checks across tables need
    return report.problems, table

