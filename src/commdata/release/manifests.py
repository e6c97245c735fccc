"""Release manifests: what each release published.

``data/releases/X.Y.Z.json`` records, for each table of release X.Y.Z, its columns and a digest of
every row by primary key. It is how later validations know which ids were published
(records/release_history.py reads them), and how the next release knows which bump it needs, without
the old package at hand.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from commdata.domain.versions import BUMPS
from commdata.errors import ReleaseError
from commdata.release.diff import PackageDiff, TableDiff, read_package


def _row_digest(row: dict[str, Any]) -> str:
    text = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def package_manifest(folder: Path, version: str, released: str) -> dict[str, Any]:
    _, tables = read_package(folder)
    return {"version": version, "date": released, "tables": {
        name: {"columns": table.columns, "rows": {key: _row_digest(row) for key, row in table.rows.items()}}
        for name, table in tables.items()}}


def diff_manifests(old: dict[str, Any], new: dict[str, Any]) -> PackageDiff:
    """What changed between two releases, from their manifests (changed rows without field detail)."""
    result = PackageDiff(old["version"], new["version"])
    result.tables_added = sorted(new["tables"].keys() - old["tables"].keys())
    result.tables_removed = sorted(old["tables"].keys() - new["tables"].keys())
    for name in sorted(old["tables"].keys() & new["tables"].keys()):
        before, after = old["tables"][name], new["tables"][name]
        table = TableDiff(name)
        table.columns_added = [c for c in after["columns"] if c not in before["columns"]]
        table.columns_removed = [c for c in before["columns"] if c not in after["columns"]]
        table.columns_retyped = [(c, t, after["columns"][c]) for c, t in before["columns"].items()
                                 if c in after["columns"] and after["columns"][c] != t]
        table.added = sorted(after["rows"].keys() - before["rows"].keys())
        table.removed = sorted(before["rows"].keys() - after["rows"].keys())
        table.changed = {key: {} for key in sorted(before["rows"].keys() & after["rows"].keys())
                         if before["rows"][key] != after["rows"][key]}
        result.tables.append(table)
    return result


def check_bump(required: str, given: str) -> None:
    if BUMPS.index(given) < BUMPS.index(required):
        raise ReleaseError(f"the changes need a {required} release; --bump {given} is too small")


def manifest_text(manifest: dict[str, Any]) -> str:
    """data/releases/X.Y.Z.json: the manifest as the release writes it."""
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
