"""The project files a release updates besides its manifest: the version in data/package.yaml, a
section of CHANGELOG.md, and CITATION.cff (whose text also gives the release's citation line). Each is
a change of text: the release stages the new texts and writes them only once everything is staged."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from commdata.errors import ReleaseError


def with_package_version(package_yaml: Path, version: str) -> str:
    """The text of data/package.yaml with its version line changed, its comments kept."""
    text = package_yaml.read_text(encoding="utf-8")
    updated, count = re.subn(r"(?m)^version:.*$", f"version: {version}", text)
    if count != 1:
        raise ReleaseError(f"{package_yaml} must have exactly one top-level `version:` line")
    return updated


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


def with_changelog_section(changelog: Path, section: str) -> str:
    """CHANGELOG.md with the release's section under [Unreleased]: what was unreleased is released with it."""
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n\n## [Unreleased]\n"
    marker = "## [Unreleased]\n"
    if marker not in text:
        raise ReleaseError(f"{changelog} has no '## [Unreleased]' heading")
    return text.replace(marker, marker + "\n" + section, 1)


def with_citation_release(citation: Path, version: str, released: str) -> str:
    """CITATION.cff with the release's version and date."""
    text = citation.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version:.*$", f'version: "{version}"', text)
    return re.sub(r"(?m)^date-released:.*$", f'date-released: "{released}"', text)


def citation_text(text: str, version: str) -> str:
    """A plain citation line from the text of CITATION.cff (title, authors, version, year)."""
    title = re.search(r'(?m)^title:\s*"?(.*?)"?$', text)
    authors = re.findall(r'(?m)^\s*-\s*name:\s*"?(.*?)"?$', text)
    year = re.search(r'(?m)^date-released:\s*"?(\d{4})', text)
    return (f"{', '.join(authors) or 'commdata curators'} ({year[1] if year else ''}). "
            f"{title[1] if title else 'commdata'} (version {version}) [Data set].")
