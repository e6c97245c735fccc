"""The Frictionless Data Package (v2) descriptor and Table Schemas, derived from the table specs."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from commdata.domain.models import PackageInfo
from commdata.layout import TABLES_DIR
from commdata.package.specs import TABLES, Column, TableSpec
from commdata.package.types import frictionless_type

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
FORMATS = {
    "csv": {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"},
    "parquet": {"format": "parquet", "mediatype": "application/vnd.apache.parquet"},
}


def resource_name(table: str, fmt: str) -> str:
    return f"{table}-{fmt}"


def resource_path(table: str, fmt: str) -> str:
    return f"{TABLES_DIR}/{table}.{fmt}"


def field_descriptor(column: Column) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"name": column.name, "type": frictionless_type(column),
                                  "description": column.description}
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum is not None:
        descriptor["categories"] = column.enum
        constraints["enum"] = column.enum
    if column.pattern is not None:
        constraints["pattern"] = column.pattern.removeprefix("^").removesuffix("$")
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(spec: TableSpec, fmt: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field_descriptor(column) for column in spec.columns],
        "primaryKey": list(spec.primary_key),
    }
    if spec.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [key.column], "reference": {"resource": resource_name(key.table, fmt), "fields": [key.reference]}}
            for key in spec.foreign_keys
        ]
    if fmt == "parquet" and any(not column.required and column.type is int for column in spec.columns):
        # frictionless reads a null in a nullable int64 Parquet column as the string "nan".
        schema["missingValues"] = ["", "nan"]
    return schema


def resource_descriptor(spec: TableSpec, fmt: str, digest: str, size: int) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": resource_name(spec.name, fmt),
        "title": f"{spec.title} ({fmt.upper() if fmt == 'csv' else 'Parquet'})",
        "description": spec.description,
        "type": "table",
        "path": resource_path(spec.name, fmt),
        "scheme": "file",
        **FORMATS[fmt],
    }
    if fmt == "csv":
        # frictionless 5 misreports the size of Parquet files, so Parquet declares no bytes;
        # commdata validate checks both sizes and hashes itself.
        resource["bytes"] = size
    resource["hash"] = f"sha256:{digest}"
    resource["schema"] = table_schema(spec, fmt)
    return resource


class SourceEntry(NamedTuple):
    """What the descriptor lists of a source document."""

    id: str
    title: str
    published_in: str | None


def package_descriptor(info: PackageInfo, sources: list[SourceEntry], created: str,
                       files: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """The whole descriptor. ``files`` maps each resource path to its (sha256, bytes)."""
    descriptor: dict[str, Any] = {
        "$schema": PROFILE,
        "name": info.name,
        "id": info.id,
        "title": info.title,
        "description": info.description,
        "version": info.version,
        "created": created,
    }
    if info.homepage:
        descriptor["homepage"] = info.homepage
    if info.keywords:
        descriptor["keywords"] = list(info.keywords)
    descriptor["licenses"] = [license_.model_dump(exclude_none=True) for license_ in info.licenses]
    descriptor["contributors"] = [contributor.model_dump(exclude_none=True) for contributor in info.contributors]
    descriptor["sources"] = [_source_entry(source) for source in sorted(sources, key=lambda source: source.id)]
    descriptor["resources"] = [
        resource_descriptor(spec, fmt, *files[resource_path(spec.name, fmt)]) for fmt in FORMATS for spec in TABLES
    ]
    return descriptor


def _source_entry(source: SourceEntry) -> dict[str, Any]:
    entry: dict[str, Any] = {"title": source.title}
    if source.published_in and source.published_in.startswith(("http://", "https://")):
        entry["path"] = source.published_in
    return entry


def dumps(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
