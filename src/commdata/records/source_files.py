"""Where a meeting file's source text is, and whether it may be read: a regular file inside the data
folder. Its state (its SHA-256, or why it cannot be read) is what the cache compares."""

from __future__ import annotations

import os
from pathlib import Path

from commdata.domain.sources import SourceText


def _real_path(folder: str, real_folders: dict[str, str] | None) -> str:
    if real_folders is None:
        return os.path.realpath(folder)
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = os.path.realpath(folder)
    return real


def source_state(data_root: Path, file: str, real_folders: dict[str, str] | None = None) -> tuple[SourceText | None, str]:
    """The source text a meeting file cites, when it is a regular file inside the data folder, and
    its state in one string: its SHA-256, or why it cannot be read. A cached check of the meeting
    file is reused only when this state is what it was. ``real_folders``: the real paths of folders
    already resolved in this run (a source is not a link, so its real path is its folder's, plus
    its name: one resolution for all the sources of a folder)."""
    path = os.path.join(data_root, file)
    folder, name = os.path.split(path)
    try:  # os.path rather than pathlib: this runs for every file the cache answers for
        if os.path.islink(path):
            return None, "outside"
        root = _real_path(str(data_root), real_folders)
        real = os.path.realpath(path) if name in ("", ".", "..") else os.path.join(_real_path(folder, real_folders), name)
        if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
            return None, "outside"
        if not os.path.isfile(path):  # also refuses folders, FIFOs and devices
            return None, "missing"
        text = SourceText.read(Path(path))
    except OSError as error:  # a name too long for the file system, a file unreadable
        return None, f"unreadable: {error.strerror}"
    return text, text.sha256

