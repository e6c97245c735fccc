"""Write a rendered package into a folder, atomically.

A package is two names in its folder: the descriptor (``datapackage.json``) and the tables folder
(``data/tables``). They cannot both be replaced by one rename, so a build commits in steps that are
each a single rename, and a build killed at any point (kill -9, power cut) leaves a state from which
:func:`recover` returns the folder to the previous package or the new one, never a mix:

1. stage: every file is written and fsynced into ``.commdata-staging-*`` inside the folder (the same
   file system, so that renames are atomic); the previous package is untouched;
2. rename the staging folder to ``.commdata-commit-*``: a commit is under way;
3. move the current ``data/tables`` (if any) into the commit folder, as ``previous-tables``;
4. move the commit folder's ``data/tables`` into place;
5. move the commit folder's ``datapackage.json`` into place: **the commit point**;
6. rename the commit folder to ``.commdata-trash-*`` and delete it.

Recovery reads the state from the names alone: a commit folder that still holds its
``datapackage.json`` did not reach the commit point, and steps 4 and 3 are undone (again one rename
each, so recovery itself may be killed and run again); one that does not hold it did, and only needs
deleting. Staging and trash folders are deleted. Between steps 3 and 5 (a few microseconds) the
folder on disk is not a package: its tables are missing, or new under the old descriptor, whose
SHA-256s expose the mix; the next build, :func:`check_output_folder` or :func:`recover` puts it back.

Every rename is made durable (the folders it touches are fsynced) before the next, so that after a
power cut too the names tell the truth. A build that fails rather than dies (a full disk, a
permission) undoes its commit at once and raises OutputError.

An exclusive lock (``flock``) on the folder itself serialises builds and recovery, so two builds
into one folder never interleave, and no lock file is left behind. Files whose names start with
``.commdata-`` belong to this protocol and are not part of the package.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from commdata.errors import OutputError
from commdata.layout import DESCRIPTOR_PATH, TABLES_DIR, WRITER_PREFIX

PREFIX = WRITER_PREFIX  # the writer's own working folders; never part of a package
_STAGING_PREFIX = PREFIX + "staging-"
_COMMIT_PREFIX = PREFIX + "commit-"
_TRASH_PREFIX = PREFIX + "trash-"
_PREVIOUS_IN_COMMIT = "previous-tables"
_LEGACY_PREVIOUS = PREFIX + "previous-tables"  # left by builds of commdata before the commit folder


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    handle = os.open(folder, os.O_RDONLY)  # flock on the folder itself: no lock file to leave behind
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _fsync_folder(*folders: Path) -> None:
    """Make the renames in ``folders`` durable (they already are atomic)."""
    for folder in dict.fromkeys(folders):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _delete(path: Path, folder: Path) -> None:
    """Delete a working folder: first renamed to trash in ``folder`` in one step, so that a
    half-deleted folder is never mistaken for a staging or commit folder, and is found again."""
    if not path.name.startswith(_TRASH_PREFIX):
        trash = folder / f"{_TRASH_PREFIX}{secrets.token_hex(8)}"
        path.rename(trash)
        path = trash
    shutil.rmtree(path, ignore_errors=True)


def _recover(folder: Path) -> None:
    """Finish or undo a build that was killed (see the module docstring). Call it under the lock."""
    tables = folder / TABLES_DIR
    for commit in sorted(folder.glob(_COMMIT_PREFIX + "*")):
        if (commit / DESCRIPTOR_PATH).exists():  # killed before the commit point: undo steps 4 and 3
            staged_tables = commit / TABLES_DIR
            if not staged_tables.exists() and tables.exists():
                tables.rename(staged_tables)
            previous = commit / _PREVIOUS_IN_COMMIT
            if previous.exists():
                tables.parent.mkdir(parents=True, exist_ok=True)
                previous.rename(tables)
        _delete(commit, folder)
    legacy = folder / _LEGACY_PREVIOUS
    if legacy.exists():
        staged = [stage for stage in folder.glob(_STAGING_PREFIX + "*") if (stage / DESCRIPTOR_PATH).exists()]
        if staged or not tables.exists():  # the descriptor never moved: the previous tables belong to it
            if tables.exists():
                _delete(tables, folder)
            legacy.rename(tables)
        else:
            _delete(legacy, folder)
    for leftover in sorted([*folder.glob(_STAGING_PREFIX + "*"), *folder.glob(_TRASH_PREFIX + "*")]):
        _delete(leftover, folder)


def recover(folder: Path) -> None:
    """Return a folder that a killed build left behind to its previous package or its new one."""
    if folder.is_dir():
        with _locked(folder):
            _recover(folder)


def _holds_files(path: Path) -> bool:
    return not path.is_dir() or path.is_symlink() or any(not p.is_dir() or p.is_symlink() for p in path.rglob("*"))


def check_output_folder(folder: Path) -> None:
    """A folder may take a package if it is new, empty, or already holds one.

    The check runs under the lock, after recovery: a build still writing into the folder is waited
    for, and a folder that a killed first build left behind (working folders, tables without their
    descriptor) counts as the empty folder it was. Empty subfolders count as empty.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder")
    if not folder.is_dir():
        return
    try:
        with _locked(folder):
            _recover(folder)
            if (folder / DESCRIPTOR_PATH).exists():
                return
            if any(_holds_files(entry) for entry in folder.iterdir() if not entry.name.startswith(PREFIX)):
                raise OutputError(f"{folder} is not empty and holds no datapackage.json: refusing to write into it")
    except OSError as error:
        raise OutputError(f"cannot use {folder}: {error.strerror or error}") from None


