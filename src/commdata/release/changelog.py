"""The project files a release updates besides its manifest: the version in data/package.yaml, a
section of CHANGELOG.md, and CITATION.cff (whose text also gives the release's citation line)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from commdata.errors import ReleaseError


def set_package_version(package_yaml: Path, version: str) -> None:
    """Change the version line of data/package.yaml, keeping its comments."""
    text = package_yaml.read_text(encoding="utf-8")
    updated, count = re.subn(r"(?m)^version:.*$", f"version: {version}", text)
    if count != 1:
        raise ReleaseError(f"{package_yaml} must have exactly one top-level `version:` line")
    package_yaml.write_text(updated, encoding="utf-8")


def release_date(given: str | None) -> str:
    if given is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(given).isoformat()
    except ValueError:
        raise ReleaseError(f"{given!r} is not a date YYYY-MM-DD")


def first_release_summary(manifest: dict[str, Any]) -> list[str]:
    return [f"first release: `{name}` with {len(table['rows'])} record{'s' if len(table['rows']) != 1 else ''}"
            for name, table in manifest["tables"].items()]


def changelog_section(version: str, released: str, changes: list[str], notes: list[str]) -> str:
    lines = [f"## [{version}] - {released}", "", "### Data changes", ""]
    lines += [f"- {line}" for line in changes] or ["- no data changes"]
    if notes:
        lines += ["", "### Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n\n"


def add_changelog_section(changelog: Path, section: str) -> None:
    """Insert the release's section under [Unreleased]: what was unreleased is released with it."""
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n\n## [Unreleased]\n"
    marker = "## [Unreleased]\n"
    if marker not in text:
        raise ReleaseError(f"{changelog} has no '## [Unreleased]' heading")
    changelog.write_text(text.replace(marker, marker + "\n" + section, 1), encoding="utf-8")


def update_citation(citation: Path, version: str, released: str) -> None:
    text = citation.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version:.*$", f'version: "{version}"', text)
    text = re.sub(r"(?m)^date-released:.*$", f'date-released: "{released}"', text)
    citation.write_text(text, encoding="utf-8")


def citation_text(citation: Path, version: str) -> str:
    """A plain citation line from CITATION.cff (title, authors, version, year)."""
    text = citation.read_text(encoding="utf-8") if citation.exists() else ""
    title = re.search(r'(?m)^title:\s*"?(.*?)"?$', text)
    authors = re.findall(r'(?m)^\s*-\s*name:\s*"?(.*?)"?$', text)
    year = re.search(r'(?m)^date-released:\s*"?(\d{4})', text)
    return (f"{', '.join(authors) or 'commdata curators'} ({year[1] if year else ''}). "
            f"{title[1] if title else 'commdata'} (version {version}) [Data set].")
