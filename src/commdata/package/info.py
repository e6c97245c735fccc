"""A summary of a built package: version, tables, rows, fields and sources (for `commdata info`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from commdata.package.gate import descriptor_file, descriptor_object


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
    """The summary of the package at ``path`` (a folder or its datapackage.json)."""
    import pyarrow.parquet as pq  # a third of a second: only for the row counts of a summary

    descriptor_path = descriptor_file(path)
    descriptor = descriptor_object(descriptor_path)
    folder = descriptor_path.parent
    tables = []
    for resource in descriptor.get("resources", []):
        if resource.get("format") != "parquet":
            continue
        try:
            rows = pq.read_metadata(folder / resource["path"]).num_rows
        except (OSError, ValueError):
            rows = None
        fields = resource.get("schema", {}).get("fields", [])
        tables.append(TableSummary(resource["name"].removesuffix("-parquet"), rows,
                                   [f"{field['name']}:{field['type']}" for field in fields],
                                   sorted(r["format"] for r in descriptor["resources"]
                                          if r["path"].rsplit(".", 1)[0] == resource["path"].rsplit(".", 1)[0])))
    return PackageSummary(descriptor.get("name"), descriptor.get("title"), descriptor.get("version"),
                          descriptor.get("created"), [item.get("name") for item in descriptor.get("licenses", [])],
                          [source.get("title") for source in descriptor.get("sources", [])], tables)
