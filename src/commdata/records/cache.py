"""A cache of each meeting file's own checks, so that validating a large corpus after a small change
re-checks only the files that changed.

An entry is found by a key that hashes everything a file's own checks read (filecheck.py): the
meeting file's bytes, its name as problems show it, the data folder, and commdata's own code with
the versions of the libraries that parse and validate it, so that an upgrade or any edit to commdata
starts afresh. The one input a key cannot hold is the source text, because which source a file cites
is known only once the file is parsed: the entry keeps the source's state (its SHA-256, or why it
could not be read) and is used only when the source's state now is the same. A changed meeting file,
source or commdata therefore always misses; nothing else can change what the checks say. The checks
across files (ids, codes, outcome links) always run again, on the facts.

Entries are written atomically (a temporary file renamed into place) with marshal, which holds
built-in types only (reading an entry runs no code), and carry a SHA-256 of their content: a damaged
entry is a miss, never a wrong answer. A cache that cannot be read or written only costs time.

Each commdata version (code fingerprint) keeps its entries in a folder of its own, whose ``used``
stamp every run touches; a version's folder unused for KEEP_DAYS is deleted by the next run of any
other, since no key of another version can ever match its entries. For a build, an entry also holds
the file's rendered rows (file_tables.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import marshal
import os
import shutil
import stat
import sys
import tempfile
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

FORMAT = "commdata-check-cache-2"
MARSHAL_VERSION = 4
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML")
_PER_THREAD = threading.local()  # each thread's read buffer for key_of_file


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


def _prune(versions: Path, current: str) -> None:
    """Delete the entries of other commdata versions not used for KEEP_DAYS, and those of the layout
    before versions had folders (two-digit folders right under checks/). Nothing else is touched."""
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
                if (child / USED_STAMP).stat().st_mtime > limit:
                    continue
            except OSError:
                pass  # no stamp: not a version that ran to the end of open()
        elif len(name) != 2:
            continue
        shutil.rmtree(child, ignore_errors=True)


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
            current.mkdir(parents=True, exist_ok=True)
            (current / USED_STAMP).touch()
        except OSError:
            pass  # a cache that cannot be written only costs time
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

    def _path(self, key: str) -> str:
        return os.path.join(self.folder, key[:2], key)  # os.path: this runs for every file of every run

    def read(self, key: str) -> bytes | None:
        """The stored entry for ``key``, if there is one and it is whole."""
        try:
            with open(self._path(key), "rb") as handle:
                blob = handle.read()
        except (OSError, ValueError):
            return None
        payload = blob[32:]
        return payload if hashlib.sha256(payload).digest() == blob[:32] else None

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
            destination = self._path(key)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(destination), prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(hashlib.sha256(payload).digest() + payload)
                os.replace(temporary, destination)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time
