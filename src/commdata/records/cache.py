"""A cache of each meeting file's own checks, so that validating a large corpus after a small change
re-checks only the files that changed.

An entry is found by a key that hashes everything a file's own checks read (file_checks.py): the
meeting file's bytes, its name as problems show it, the data folder, and commdata's own code with
the versions of the libraries that parse and validate it, so that an upgrade or any edit to commdata
starts afresh. The one input a key cannot hold is the source text, because which source a file cites
is known only once the file is parsed: the entry keeps the source's state (its SHA-256, or why it
could not be read) and is used only when the source's state now is the same. A changed meeting file,
source or commdata therefore always misses; nothing else can change what the checks say. The checks
across files (ids, codes, outcome links) always run again, on the facts.

Entries are written atomically (a temporary file renamed into place) with marshal, which holds
built-in types only (reading an entry runs no code). An entry starts with its own key and a SHA-256 of
that key and its content: a damaged entry, or one copied over another file's, is a miss, never a wrong
answer. (Binding an entry to its key stops copying, not forging: whoever can write the cache can write
an entry with the right key. A cache is trusted as the code that runs is: never restore one from a
source you would not run code from, and use --no-cache where in doubt.) A cache that cannot be read or
written only costs time.

The cache is read and written as a hostile folder could be laid out: no symbolic link is followed in
it (the folders of entries and the entries are opened with O_NOFOLLOW, below folders opened so), an
entry that is not a regular file of at most MAX_ENTRY_BYTES is skipped unread (a FIFO is never opened
for a blocking read), and pruning deletes only real folders right under checks/, never through a link.

Each commdata version (code fingerprint) keeps its entries in a folder of its own, whose ``used``
stamp every run touches; a version's folder unused for KEEP_DAYS is deleted by the next run of any
other, since no key of another version can ever match its entries. For a build, an entry also holds
the file's rows as CSV lines (package/csv_rows.py makes them).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import marshal
import os
import secrets
import shutil
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commdata.errors import Problem
from commdata.records.facts import FileFacts, FileTables
from commdata.records.source_files import source_state
from commdata.records.loading import LoadedFile
from commdata.records.yaml_reading import MAX_FILE_BYTES

FORMAT = "commdata-check-cache-3"
MARSHAL_VERSION = 4
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML")
_PER_THREAD = threading.local()  # each thread's read buffer for key_of_file
MAX_ENTRY_BYTES = 64 * MAX_FILE_BYTES  # an entry holds a file's problems, facts and rendered rows
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_ENTRY = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def default_folder() -> Path:
    """COMMDATA_CACHE_DIR, else $XDG_CACHE_HOME/commdata, else ~/.cache/commdata."""
    chosen = os.environ.get("COMMDATA_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "commdata"


def code_fingerprint() -> str:
    """A hash of commdata's own source files and the versions of what it parses and validates with."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={importlib.metadata.version(library)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library}=none\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


VERSION_NAME_LENGTH = 16  # entries live under checks/<the first hex digits of the code fingerprint>/
USED_STAMP = "used"  # touched by every run of that version
KEEP_DAYS = 7


