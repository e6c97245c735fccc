"""Versioned releases: the record of what each release published, the bump it needed, and the
release folder, archive and checksums, reproducible to the byte.

``data/releases/X.Y.Z.json`` (the manifest) records, for each table of release X.Y.Z, its columns and
a digest of every row by primary key. It is how later validations know which ids were published, and
how the next release knows which bump it needs, without the old package at hand.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any


from commdata.release.diff import BUMPS, PackageDiff, TableDiff, read_package

RELEASES_DIR = "releases"
_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
ID_TABLES = ("sources", "meetings", "sections", "achievements", "targets", "tombstones")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: archives do not depend on when they were made


class ReleaseError(Exception):
    """A release that must not be made (invalid data, a bump too small, a version that exists)."""


def parse_version(text: str) -> tuple[int, int, int]:
    match = _VERSION.match(text)
    if match is None:
        raise ReleaseError(f"{text!r} is not a version X.Y.Z")
    return int(match[1]), int(match[2]), int(match[3])


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = parse_version(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def manifests(data_root: Path) -> list[Path]:
    """Release manifests, oldest first."""
    folder = data_root / RELEASES_DIR
    found = [path for path in folder.glob("*.json") if _VERSION.match(path.stem)] if folder.is_dir() else []
    return sorted(found, key=lambda path: parse_version(path.stem))


def load_manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def released_ids(manifest: dict[str, Any]) -> dict[str, set[str]]:
    return {table: set(content["rows"]) for table, content in manifest["tables"].items() if table in ID_TABLES}


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


def write_manifest(data_root: Path, manifest: dict[str, Any]) -> Path:
    path = data_root / RELEASES_DIR / f"{manifest['version']}.json"
    if path.exists():
        raise ReleaseError(f"release {manifest['version']} exists already ({path}): releases are never overwritten")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def set_package_version(package_yaml: Path, version: str) -> None:
    """Change the version line of data/package.yaml, keeping its comments."""
    text = package_yaml.read_text(encoding="utf-8")
    updated, count = re.subn(r"(?m)^version:.*$", f"version: {version}", text)
    if count != 1:
        raise ReleaseError(f"{package_yaml} must have exactly one top-level `version:` line")
    package_yaml.write_text(updated, encoding="utf-8")


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


def release_date(given: str | None) -> str:
    if given is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(given).isoformat()
    except ValueError:
        raise ReleaseError(f"{given!r} is not a date YYYY-MM-DD")


def archive_path(folder: Path) -> Path:
    return folder.parent / f"{folder.name}.zip"  # not with_suffix: 1.2.3 would lose its ".3"


def write_archive(folder: Path, archive: Path) -> None:
    """A zip of ``folder`` under its own name, byte-identical for identical contents: sorted entries,
    fixed times and permissions, fixed compression."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in files:
            entry = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def write_checksum(path: Path) -> Path:
    """NAME.sha256 beside a file whose bytes are not reproducible (the DuckDB database)."""
    target = path.parent / f"{path.name}.sha256"
    target.write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n", encoding="utf-8")
    return target


def write_checksums(dist: Path) -> Path:
    """dist/SHA256SUMS for every archive in dist, checkable with `sha256sum -c SHA256SUMS`."""
    lines = [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}" for path in sorted(dist.glob("*.zip"))]
    target = dist / "SHA256SUMS"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def release_readme(descriptor: dict[str, Any], released: str, citation: str, row_counts: dict[str, int]) -> str:
    """README.md of a release folder, for people who only download it."""
    name, version = descriptor["name"], descriptor["version"]
    licenses = ", ".join(f"{item['title']} ({item['path']})" for item in descriptor.get("licenses", []))
    sources = "\n".join(f"- {source['title']}" + (f" ({source['path']})" if source.get("path") else "")
                        for source in descriptor.get("sources", []))
    tables = "\n".join(f"| `{table}` | {count} |" for table, count in row_counts.items())
    return f"""# {descriptor['title']}: release {version}

{descriptor['description']}

Released {released}. Every figure comes with the exact quote it was taken from and that quote's
character offsets in the canonical text of its source, which the `sources` table publishes in full.

## What is in this folder

- `datapackage.json`: the Frictionless Data Package (v2) descriptor: every table's fields, types,
  constraints and keys, and the SHA-256 of every file.
- `data/tables/NAME.csv` and `data/tables/NAME.parquet`: each table in CSV (UTF-8, header row) and
  in Parquet (zstd; exact decimals, dates, dictionary-encoded categories), with the same rows.
- `CODEBOOK.md`: every table and field, in English and Chinese.
- `index.html`: a page to browse the records, each figure's quote highlighted in its source text, and
  a chart per indicator (open it in a browser; it needs no network).
- `load.duckdb.sql`: builds a DuckDB database of every table with keys and comments
  (`duckdb commdata.duckdb < load.duckdb.sql`, run in this folder).
- `CHANGELOG.md`: what changed in each release.
- `CITATION.cff`: how to cite this release.

| table | rows |
| --- | --- |
{tables}

## Where it comes from

{sources}

The source texts are official publications of the bodies that issued them; the records were curated
by hand and checked by `commdata validate` against the source texts.

## License

{licenses}

## How to cite

{citation.strip()}

## How to load it

```python
import duckdb
duckdb.sql("select indicator, figure, bound, value from 'data/tables/targets.parquet'").show()

import pandas as pd
targets = pd.read_parquet("data/tables/targets.parquet")      # value: exact decimal.Decimal

import polars as pl
achievements = pl.read_parquet("data/tables/achievements.parquet")
```

## How to check it

```sh
sha256sum -c SHA256SUMS          # in the folder holding {name}-{version}.zip
pip install commdata && commdata validate datapackage.json
```
"""


def citation_text(citation: Path, version: str) -> str:
    """A plain citation line from CITATION.cff (title, authors, version, year)."""
    text = citation.read_text(encoding="utf-8") if citation.exists() else ""
    title = re.search(r'(?m)^title:\s*"?(.*?)"?$', text)
    authors = re.findall(r'(?m)^\s*-\s*name:\s*"?(.*?)"?$', text)
    year = re.search(r'(?m)^date-released:\s*"?(\d{4})', text)
    return (f"{', '.join(authors) or 'commdata curators'} ({year[1] if year else ''}). "
            f"{title[1] if title else 'commdata'} (version {version}) [Data set].")