def write_package(files: dict[str, bytes], folder: Path) -> None:
    """Write ``files`` (path in package → bytes) so that ``folder`` holds exactly that package.

    Raises OutputError when the folder cannot be written (permissions, a full disk); the folder then
    still holds its previous package.
    """
    outside = [path for path in files if path != DESCRIPTOR_PATH and not path.startswith(TABLES_DIR + "/")]
    if outside or DESCRIPTOR_PATH not in files:
        raise ValueError(f"a package is {DESCRIPTOR_PATH} and files under {TABLES_DIR}/, not {outside}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            _recover(folder)
            commit = _stage(files, folder)
            try:
                _commit(commit, folder)
            except BaseException:  # not killed but failed or interrupted: undo at once
                _recover(folder)
                raise
    except OSError as error:
        raise OutputError(f"cannot write the package into {folder}: {error.strerror or error}") from error


def _stage(files: dict[str, bytes], folder: Path) -> Path:
    """Steps 1 and 2: write every file into a staging folder, then make it the commit folder."""
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=folder))
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        (staging / TABLES_DIR).mkdir(parents=True, exist_ok=True)  # a package without tables still has the folder
        _fsync_folder(*sorted({(staging / path).parent for path in files}), staging / TABLES_DIR, staging)
    except BaseException:
        _delete(staging, folder)
        raise
    commit = folder / (_COMMIT_PREFIX + staging.name.removeprefix(_STAGING_PREFIX))
    staging.rename(commit)
    _fsync_folder(folder)
    return commit


def _commit(commit: Path, folder: Path) -> None:
    """Steps 3 to 6: swap the tables, move the descriptor into place (the commit point), clean up."""
    tables = folder / TABLES_DIR
    if tables.exists():
        tables.rename(commit / _PREVIOUS_IN_COMMIT)  # 3.
        _fsync_folder(tables.parent, commit)
    tables.parent.mkdir(parents=True, exist_ok=True)
    (commit / TABLES_DIR).rename(tables)  # 4.
    _fsync_folder((commit / TABLES_DIR).parent, tables.parent)
    os.replace(commit / DESCRIPTOR_PATH, folder / DESCRIPTOR_PATH)  # 5. the commit point
    _fsync_folder(commit, folder)
    _delete(commit, folder)  # 6.