def _real_folder(path: Path | str) -> bool:
    """Whether ``path`` is a folder itself, not a symbolic link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _prune(versions: Path, current: str) -> None:
    """Delete the entries of other commdata versions not used for KEEP_DAYS, and those of the layout
    before versions had folders (two-digit folders right under checks/). Nothing else is touched: no
    link is followed (checks/ must be a folder itself, and so must each folder deleted)."""
    if not _real_folder(versions):
        return
    try:
        children = list(versions.iterdir())
    except OSError:
        return
    limit = time.time() - KEEP_DAYS * 86400
    for child in children:
        name = child.name
        if name == current or not all(character in "0123456789abcdef" for character in name):
            continue
        if len(name) == VERSION_NAME_LENGTH:
            try:
                if os.stat(child / USED_STAMP, follow_symlinks=False).st_mtime > limit:
                    continue
            except OSError:
                pass  # no stamp: not a version that ran to the end of open()
        elif len(name) != 2:
            continue
        if _real_folder(child):  # rmtree deletes links inside, never what they point at
            shutil.rmtree(child, ignore_errors=True)


def _touch(versions: int, name: str) -> None:
    """Touch the ``used`` stamp of the version folder ``name`` (under the open folder ``versions``),
    never through a link."""
    folder = os.open(name, _FOLDER, dir_fd=versions)
    try:
        handle = os.open(USED_STAMP, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644,
                         dir_fd=folder)
        try:
            os.utime(handle)
        finally:
            os.close(handle)
    finally:
        os.close(folder)


@dataclass(frozen=True)
class CheckCache:
    folder: Path
    code: str  # code_fingerprint(), computed once per run

    @classmethod
    def open(cls, folder: Path | None = None) -> CheckCache:
        """The cache of this commdata (its code fingerprint) under ``folder``; the entries of other
        versions are deleted once unused for KEEP_DAYS (their keys can never match again)."""
        code = code_fingerprint()
        versions = (folder or default_folder()) / "checks"
        current = versions / code[:VERSION_NAME_LENGTH]
        _prune(versions, current.name)
        try:
            versions.mkdir(parents=True, exist_ok=True)
            if _real_folder(versions):  # never a version folder made or stamped through a link
                folder_handle = os.open(versions, _FOLDER)
                try:
                    try:
                        os.mkdir(current.name, 0o755, dir_fd=folder_handle)
                    except FileExistsError:
                        pass
                    _touch(folder_handle, current.name)
                finally:
                    os.close(folder_handle)
        except OSError:
            pass  # a cache that cannot be written only costs time (reads and writes open it again, safely)
        return cls(current, code)

    def _digest(self, display: str, data_root: Path) -> Any:
        digest = hashlib.sha256(self.code.encode())
        for part in (display, str(data_root), os.getcwd()):  # problems name files as seen from here
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return digest

    def key(self, data: bytes, display: str, data_root: Path) -> str:
        """The key of a meeting file whose bytes are ``data``."""
        digest = self._digest(display, data_root)
        digest.update(data)
        return digest.hexdigest()

    def key_of_file(self, path: Path, display: str, data_root: Path) -> str | None:
        """key() of the file's bytes as they are now, streamed through one buffer per thread: no memory
        is allocated for the file, which made reading 400 MB of YAML twice as slow. None when it is
        not a regular file within the size limit (the file is then read, and refused, as usual)."""
        digest = self._digest(display, data_root)
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        buffer = getattr(_PER_THREAD, "buffer", None)
        if buffer is None:
            buffer = _PER_THREAD.buffer = memoryview(bytearray(1 << 20))
        try:
            handle = os.open(path, flags)
        except (OSError, ValueError):
            return None
        try:
            with os.fdopen(handle, "rb", buffering=0) as file:  # closes the handle, whatever happens
                info = os.fstat(file.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                    return None
                total = 0
                while count := file.readinto(buffer):
                    digest.update(buffer[:count])
                    total += count
                    if total > MAX_FILE_BYTES:
                        return None
        except OSError:
            return None
        return digest.hexdigest()

    def _entries(self, key: str, create: bool = False) -> int | None:
        """The folder of ``key``'s entry (checks/VERSION/KE/), opened; None when it is missing or a link
        is on the way (checks/ and above are the user's choice; the rest is the cache's own)."""
        try:
            if not _real_folder(self.folder.parent):
                return None
            version = os.open(self.folder, _FOLDER)
        except OSError:
            return None
        try:
            if create:
                try:
                    os.mkdir(key[:2], 0o755, dir_fd=version)
                except FileExistsError:
                    pass
            return os.open(key[:2], _FOLDER, dir_fd=version)
        except OSError:
            return None
        finally:
            os.close(version)

    def read(self, key: str) -> bytes | None:
        """The stored entry for ``key``, if there is one, it is whole, and it is ``key``'s. Anything but
        a regular file within MAX_ENTRY_BYTES is skipped unread."""
        folder = self._entries(key)
        if folder is None:
            return None
        try:
            handle = os.open(key, _ENTRY, dir_fd=folder)
        except (OSError, ValueError):
            return None
        finally:
            os.close(folder)
        try:
            with os.fdopen(handle, "rb", buffering=0) as file:  # closes the handle, whatever happens
                info = os.fstat(file.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                    return None
                blob = file.read(info.st_size)
        except (OSError, ValueError):
            return None
        own, digest, payload = blob[:32], blob[32:64], blob[64:]
        if own != bytes.fromhex(key) or hashlib.sha256(own + payload).digest() != digest:
            return None  # damaged, or another key's entry copied here
        return payload

    @staticmethod
    def entry(payload: bytes, data_root: Path, render: bool = False,
              real_folders: dict[str, str] | None = None) -> tuple | None:
        """The entry (built-in types) when its source is unchanged; with ``render``, only when it holds
        the file's rows too, or the file is not publishable."""
        try:
            entry = marshal.loads(payload)
            source_file, state, valid, problems, _, tables = entry
        except (ValueError, EOFError, TypeError):
            return None
        if render and tables is None and valid and not problems:
            return None  # checked to validate, not rendered: check and render it now
        if source_file is not None and source_state(data_root, source_file, real_folders)[1] != state:
            return None
        return entry

    @staticmethod
    def loaded(entry: tuple, path: Path, display: str, render: bool = False) -> LoadedFile | None:
        """The file as its checks left it, from its entry (None for a damaged entry)."""
        _, _, valid, problems, facts, tables = entry
        try:
            loaded = LoadedFile(path=path, display=display, valid=valid,
                                problems=[Problem(*problem) for problem in problems])
            loaded.facts = FileFacts.from_plain(facts) if facts is not None else None
            loaded.tables = FileTables.from_plain(tables) if render and tables is not None else None
        except (ValueError, TypeError, KeyError):
            return None
        loaded.from_cache = True
        return loaded

    def put(self, key: str, loaded: LoadedFile, state: str | None) -> None:
        facts = loaded.facts
        entry = (facts.source_file if facts is not None and state is not None else None, state, loaded.valid,
                 [problem.as_row() for problem in loaded.problems],
                 facts.as_plain() if facts is not None else None,
                 loaded.tables.as_plain() if loaded.tables is not None else None)
        try:
            payload = marshal.dumps(entry, MARSHAL_VERSION)
        except ValueError:
            return
        own = bytes.fromhex(key)
        folder = self._entries(key, create=True)
        if folder is None:
            return  # a cache that cannot be written only costs time
        temporary = f".tmp-{secrets.token_hex(8)}"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                             dir_fd=folder)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(own + hashlib.sha256(own + payload).digest() + payload)
                os.replace(temporary, key, src_dir_fd=folder, dst_dir_fd=folder)
            except BaseException:
                os.unlink(temporary, dir_fd=folder)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs time
        finally:
            os.close(folder)
