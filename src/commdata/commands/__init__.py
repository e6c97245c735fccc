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
