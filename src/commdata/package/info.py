"""A summary of a built package: version, tables, rows, fields and sources (for `commdata info`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from commdata.package.gate import GateError, require_package, resource_format, table_stem


@dataclass(frozen=True)
class TableSummary:
    name: str
    rows: int | None  # None when its Parquet file cannot be read
    fields: list[str]  # name:type
    formats: list[str]


@dataclass(frozen=True)
class PackageSummary:
    name: Any
    title: Any
    version: Any
    created: Any
    licenses: list[Any]
    sources: list[Any]
    tables: list[TableSummary]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def package_summary(path: Path) -> PackageSummary:
    """The summary of the package at ``path`` (a folder or its datapackage.json). A package the gate
    refuses is not summarised (PackageRefusedError)."""
    import pyarrow as pa  # a third of a second: only for the row counts of a summary
    import pyarrow.parquet as pq

    package = require_package(path)
    descriptor = package.descriptor
    assert descriptor is not None  # require_package refuses a package without one
    resources = package.resources
    tables = []
    for resource in resources:
        if resource_format(resource) != "parquet":
            continue
        try:
            file = package.open(resource["path"])
        except GateError as error:
            raise package.refusal(error, resource["name"]) from None
        try:
            with file:  # the footer only: its row count
                rows: int | None = pq.read_metadata(file).num_rows
        except (pa.ArrowException, OSError, ValueError):  # corrupt files raise any of these
            rows = None
        stem = table_stem(resource)
        tables.append(TableSummary(resource["name"].removesuffix("-parquet"), rows,
                                   [f"{field['name']}:{field['type']}" for field in resource["schema"]["fields"]],
                                   sorted(str(resource_format(other)) for other in resources if table_stem(other) == stem)))
    return PackageSummary(descriptor.get("name"), descriptor.get("title"), descriptor.get("version"),
                          descriptor.get("created"), [item.get("name") for item in descriptor.get("licenses", [])],
                          [source.get("title") for source in descriptor.get("sources", [])], tables)
