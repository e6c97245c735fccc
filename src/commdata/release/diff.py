"""Compare two versions of a package: tables and columns, records added, removed and changed, and the
version bump the SemVer-for-data policy requires.

Policy (README): major for a breaking change (a table or column removed or retyped, a published
record removed), minor for additions (tables, columns, records), patch for corrections (changed
values, quotes or metadata).
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from commdata.errors import ArchiveError, DiffError
from commdata.release.archive import safe_extract
from commdata.domain.quantities import jsonable
from commdata.layout import DESCRIPTOR_PATH
from commdata.package.gate import GateError, parse_json, path_problem, require_package, resource_format

# File listings, not metadata: tables are compared row by row, and the partitioned copy holds the same rows.
_IGNORED_METADATA = {"version", "created", "resources", "commdata:partitioned"}


@dataclass
class TableDiff:
    name: str
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.columns_added or self.columns_removed or self.columns_retyped or self.added
                    or self.removed or self.changed)


@dataclass
class PackageDiff:
    old_version: str | None
    new_version: str | None
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)
    metadata: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def required_bump(self) -> str:
        if self.tables_removed or any(t.columns_removed or t.columns_retyped or t.removed for t in self.tables):
            return "major"
        if self.tables_added or any(t.columns_added or t.added for t in self.tables):
            return "minor"
        if self.metadata or any(t.changed for t in self.tables):
            return "patch"
        return "none"

    def summary(self) -> list[str]:
        """One line per kind of change, for the changelog."""
        lines = [f"table `{name}` added" for name in self.tables_added]
        lines += [f"table `{name}` removed" for name in self.tables_removed]
        for table in self.tables:
            lines += [f"`{table.name}`: column `{column}` added" for column in table.columns_added]
            lines += [f"`{table.name}`: column `{column}` removed" for column in table.columns_removed]
            lines += [f"`{table.name}`: column `{c}` retyped from {old} to {new}" for c, old, new in table.columns_retyped]
            for verb, ids in (("added", table.added), ("removed", table.removed), ("changed", list(table.changed))):
                if ids:
                    lines.append(f"`{table.name}`: {len(ids)} record{'s' if len(ids) != 1 else ''} {verb}")
        lines += [f"metadata `{key}` changed" for key in self.metadata]
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version, "new_version": self.new_version, "required_bump": self.required_bump,
            "tables_added": self.tables_added, "tables_removed": self.tables_removed,
            "metadata": {key: {"old": old, "new": new} for key, (old, new) in self.metadata.items()},
            "tables": [{
                "name": t.name, "columns_added": t.columns_added, "columns_removed": t.columns_removed,
                "columns_retyped": [{"column": c, "old": o, "new": n} for c, o, n in t.columns_retyped],
                "added": t.added, "removed": t.removed,
                "changed": {key: {name: {"old": jsonable(old), "new": jsonable(new)} for name, (old, new) in fields.items()}
                            for key, fields in t.changed.items()},
            } for t in self.tables if not t.empty],
        }




@contextmanager
def opened(spec: str, repository: Path | None = None) -> Iterator[Path]:
    """A folder holding the package that ``spec`` names: a package folder, its datapackage.json, a
    release archive (.zip), or a git revision of the repository."""
    path = Path(spec)
    if path.is_dir() and (path / DESCRIPTOR_PATH).is_file():
        yield path
    elif path.is_file() and path.name == DESCRIPTOR_PATH:
        yield path.parent
    elif path.is_file() and path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="commdata-diff-") as folder:
            try:
                safe_extract(path, Path(folder))
            except ArchiveError as error:
                raise DiffError(str(error)) from error
            found = sorted(Path(folder).glob(f"*/{DESCRIPTOR_PATH}")) + sorted(Path(folder).glob(DESCRIPTOR_PATH))
            if not found:
                raise DiffError(f"{path} holds no datapackage.json")
            yield found[0].parent
    elif path.exists():
        raise DiffError(f"{spec} is neither a package folder, a datapackage.json nor a .zip release archive")
    else:
        with tempfile.TemporaryDirectory(prefix="commdata-diff-") as folder:
            _checkout_package(spec, repository or Path.cwd(), Path(folder))
            yield Path(folder)


def _git_show(repository: Path, revision: str, path: str) -> bytes:
    result = subprocess.run(["git", "-C", str(repository), "show", f"{revision}:{path}"], capture_output=True)
    if result.returncode != 0:
        raise DiffError(f"{revision}:{path} is not in the repository at {repository}: "
                        f"{result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def _checkout_package(revision: str, repository: Path, folder: Path) -> None:
    if not revision or revision.startswith("-"):
        raise DiffError(f"{revision!r} is not a git revision")
    descriptor = _git_show(repository, revision, DESCRIPTOR_PATH)
    (folder / DESCRIPTOR_PATH).write_bytes(descriptor)
    try:  # the gate reads it again from the folder; here only the paths to check out are needed
        parsed = parse_json(descriptor, f"{revision}:{DESCRIPTOR_PATH}")
    except GateError as error:
        raise DiffError(error.message) from None
    resources = parsed.get("resources") if isinstance(parsed, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        relative = resource.get("path") if isinstance(resource, dict) else None
        problem = path_problem(relative)
        if problem is not None:
            raise DiffError(f"{revision}: resource path {relative!r} {problem[1]}")
        assert isinstance(relative, str)  # path_problem refuses anything else
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git_show(repository, revision, relative))


@dataclass
class Table:
    """One table of a package, read from its Parquet copy, with its rows by primary key."""

    columns: dict[str, str]  # name → Table Schema type
    key: list[str]
    rows: dict[str, dict[str, Any]]


def read_package(folder: Path) -> tuple[dict[str, Any], dict[str, Table]]:
    """A package's descriptor and its tables, read through the gate: a package it refuses, or a
    Parquet file with any problem, is not compared (PackageRefusedError)."""
    from commdata.package.check.reading import typed_table  # pyarrow: a third of a second, where packages are compared

    package = require_package(folder)
    assert package.descriptor is not None  # require_package refuses a package without one
    tables = {}
    for resource in package.resources:
        if resource_format(resource) != "parquet":
            continue  # every table is published in both formats; one is enough to compare
        name = resource["name"].removesuffix("-parquet")
        schema = resource["schema"]
        declared = schema.get("primaryKey") or [schema["fields"][0]["name"]]
        key = [declared] if isinstance(declared, str) else list(declared)
        rows = typed_table(package, resource).to_pylist()
        tables[name] = Table({f["name"]: f["type"] for f in schema["fields"]}, key,
                             {"|".join(str(row[k]) for k in key): row for row in rows})
    return package.descriptor, tables


def diff_folders(old: Path, new: Path) -> PackageDiff:
    old_descriptor, old_tables = read_package(old)
    new_descriptor, new_tables = read_package(new)
    result = PackageDiff(old_descriptor.get("version"), new_descriptor.get("version"))
    result.tables_added = sorted(new_tables.keys() - old_tables.keys())
    result.tables_removed = sorted(old_tables.keys() - new_tables.keys())
    for key in sorted((old_descriptor.keys() | new_descriptor.keys()) - _IGNORED_METADATA):
        if old_descriptor.get(key) != new_descriptor.get(key):
            result.metadata[key] = (old_descriptor.get(key), new_descriptor.get(key))
    for name in sorted(old_tables.keys() & new_tables.keys()):
        result.tables.append(_diff_table(name, old_tables[name], new_tables[name]))
    return result


def _diff_table(name: str, old: Table, new: Table) -> TableDiff:
    table = TableDiff(name)
    table.columns_added = [c for c in new.columns if c not in old.columns]
    table.columns_removed = [c for c in old.columns if c not in new.columns]
    table.columns_retyped = [(c, old.columns[c], new.columns[c]) for c in old.columns
                             if c in new.columns and old.columns[c] != new.columns[c]]
    table.added = sorted(new.rows.keys() - old.rows.keys())
    table.removed = sorted(old.rows.keys() - new.rows.keys())
    shared = [c for c in old.columns if c in new.columns]
    for key in sorted(old.rows.keys() & new.rows.keys()):
        before, after = old.rows[key], new.rows[key]
        changes = {c: (before[c], after[c]) for c in shared if before.get(c) != after.get(c)}
        if changes:
            table.changed[key] = changes
    return table


def diff_text(diff: PackageDiff, markdown: bool = False) -> str:
    head = f"{diff.old_version} → {diff.new_version}: required bump {diff.required_bump}"
    lines = [f"## {head}" if markdown else head, ""]
    lines += [f"- {line}" for line in diff.summary()] or ["- no changes"]
    for table in diff.tables:
        for key, fields in table.changed.items():
            lines.append(f"\n{'### ' if markdown else ''}{table.name} {key}")
            for column, (old, new) in fields.items():
                shown_old, shown_new = jsonable(old), jsonable(new)
                lines.append(f"- `{column}`: {shown_old!r} → {shown_new!r}" if markdown else
                             f"  {column}: {shown_old!r} → {shown_new!r}")
        for verb, ids in (("added", table.added), ("removed", table.removed)):
            if ids:
                lines.append(f"\n{'### ' if markdown else ''}{table.name} {verb}: " + ", ".join(ids[:50])
                             + (f" and {len(ids) - 50} more" if len(ids) > 50 else ""))
    return "\n".join(lines)
