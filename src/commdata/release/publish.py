"""Make a release, as a transaction: every precondition is checked first, everything is staged, and
only then is anything that a reader sees changed, the repository last.

1. Check: DuckDB importable, the records valid, the version free (no manifest, release folder,
   archive or database of it), and the bump big enough for the changes since the last release.
2. Stage, in ``.commdata-release-staging-TOKEN/`` in the project: first a journal (release.json,
   which names the release and its staging folder in dist), then the new package, the manifest, the
   new data/package.yaml, CHANGELOG.md and CITATION.cff; and in ``dist/.commdata-release-TOKEN/``
   the release folder, its archive, the DuckDB database and the new SHA256SUMS. Everything is
   fsynced. Until here, only hidden working folders exist.
3. Commit: the project's staging folder is renamed ``.commdata-release-commit-TOKEN``, in one step.
   This is the commit point.
4. Apply, each step idempotent: the release folder, database and archive are renamed into dist, then
   SHA256SUMS (so the zip is in place before the checksums that list it); then the package is written
   into the project (atomically, package/writer.py), then package.yaml, CHANGELOG.md and CITATION.cff,
   and the manifest last (it is what says the version was released). The working folders go.

A release killed at any point is found by the next ``commdata release`` (recover_release): a staging
folder was killed before the commit point, and is undone (deleted, with its folder in dist); a commit
folder was killed after it, and is finished (step 4 again). It says which. So no version is ever
recorded without its archive, nor skipped. Releases of one project are serialised by a lock on its
data folder. A rebuild (rebuild_release) is the same transaction with nothing for the project: its
journal is in dist, and the next release or rebuild into that dist recovers it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # releases are made of Parquet tables; nothing that only validates imports this

from commdata.domain.models import PACKAGE_NAME_PATTERN
from commdata.domain.versions import bump_version, is_version
from commdata.errors import ReleaseError
from commdata.inputs import resolve_project
from commdata.layout import (CHANGELOG, CHECKSUMS, CITATION, DATA_DIR, DESCRIPTOR_PATH, DIST_DIR, PACKAGE_INFO,
                             RELEASE_CODEBOOK, RELEASE_DUCKDB_SCRIPT, RELEASE_README, RELEASES_DIR, TABLES_DIR,
                             WRITER_PREFIX)
from commdata.package.assemble import package_files
from commdata.package.codebook import codebook_markdown
from commdata.package.csv_rows import file_csv_rows
from commdata.package.gate import GateError, read_file, require_package
from commdata.package.validation import validate
from commdata.package.writer import write_package
from commdata.records.load_corpus import load_records
from commdata.records.loading import load_package_info
from commdata.records.release_history import load_manifest, manifests
from commdata.release import archive, changelog, duckdb_export
from commdata.release.manifests import check_bump, diff_manifests, manifest_text, package_manifest
from commdata.release.readme import release_readme
from commdata.release.result import ReleaseResult
from commdata.release.site import write_site

STAGING, COMMIT, TRASH = (f"{WRITER_PREFIX}release-{state}-" for state in ("staging", "commit", "trash"))
JOURNAL = "release.json"
STAGED_PACKAGE, STAGED_PROJECT = "package", "project"


def release(path: Path | None, bump: str, *, notes: tuple[str, ...] | list[str] = (), released: str | None = None,
            dist: Path | None = None) -> ReleaseResult:
    """Make a release (see the module's docstring); ReleaseError, with nothing changed, when it must not be
    made. A release killed earlier is finished or undone first (recover_release says which)."""
    target = resolve_project(path)
    root, data_root = target.path, target.data_root
    assert data_root is not None
    dist = (dist or root / DIST_DIR).absolute()
    with _locked(data_root):
        _recover(root, dist, data_root)
        duckdb_export.require_duckdb()
        report = validate(root)
        if not report.ok:
            raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
        released = changelog.release_date(released)
        history = manifests(data_root)
        last = load_manifest(history[-1]) if history else None
        info = load_package_info(data_root / PACKAGE_INFO).model
        assert info is not None  # a valid project has its package.yaml
        version = bump_version(last["version"], bump) if last else info.version
        _check_free(data_root, dist, info.name, version)
        corpus, loaded_info = load_records(target, render=file_csv_rows)
        assert loaded_info is not None and loaded_info.model is not None
        files = package_files(corpus, loaded_info.model.model_copy(update={"version": version}))
        staging = Path(os.path.realpath(root)) / f"{STAGING}{secrets.token_hex(8)}"
        try:
            journal = _stage(root, staging, files, dist, info.name, version, released, last, bump, list(notes))
        except BaseException:
            _undo(staging, _journal(staging))  # refused or failed, not killed: nothing stays
            raise
        commit = staging.with_name(COMMIT + staging.name.removeprefix(STAGING))
        staging.rename(commit)  # the commit point
        _fsync(commit.parent)
        _apply(root, commit, journal)
    return ReleaseResult(version, journal["required_bump"], journal["changes"], dist / f"{info.name}-{version}",
                         dist / f"{info.name}-{version}.zip", dist / CHECKSUMS)


def recover_release(path: Path | None) -> list[str]:
    """Finish or undo the releases of the project that were killed (see the module's docstring): what was
    done, one line each (none when no release was interrupted)."""
    target = resolve_project(path)
    assert target.data_root is not None
    with _locked(target.data_root):
        return _recover(target.path, target.path / DIST_DIR, target.data_root)


def rebuild_release(path: Path | None = None, dist: Path | None = None) -> Path:
    """Write the release folder and archive of the project's current version again, from the committed
    files: byte-identical to the original release (its database holds the same rows)."""
    target = resolve_project(path)
    data_root = target.data_root
    assert data_root is not None
    dist = (dist or target.path / DIST_DIR).absolute()
    with _locked(data_root):
        _recover(target.path, dist, data_root)
        duckdb_export.require_duckdb()
        info = load_package_info(data_root / PACKAGE_INFO).model
        assert info is not None
        manifest_path = data_root / RELEASES_DIR / f"{info.version}.json"
        if not manifest_path.exists():
            raise ReleaseError(f"version {info.version} was never released (no {manifest_path})")
        report = validate(target.path)
        if not report.ok:
            raise ReleaseError(f"validation fails with {len(report.problems)} problems: run `commdata validate`")
        extras = {name: (target.path / name).read_bytes() for name in (CHANGELOG, CITATION)
                  if (target.path / name).exists()}
        dist.mkdir(parents=True, exist_ok=True)
        with _also_locked(dist, data_root):  # projects may share a dist: another's recovery must not undo it
            for existing in _outputs(dist, info.name, info.version):
                if existing.exists():
                    raise ReleaseError(f"{existing} exists: releases are never overwritten")
            _rebuild_into(target.path, dist, extras, info.name, info.version, load_manifest(manifest_path)["date"])
    return dist / f"{info.name}-{info.version}"


def _rebuild_into(package: Path, dist: Path, extras: dict[str, bytes], name: str, version: str, released: str) -> None:
    """The same transaction as a release, with nothing to write into the project, so its journal stays
    in dist (a rebuild may check a read-only checkout): killed before its commit point, it is undone
    by the next release or rebuild into that dist; killed after it, finished."""
    token = secrets.token_hex(8)
    staging = Path(os.path.realpath(dist)) / f"{STAGING}{token}"
    dist_staging = dist / f"{WRITER_PREFIX}rebuild-{token}"
    journal = {"version": version, "name": name, "dist": str(dist), "dist_staging": str(dist_staging),
               "project": [], "rebuild": True}
    try:
        staging.mkdir()
        _write(staging / JOURNAL, json.dumps(journal).encode("utf-8"))  # first: an undo finds dist_staging
        _stage_dist(package, dist_staging, extras, name, version, released)
        _fsync(staging, dist_staging, recursive=True)
    except BaseException:
        _undo(staging, _journal(staging, dist))
        raise
    commit = staging.with_name(COMMIT + token)
    staging.rename(commit)  # the commit point
    _fsync(commit.parent)
    _apply(commit.parent, commit, journal)


# ---------------------------------------------------------------------------------------------------
# Checking and staging

def _outputs(dist: Path, name: str, version: str) -> list[Path]:
    return [dist / f"{name}-{version}", dist / f"{name}-{version}.zip", dist / f"{name}-{version}.duckdb"]


def _check_free(data_root: Path, dist: Path, name: str, version: str) -> None:
    for existing in (data_root / RELEASES_DIR / f"{version}.json", *_outputs(dist, name, version)):
        if existing.exists():
            raise ReleaseError(f"release {version} exists already ({existing}): releases are never overwritten")


def _stage(root: Path, staging: Path, files: dict[str, bytes], dist: Path, name: str, version: str, released: str,
           last: dict[str, Any] | None, bump: str, notes: list[str]) -> dict[str, Any]:
    """Everything the release writes, staged (see the module's docstring): its journal."""
    staging.mkdir()
    dist_staging = dist / f"{WRITER_PREFIX}release-{staging.name.removeprefix(STAGING)}"
    journal: dict[str, Any] = {"version": version, "name": name, "dist": str(dist), "dist_staging": str(dist_staging)}
    _write(staging / JOURNAL, json.dumps(journal).encode("utf-8"))  # first: an undo finds the folder in dist
    package = staging / STAGED_PACKAGE
    for relative, data in files.items():
        _write(package / relative, data)
    (package / TABLES_DIR).mkdir(parents=True, exist_ok=True)
    manifest = package_manifest(package, version, released)
    change = diff_manifests(last, manifest) if last else None
    if change is not None:
        check_bump(change.required_bump, bump)
    changes = change.summary() if change else changelog.first_release_summary(manifest)
    section = changelog.changelog_section(version, released, changes, notes)
    project = {f"{DATA_DIR}/{PACKAGE_INFO}": changelog.with_package_version(root / DATA_DIR / PACKAGE_INFO, version),
               CHANGELOG: changelog.with_changelog_section(root / CHANGELOG, section)}
    if (root / CITATION).exists():
        project[CITATION] = changelog.with_citation_release(root / CITATION, version, released)
    project[f"{DATA_DIR}/{RELEASES_DIR}/{version}.json"] = manifest_text(manifest)  # applied last
    for relative, text in project.items():
        _write(staging / STAGED_PROJECT / relative, text.encode("utf-8"))
    journal.update(project=list(project), required_bump=change.required_bump if change else None, changes=changes)
    dist.mkdir(parents=True, exist_ok=True)
    extras = {name: text.encode("utf-8") for name, text in project.items() if name in (CHANGELOG, CITATION)}
    _stage_dist(package, dist_staging, extras, name, version, released)
    _write(staging / JOURNAL, json.dumps(journal).encode("utf-8"))
    _fsync(staging, dist_staging, recursive=True)
    return journal


def _stage_dist(package: Path, staging: Path, extras: dict[str, bytes], name: str, version: str, released: str) -> None:
    """``staging`` (a new folder in dist) gets the release folder NAME-VERSION (the package at ``package``,
    a README, the codebook, the DuckDB script, the page, and ``extras``: the changelog and citation), its
    archive, the database, and SHA256SUMS of everything dist will then hold."""
    staging.mkdir(parents=True)
    folder = staging / f"{name}-{version}"
    descriptor = require_package(package).descriptor
    assert descriptor is not None
    _write(folder / DESCRIPTOR_PATH, (package / DESCRIPTOR_PATH).read_bytes())
    shutil.copytree(package / TABLES_DIR, folder / TABLES_DIR)
    counts = {resource["name"].removesuffix("-csv"): _rows(package / resource["path"].replace(".csv", ".parquet"))
              for resource in descriptor["resources"] if resource["format"] == "csv"}
    citation = extras.get(CITATION, b"").decode("utf-8")
    _write(folder / RELEASE_README, release_readme(descriptor, released, changelog.citation_text(citation, version),
                                                   counts).encode("utf-8"))
    _write(folder / RELEASE_CODEBOOK, codebook_markdown().encode("utf-8"))
    _write(folder / RELEASE_DUCKDB_SCRIPT, duckdb_export.duckdb_script().encode("utf-8"))
    write_site(folder, folder)
    for extra, data in extras.items():
        _write(folder / extra, data)
    zipped, database = staging / f"{name}-{version}.zip", staging / f"{name}-{version}.duckdb"
    archive.write_archive(folder, zipped)
    duckdb_export.write_database(folder, database)
    listed = {**archive.checksummed(staging.parent), zipped.name: zipped, database.name: database}
    _write(staging / CHECKSUMS, archive.checksums_text(listed).encode("utf-8"))


def _rows(path: Path) -> int:
    return int(pq.read_metadata(path).num_rows)  # the package staged just now, checked by require_package


# ---------------------------------------------------------------------------------------------------
# Applying and recovering

def _publish_dist(staging: Path, dist: Path, name: str, version: str) -> None:
    """Move what ``staging`` holds into dist, each a rename: the folder, the database, the archive, then
    SHA256SUMS. A rename already made (its source is gone) is skipped, so this may run again."""
    for item in (f"{name}-{version}", f"{name}-{version}.duckdb", f"{name}-{version}.zip", CHECKSUMS):
        if (staging / item).exists():
            os.replace(staging / item, dist / item)
    _fsync(dist)


MAX_JOURNAL_BYTES = 1 << 20  # a journal names a few paths


def _journal(folder: Path, in_dist: Path | None = None) -> dict[str, Any] | None:
    """A working folder's journal, or None when it is missing or not one a release or rebuild writes.
    ``in_dist``: the dist the folder was found in (a rebuild's), None for a folder of the project.

    A journal names what recovery deletes, moves and writes, so a forged one (a clone carrying a working
    folder that names the home folder, or links to it) must not be followed. It is read as a regular
    file without following links; its folder in dist must be the writer's own for this token, in the
    dist it names (a rebuild's: the dist it was found in), and no link; the project files it names are
    those a release changes; what it would move into dist must not be there already (a move is a
    rename: a genuine item is in one place or the other); and a package it would write is a folder of
    regular files holding a descriptor."""
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return None
        journal = json.loads(read_file(folder, JOURNAL, MAX_JOURNAL_BYTES))
        dist, dist_staging = Path(journal["dist"]), Path(journal["dist_staging"])
        name, version = journal["name"], journal["version"]
        project = journal.setdefault("project", [])  # absent until staging is done: nothing to apply yet
        rebuild = journal.get("rebuild", False) is True
    except (GateError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    token = folder.name.removeprefix(STAGING).removeprefix(COMMIT)
    ours = dist.is_absolute() and dist_staging == dist / f"{WRITER_PREFIX}{'rebuild' if rebuild else 'release'}-{token}"
    named = isinstance(name, str) and re.fullmatch(PACKAGE_NAME_PATTERN, name) is not None \
        and isinstance(version, str) and is_version(version)
    if not (ours and named and isinstance(project, list) and rebuild == (in_dist is not None)):
        return None
    allowed = {f"{DATA_DIR}/{PACKAGE_INFO}", CHANGELOG, CITATION, f"{DATA_DIR}/{RELEASES_DIR}/{version}.json"}
    if not all(isinstance(path, str) and path in allowed for path in project):
        return None
    if in_dist is not None and (project or os.path.realpath(dist) != os.path.realpath(in_dist)
                                or os.path.lexists(folder / STAGED_PACKAGE)):
        return None
    try:
        return journal if _staged_dist_sound(dist_staging, dist, name, version) \
            and _staged_package_sound(folder / STAGED_PACKAGE) else None
    except OSError:
        return None


def _staged_dist_sound(dist_staging: Path, dist: Path, name: str, version: str) -> bool:
    if not os.path.lexists(dist_staging):
        return True
    if not stat.S_ISDIR(dist_staging.lstat().st_mode):
        return False
    for item in (f"{name}-{version}", f"{name}-{version}.duckdb", f"{name}-{version}.zip", CHECKSUMS):
        staged = dist_staging / item
        if os.path.lexists(staged) and (staged.is_symlink() or item != CHECKSUMS and os.path.lexists(dist / item)):
            return False
    return True


def _staged_package_sound(package: Path) -> bool:
    if not os.path.lexists(package):
        return True
    if not stat.S_ISDIR(package.lstat().st_mode):
        return False
    for folder, folders, files in os.walk(package):
        for entry in [*folders, *files]:
            mode = (Path(folder) / entry).lstat().st_mode
            if not (stat.S_ISDIR(mode) if entry in folders else stat.S_ISREG(mode)):
                return False
    return (package / DESCRIPTOR_PATH).is_file()


def _apply(root: Path, commit: Path, journal: dict[str, Any]) -> None:
    """Step 4 of the module's docstring, from the commit folder (its journal checked by _journal):
    idempotent, so a recovery runs it again. ReleaseError when the project stops it (a file where a
    folder must go)."""
    dist, dist_staging = Path(journal["dist"]), Path(journal["dist_staging"])
    try:
        if dist_staging.exists():
            _publish_dist(dist_staging, dist, journal["name"], journal["version"])
        package = commit / STAGED_PACKAGE
        if package.exists():
            files = {path.relative_to(package).as_posix(): path.read_bytes()
                     for path in sorted(package.rglob("*")) if path.is_file()}
            write_package(files, root)
            _delete(package, commit)
        for relative in journal["project"]:  # the manifest last
            staged = commit / STAGED_PROJECT / relative
            if os.path.lexists(staged) and stat.S_ISREG(staged.lstat().st_mode):
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, root / relative)
                _fsync((root / relative).parent)
    except OSError as error:
        raise ReleaseError(f"{_doing(journal)} was stopped after it was committed, and cannot be finished: {error}; "
                           f"make room for it and run `commdata release` again") from None
    shutil.rmtree(dist_staging, ignore_errors=True)
    _delete(commit, root)


def _undo(staging: Path, journal: dict[str, Any] | None) -> None:
    """Delete a staging folder (killed or refused before the commit point) and, when ``journal`` (the
    folder's, as _journal checked it) names one, its folder in dist."""
    if journal is not None:  # else none was written yet, and nothing was staged in dist
        shutil.rmtree(journal["dist_staging"], ignore_errors=True)
    _delete(staging, staging.parent)


def _recover(root: Path, dist: Path, held: Path) -> list[str]:
    """Finish every release or rebuild committed but not applied, undo every one staged but not
    committed: a release's journal is in the project (``root``), a rebuild's in ``dist``. ``held`` is
    the folder whose lock the caller holds (a second lock on it would wait for ever)."""
    done = []
    for folder in (root, *([dist] if dist.is_dir() and dist.resolve() != root.resolve() else [])):
        in_dist = dist if folder == dist else None
        with _also_locked(folder, held) if in_dist else nullcontext():  # a rebuild under way holds its dist
            for commit in sorted(folder.glob(f"{COMMIT}*")):
                journal = _journal(commit, in_dist)
                if journal is None:  # a commit folder always has a journal: this one is not ours
                    _delete(commit, folder)
                    done.append(f"removed {commit.name}, whose journal is not one commdata writes")
                    continue
                _apply(folder, commit, journal)
                done.append(f"finished {_doing(journal)}, which was stopped after it was committed")
            for staging in sorted(folder.glob(f"{STAGING}*")):
                journal = _journal(staging, in_dist)
                _undo(staging, journal)
                done.append(f"undid {_doing(journal)}, which was stopped before it was committed: nothing of it "
                            "remains")
            for trash in folder.glob(f"{TRASH}*"):
                _remove(trash)
    return done


def _doing(journal: dict[str, Any] | None) -> str:
    """What a working folder was doing: "release 1.2.3", "the rebuild of release 1.2.3"."""
    if journal is None:
        return "release (unknown version)"
    return f"{'the rebuild of ' if journal.get('rebuild') is True else ''}release {journal['version']}"


def _delete(folder: Path, parent: Path) -> None:
    """Delete a working folder: renamed to trash first, in one step, so that a half-deleted folder is
    never taken for a staging or commit folder."""
    trash = parent / f"{TRASH}{secrets.token_hex(8)}"
    try:
        folder.rename(trash)
    except OSError:
        return
    _remove(trash)


def _remove(path: Path) -> None:
    """Remove a working folder, or whatever stands in its place (a link, a file: never followed)."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a journal written twice is never found half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _fsync(*folders: Path, recursive: bool = False) -> None:
    """Make what was staged or renamed in ``folders`` (and, ``recursive``, every folder below them) durable."""
    for top in folders:
        below = [path for path in top.rglob("*") if path.is_dir()] if recursive and top.exists() else []
        for folder in [top, *below] if top.exists() else []:
            handle = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


def _also_locked(folder: Path, held: Path) -> AbstractContextManager[None]:
    """The lock on ``folder``, unless it is ``held`` (the caller's): a second lock would wait for ever."""
    return nullcontext() if os.path.realpath(folder) == os.path.realpath(held) else _locked(folder)


@contextmanager
def _locked(data_root: Path) -> Iterator[None]:
    """One release of a project at a time (a lock on its data folder: package/writer.py locks the project
    folder itself while it writes the package)."""
    handle = os.open(data_root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
