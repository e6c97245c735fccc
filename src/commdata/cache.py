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
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import marshal
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .file_tables import FileTables
from .filecheck import FileFacts, source_state
from .load import LoadedFile

FORMAT = "commdata-check-cache-2"
MARSHAL_VERSION = 4
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML")


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


@dataclass(frozen=True)
class CheckCache:
    folder: Path
    code: str  # code_fingerprint(), computed once per run

    @classmethod
    def open(cls, folder: Path | None = None) -> CheckCache:
        return cls((folder or default_folder()) / "checks", code_fingerprint())

    def key(self, data: bytes, display: str, data_root: Path) -> str:
        digest = hashlib.sha256(self.code.encode())
        for part in (display, str(data_root), os.getcwd()):  # problems name files as seen from here
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, path: Path, display: str, data_root: Path, render: bool = False) -> LoadedFile | None:
        """The file as its checks left it, when an entry exists for ``key`` and its source is unchanged;
        with ``render``, only when the entry holds its rows too, or the file is not publishable."""
        try:
            blob = self._path(key).read_bytes()
            digest, payload = blob[:32], blob[32:]
            if hashlib.sha256(payload).digest() != digest:
                return None
            source_file, state, valid, problems, facts, tables = marshal.loads(payload)
            if render and tables is None and valid and not problems:
                return None  # checked to validate, not rendered: check and render it now
            if source_file is not None and source_state(data_root, source_file)[1] != state:
                return None
            loaded = LoadedFile(path=path, display=display, valid=valid,
                                problems=[Problem(*problem) for problem in problems])
            loaded.facts = FileFacts.from_plain(facts) if facts is not None else None
            loaded.tables = FileTables.from_plain(tables) if render and tables is not None else None
            return loaded
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            return None

    def put(self, key: str, loaded: LoadedFile, state: str | None) -> None:
        facts = loaded.facts
        entry = (facts.source_file if facts is not None and state is not None else None, state, loaded.valid,
                 [(p.code, p.message, p.file, p.line, p.record, p.field) for p in loaded.problems],
                 facts.as_plain() if facts is not None else None,
                 loaded.tables.as_plain() if loaded.tables is not None else None)
        try:
            payload = marshal.dumps(entry, MARSHAL_VERSION)
            destination = self._path(key)
            destination.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(hashlib.sha256(payload).digest() + payload)
                os.replace(temporary, destination)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time
