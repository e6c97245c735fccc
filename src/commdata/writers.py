"""Write a rendered package into a folder, atomically.

Every file is written into a staging folder beside the target first. Only when all are written are
they moved into place: the tables folder by one rename, then the descriptor by one rename. A lock on
the folder keeps two builds from interleaving, and a build that was killed between the two renames is
repaired by the next one (the previous tables folder is kept until the descriptor is in place).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .descriptor import TABLES_DIR
from .render import DESCRIPTOR_PATH

_PREVIOUS = ".commdata-previous-tables"
_STAGING_PREFIX = ".commdata-staging-"


class OutputError(Exception):
    """The output folder cannot take a package."""


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    handle = os.open(folder, os.O_RDONLY)  # flock on the folder itself: no lock file to leave behind
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _recover(folder: Path) -> None:
    """Finish or undo a build that was killed, so that tables and descriptor belong together again."""
    previous, tables = folder / _PREVIOUS, folder / TABLES_DIR
    staged = list(folder.glob(_STAGING_PREFIX + "*"))
    if previous.exists():
        descriptor_not_moved = any((stage / DESCRIPTOR_PATH).exists() for stage in staged)
        if descriptor_not_moved or not tables.exists():
            shutil.rmtree(tables, ignore_errors=True)
            previous.rename(tables)
        else:
            shutil.rmtree(previous)
    for stage in staged:
        shutil.rmtree(stage, ignore_errors=True)


def check_output_folder(folder: Path) -> None:
    """A folder may take a package if it is new, empty, or already holds one."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / DESCRIPTOR_PATH).exists():
        raise OutputError(f"{folder} is not empty and holds no datapackage.json: refusing to write into it")


def write_package(files: dict[str, bytes], folder: Path) -> None:
    """Write ``files`` (path in package → bytes) so that ``folder`` holds exactly that package."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TABLES_DIR).parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        _recover(folder)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=folder))
        try:
            for path, data in files.items():
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            tables, previous = folder / TABLES_DIR, folder / _PREVIOUS
            if tables.exists():
                tables.rename(previous)
            (staging / TABLES_DIR).rename(tables)
            os.replace(staging / DESCRIPTOR_PATH, folder / DESCRIPTOR_PATH)
            if previous.exists():
                shutil.rmtree(previous)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
