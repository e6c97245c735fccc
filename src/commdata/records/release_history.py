"""What earlier releases published, read from their manifests (``releases/X.Y.Z.json`` in the data
folder): the ids that must never vanish without a tombstone. Releases write them (release/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from commdata.domain.versions import is_version, parse_version
from commdata.layout import RELEASES_DIR

ID_TABLES = ("sources", "meetings", "sections", "achievements", "targets", "tombstones")


def manifests(data_root: Path) -> list[Path]:
    """Release manifests, oldest first."""
    folder = data_root / RELEASES_DIR
    found = [path for path in folder.glob("*.json") if is_version(path.stem)] if folder.is_dir() else []
    return sorted(found, key=lambda path: parse_version(path.stem))


def load_manifest(path: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def released_ids(manifest: dict[str, Any]) -> dict[str, set[str]]:
    """The ids each table of the release held, by table."""
    return {table: set(content["rows"]) for table, content in manifest["tables"].items() if table in ID_TABLES}
