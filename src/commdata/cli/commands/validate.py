from __future__ import annotations

import time
from pathlib import Path

import click

from commdata.cli.options import cache_option, from_cache_note, path_argument
from commdata.errors import EXIT_INVALID
from commdata.cli.output import FORMATS, format_report
from commdata.cli.terminal import settings


@click.command("validate")
@path_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs, github for workflow annotations.")
@cache_option
def validate_command(path: Path | None, fmt: str, cache: bool) -> None:
    """Validate records, a project or a built package; report every problem.

    PATH is a project (a folder with data/meetings; the default is the one around the working
    folder), a data folder with meetings/, one meeting file, or a built package (its folder or its
    datapackage.json). Exit code 0 when valid, 1 when not, 2 on a usage error.

    \b
    Example:
      commdata validate
      commdata validate data/meetings/150100-cpc-c13-p07.yaml --format github
      commdata validate dist/commdata-1.0.0/datapackage.json --format json
    """
    from commdata.api import CheckCache, validate  # pydantic and the rest of the library: only when the command runs, not for --help

    options = settings()
    started = time.perf_counter()
    report = validate(path, progress=options.progress, cache=CheckCache.open() if cache else None)
    text = format_report(report, fmt, options)
    if text:
        click.echo(text, color=options.colour)
    if options.verbose and fmt == "text":
        reused = from_cache_note(report.cached_files, report.counts.get("files", 0))
        click.echo(f"checked in {time.perf_counter() - started:.2f} s{reused}", err=True)
    if not report.ok:
        raise SystemExit(EXIT_INVALID)
