from __future__ import annotations

from pathlib import Path

import click

from . import EXIT_INVALID, path_argument, usage_error
from ..output import FORMATS, render


@click.command("validate")
@path_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for programs, github for workflow annotations.")
def validate_command(path: Path | None, fmt: str) -> None:
    """Validate records, a project or a built package; report every problem.

    PATH is a project (a folder with data/meetings; the default is the one around the working
    folder), a data folder with meetings/, one meeting file, or a built package (its folder or its
    datapackage.json). Exit code 0 when valid, 1 when not, 2 on a usage error.

    \b
    Example:
      commdata validate
      commdata validate data/meetings/150100-cpc-c13-p07.yaml --format github
      commdata validate dist/commdata-0.1.0/datapackage.json --format json
    """
    from ..api import PathError, validate

    try:
        report = validate(path)
    except PathError as error:
        usage_error(str(error))
        return
    click.echo(render(report, fmt))
    if not report.ok:
        raise SystemExit(EXIT_INVALID)
