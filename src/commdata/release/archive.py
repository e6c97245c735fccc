"""Release archives: written byte-identical for identical contents, with their checksums, and read
back safely: no entry may leave the folder it is unpacked into (zip slip), and an archive may not
expand to far more than it holds (zip bomb)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path, PurePosixPath

from commdata.errors import ArchiveError
from commdata.layout import CHECKSUMS

MAX_TOTAL_BYTES = 2 * 1024**3  # a release of every city and county stays far below this
MAX_RATIO = 200  # zstd Parquet and CSV compress well, but not 200 times


def safe_extract(archive: Path, folder: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zipped:
            entries = zipped.infolist()
            total = sum(entry.file_size for entry in entries)
            packed = max(1, sum(entry.compress_size for entry in entries))
            if total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO and total > 10 * 1024**2:
                raise ArchiveError(f"{archive} would expand to {total:,} bytes from {packed:,}: refusing a zip bomb")
            for entry in entries:
                name = PurePosixPath(entry.filename)
                if name.is_absolute() or ".." in name.parts or "\\" in entry.filename or ":" in name.parts[0]:
                    raise ArchiveError(f"{archive}: entry {entry.filename!r} would leave the folder (zip slip)")
                if entry.external_attr >> 16 & 0o170000 == 0o120000:
                    raise ArchiveError(f"{archive}: entry {entry.filename!r} is a symbolic link")
            written = 0
            for entry in entries:
                target = folder / entry.filename
                if entry.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(entry) as source, open(target, "wb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > total or written > MAX_TOTAL_BYTES:
                            raise ArchiveError(f"{archive} expands to more than it declares: refusing it")
                        sink.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
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


def write_checksum(path: Path) -> Path:
    """NAME.sha256 beside a file whose bytes are not reproducible (the DuckDB database)."""
    target = path.parent / f"{path.name}.sha256"
    target.write_text(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n", encoding="utf-8")
    return target


def write_checksums(dist: Path) -> Path:
    """dist/SHA256SUMS for every archive in dist, checkable with `sha256sum -c SHA256SUMS`."""
    lines = [f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}" for path in sorted(dist.glob("*.zip"))]
    target = dist / CHECKSUMS
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
