"""One thin module per CLI command: parse options, call the library, print, set the exit code."""

from __future__ import annotations

from pathlib import Path

import click

# Exit codes: 0 valid, 1 invalid data, 2 usage error (Click uses 2 for its own usage errors too).
EXIT_INVALID = 1
EXIT_USAGE = 2

path_argument = click.argument("path", required=False, type=click.Path(path_type=Path))


def usage_error(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)

cache_option = click.option(
    "--cache/--no-cache", default=True, show_default=True,
    help="Reuse the checks (and rows) of meeting files unchanged since an earlier run (kept in COMMDATA_CACHE_DIR, "
         "else ~/.cache/commdata). A changed file, source or commdata is always checked again.")


def from_cache_note(cached: int, files: int) -> str:
    return f", {cached} of {files} files from the cache" if cached else ""
