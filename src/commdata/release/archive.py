"""Reading release archives safely: no entry may leave the folder it is unpacked into (zip slip), and
an archive may not expand to far more than it holds (zip bomb)."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

MAX_TOTAL_BYTES = 2 * 1024**3  # a release of every city and county stays far below this
MAX_RATIO = 200  # zstd Parquet and CSV compress well, but not 200 times


class ArchiveError(Exception):
    """An archive that is not safe or not readable."""


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
