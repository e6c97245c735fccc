"""What the commands share: the PATH argument, the cache option, and how a run's cache use is told.

Each command is a thin module under commands/: it parses options, calls the library (commdata.api),
prints, and raises for an exit code other than 0 (errors: group.py maps them to exit codes)."""

from __future__ import annotations

from pathlib import Path

import click

path_argument = click.argument("path", required=False, type=click.Path(path_type=Path))

cache_option = click.option(
    "--cache/--no-cache", default=True, show_default=True,
    help="Reuse the checks (and rows) of meeting files unchanged since an earlier run (kept in COMMDATA_CACHE_DIR, "
         "else ~/.cache/commdata). A changed file, source or commdata is always checked again.")


def from_cache_note(cached: int, files: int) -> str:
    return f", {cached} of {files} files from the cache" if cached else ""
