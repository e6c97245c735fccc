"""Files of a package, read as hostile input: every path is confined to the package folder, and only
regular files are opened, without blocking and under a size limit.

A path is relative, POSIX, in the package: no absolute path, no ``..``, no URL, no NUL, no backslash,
no empty or ``.`` part. It is then opened one part at a time below the package folder (``openat``
with ``O_NOFOLLOW``), so that a symbolic link anywhere on the path is refused, never followed, and
nothing outside the folder can be reached whatever the folder holds. The last part is looked at
before it is opened (``lstat``): a FIFO, device, socket or folder is refused without being opened;
it is then opened with ``O_NONBLOCK`` and looked at again (``fstat``), so that a file swapped for
another in between is refused too. Its size must be within the limit before a byte is read, and the
reading stops at the limit whatever the size said.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

MAX_DESCRIPTOR_BYTES = 16 * 1024**2  # a descriptor lists files, not rows: a 1M-record one is far smaller
MAX_TABLE_BYTES = 4 * 1024**3  # one table file; the 1M-record benchmark's largest is well below 1 GiB

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # https:, file:, C: (a drive)
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class GateError(Exception):
    """A file of a package that is not read, with the problem code and a message that says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def path_problem(path: object) -> tuple[str, str] | None:
    """(code, why) when ``path`` cannot name a file inside a package; None when it can."""
    if not isinstance(path, str) or not path:
        return "descriptor-invalid", "a path must be a non-empty string"
    if "\x00" in path:
        return "path-outside-package", "holds a NUL character"
    if _SCHEME.match(path) or path.startswith("//"):
        return "path-outside-package", "is a URL: commdata reads only files inside the package"
    if path.startswith("/"):
        return "path-outside-package", "is absolute: paths are relative to the package folder"
    if "\\" in path:
        return "path-outside-package", "holds a backslash: paths are POSIX, separated by /"
    parts = path.split("/")
    if ".." in parts:
        return "path-outside-package", "holds '..': paths stay inside the package folder"
    if any(part in ("", ".") for part in parts):
        return "descriptor-invalid", "has an empty or '.' part"
    return None


def _refuse(path: str, error: OSError, what: str) -> GateError:
    if error.errno in (errno.ELOOP, errno.EMLINK):
        return GateError("path-not-regular-file", f"{path}: {what} is a symbolic link (commdata follows none)")
    if error.errno == errno.ENOTDIR:
        return GateError("path-not-regular-file", f"{path}: {what} is not a folder")
    if error.errno == errno.ENOENT:
        return GateError("resource-missing", f"{path} is missing")
    return GateError("resource-missing", f"{path} cannot be read: {error.strerror or error}")


def open_file(root: Path, path: str, limit: int) -> BinaryIO:
    """The regular file at ``path`` (relative to the folder ``root``), opened for reading: GateError
    when the path leaves the folder, passes a symbolic link or names anything but a regular file of at
    most ``limit`` bytes."""
    problem = path_problem(path)
    if problem is not None:
        raise GateError(problem[0], f"path {path!r} {problem[1]}")
    *folders, name = path.split("/")
    try:
        current = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise GateError("resource-missing", f"the package folder cannot be opened: {error.strerror or error}") from None
    try:
        for index, folder in enumerate(folders):
            try:
                inner = os.open(folder, _DIRECTORY, dir_fd=current)
            except OSError as error:
                raise _refuse(path, error, "/".join(folders[:index + 1])) from None
            os.close(current)
            current = inner
        try:
            found = os.stat(name, dir_fd=current, follow_symlinks=False)
        except OSError as error:
            raise _refuse(path, error, path) from None
        _check_kind(path, found, limit)
        try:
            handle = os.open(name, _FILE, dir_fd=current)
        except OSError as error:
            raise _refuse(path, error, path) from None
    finally:
        os.close(current)
    try:
        opened = os.fstat(handle)
        if (opened.st_dev, opened.st_ino) != (found.st_dev, found.st_ino):
            raise GateError("path-not-regular-file", f"{path} changed while it was opened")
        _check_kind(path, opened, limit)
        os.set_blocking(handle, True)  # a regular file: reads never wait on a writer
        return os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise


def _check_kind(path: str, found: os.stat_result, limit: int) -> None:
    if stat.S_ISLNK(found.st_mode):
        raise GateError("path-not-regular-file", f"{path} is a symbolic link (commdata follows none)")
    if not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "a FIFO" if stat.S_ISFIFO(found.st_mode) \
            else "a device or socket"
        raise GateError("path-not-regular-file", f"{path} is {kind}, not a regular file")
    if found.st_size > limit:
        raise GateError("file-too-large", f"{path} has {found.st_size:,} bytes, more than the {limit:,} a "
                        "package file may have")


def read_file(root: Path, path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` below ``root`` (see open_file), never more than ``limit``."""
    with open_file(root, path, limit) as file:
        size = os.fstat(file.fileno()).st_size  # within the limit: open_file saw to it
        data = file.read(size)
        if file.read(1):
            raise GateError("path-not-regular-file", f"{path} grew while it was read")
    return data
