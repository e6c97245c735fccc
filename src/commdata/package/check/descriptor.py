"""The descriptor of a built package, checked before any data is read: the resources that can be read
and checked, and a problem for each that cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commdata.package.check.report import PackageReport
from commdata.package.descriptor import PROFILE
from commdata.package.types import TABLE_SCHEMA_TYPES

_KNOWN_TYPES = set(TABLE_SCHEMA_TYPES.values())


def check_descriptor(report: PackageReport, descriptor: Any) -> list[dict[str, Any]]:
    if not isinstance(descriptor, dict):
        report.add("descriptor-invalid", "the descriptor is not a JSON object")
        return []
    for key in ("$schema", "name", "version", "created", "licenses", "resources"):
        if key not in descriptor:
            report.add("descriptor-invalid", f"the descriptor has no {key!r}", field=key)
    if descriptor.get("$schema") not in (None, PROFILE):
        report.add("descriptor-invalid", f"$schema must be {PROFILE}", field="$schema")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    good = []
    names: set[str] = set()
    for index, resource in enumerate(resources):
        where = f"resources.{index}"
        if not isinstance(resource, dict) or not all(isinstance(resource.get(key), str) for key in ("name", "path", "format")):
            report.add("descriptor-invalid", "a resource needs name, path and format", field=where)
            continue
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(schema, dict) or not isinstance(fields, list) or not all(isinstance(field, dict) and field.get("type") in _KNOWN_TYPES
                                                   and isinstance(field.get("name"), str) for field in fields):
            report.add("descriptor-invalid", "the resource's schema needs fields with a name and a known type",
                       resource["name"], where)
            continue
        if not _strings(schema.get("missingValues", [])) or not all(
                _strings(field.get(key, [])) for field in fields for key in ("trueValues", "falseValues")):
            report.add("descriptor-invalid", "missingValues, trueValues and falseValues must be lists of strings",
                       resource["name"], where)
            continue
        path = resource["path"]
        if path.startswith("/") or ".." in Path(path).parts or resource["format"] not in ("csv", "parquet"):
            report.add("descriptor-invalid", f"path {path!r} must stay in the package and format be csv or parquet",
                       resource["name"], where)
            continue
        if resource["name"] in names:
            report.add("descriptor-invalid", f"resource name {resource['name']!r} is used twice", resource["name"], where)
            continue
        names.add(resource["name"])
        good.append(resource)
    return good


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)

