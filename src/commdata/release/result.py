"""What a release made (kept apart from publish.py so that readers of the result need not import Arrow)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReleaseResult:
    version: str
    required_bump: str | None  # None for a first release
    changes: list[str]  # the changelog's lines
    folder: Path
    archive: Path
    checksums: Path
