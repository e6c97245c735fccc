"""A summary of a built package: version, tables, rows, fields and sources (for `commdata info`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from commdata.package.descriptor import DESCRIPTOR_PATH


class InfoError(Exception):
    """The path is not a readable package."""


def package_summary(path: Path) -> dict[str, Any]:
    descriptor_path = path / DESCRIPTOR_PATH if path.is_dir() else path
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InfoError(f"cannot read {descriptor_path}: {error}") from error
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
        tables.append({"name": resource["name"].removesuffix("-parquet"), "rows": rows,
                       "fields": [f"{field['name']}:{field['type']}" for field in fields],
                       "formats": sorted(r["format"] for r in descriptor["resources"]
                                         if r["path"].rsplit(".", 1)[0] == resource["path"].rsplit(".", 1)[0])})
    return {"name": descriptor.get("name"), "title": descriptor.get("title"), "version": descriptor.get("version"),
            "created": descriptor.get("created"), "licenses": [item.get("name") for item in descriptor.get("licenses", [])],
            "sources": [source.get("title") for source in descriptor.get("sources", [])], "tables": tables}


def render_summary(summary: dict[str, Any], verbose: bool) -> str:
    lines = [f"{summary['title']} ({summary['name']} {summary['version']}, created {summary['created']})",
             f"license: {', '.join(summary['licenses'])}", "", f"{'table':<14}{'rows':>8}  fields  formats"]
    for table in summary["tables"]:
        rows = "?" if table["rows"] is None else str(table["rows"])
        lines.append(f"{table['name']:<14}{rows:>8}  {len(table['fields']):>6}  {', '.join(table['formats'])}")
        if verbose:
            lines += [f"    {field}" for field in table["fields"]]
    lines += ["", f"sources ({len(summary['sources'])}):"] + [f"  {title}" for title in summary["sources"]]
    return "\n".join(lines)
