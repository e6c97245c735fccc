"""Release archives: written byte-identical for identical contents, with their checksums, and read
back safely: no entry may leave the folder it is unpacked into (zip slip), and an archive may not
expand to far more than it holds (zip bomb)."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
import zlib
from pathlib import Path

from commdata.errors import ArchiveError
from commdata.package.gate import path_problem

MAX_TOTAL_BYTES = 2 * 1024**3  # a release of every city and county stays far below this
MAX_RATIO = 200  # zstd Parquet and CSV compress well, but not 200 times


def _entry_problem(entry: zipfile.ZipInfo) -> str | None:
    """Why an entry may not be unpacked, or None: its name must be a path inside the folder (the
    gate's rule for package paths), and it must be a regular file or a folder (no link, FIFO, device)."""
    name = entry.filename[:-1] if entry.filename.endswith("/") else entry.filename
    problem = path_problem(name)
    if problem is not None:
        return f"its name {problem[1]} (zip slip)" if problem[0] == "path-outside-package" else f"its name {problem[1]}"
    kind = stat.S_IFMT(entry.external_attr >> 16)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: written by a tool that records no Unix mode
        return "is a symbolic link" if kind == stat.S_IFLNK else "is not a regular file or folder"
    return None


def safe_extract(archive: Path, folder: Path) -> None:
    """Unpack ``archive`` into ``folder``, or raise ArchiveError before anything outside a checked entry
    is written: every entry's name stays in the folder, no entry is a link or special file, no name
    comes twice, and the archive expands to no more than it declares, within MAX_TOTAL_BYTES."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            total = sum(entry.file_size for entry in entries)
            packed = max(1, sum(entry.compress_size for entry in entries))
            if total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO and total > 10 * 1024**2:
                raise ArchiveError(f"{archive} would expand to {total:,} bytes from {packed:,}: refusing a zip bomb")
            names: set[str] = set()
            for entry in entries:
                problem = _entry_problem(entry)
                if problem is not None:
                    raise ArchiveError(f"{archive}: entry {entry.filename!r} {problem}")
                name = entry.filename.rstrip("/")
                if name in names:
                    raise ArchiveError(f"{archive}: entry {entry.filename!r} comes twice: which one is the package's?")
                names.add(name)
            written = 0
            for entry in entries:
                target = folder / entry.filename
                if entry.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                # O_EXCL and O_NOFOLLOW: a new regular file, never one an earlier entry made, never through a link
                handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
                with zipped.open(entry) as source, os.fdopen(handle, "wb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > total or written > MAX_TOTAL_BYTES:
                            raise ArchiveError(f"{archive} expands to more than it declares: refusing it")
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError,
            zlib.error) as error:
        # ValueError, NotImplementedError, RuntimeError: names, compression methods or encryption the zipfile
        # module will not read; zlib.error: corrupt compressed data
        raise ArchiveError(f"{archive} is not a readable zip archive: {error}") from error


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: archives do not depend on when they were made


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


CHECKSUMMED = ("*.zip", "*.duckdb")  # what SHA256SUMS lists: the archives, and the databases beside them


def checksums_text(files: dict[str, Path]) -> str:
    """SHA256SUMS for ``files`` (name in dist → where its bytes are now), checkable with
    `sha256sum -c SHA256SUMS` once they are in dist."""
    lines = []
    for name in sorted(files):
        digest = hashlib.sha256()
        with open(files[name], "rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {name}")
    return "\n".join(lines) + "\n"


def checksummed(dist: Path) -> dict[str, Path]:
    """The files of ``dist`` that SHA256SUMS lists, by name."""
    return {path.name: path for pattern in CHECKSUMMED for path in dist.glob(pattern) if path.is_file()}
