from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument
from commdata.cli.terminal import settings
from commdata.errors import EXIT_INVALID


@click.command("fix")
@path_argument
@click.option("--check", is_flag=True, help="Write nothing: print the changes as a unified diff, exit 1 if there are any.")
def fix_command(path: Path | None, check: bool) -> None:
    """Write into the meeting files what their own text already determines.

    From each record's quote: quote_start and quote_end (where the quote is written more than once,
    the place inside the record's section; where that still leaves a choice, the record is left
    alone and the places are printed). From its figure: number, multiplier, unit, value and bound.
    From its words: cumulative and aspirational. From the source file: the source's sha256. Never
    changes what only a curator can decide: indicator, codes, part, period, kind or glosses.

    Comments, key order and layout are kept: only the values that change are rewritten. PATH is a
    project, a data folder or one meeting file (default: the project around the working folder).
    With --check, nothing is written (like `ruff format --check`).

    \b
    Example:
      commdata fix
      commdata fix data/meetings/150100-cpc-c13-p07.yaml --check
    """
    from commdata.api import fix  # pydantic and the rest of the library: only when the command runs, not for --help

    options = settings()
    report = fix(path, check=check)
    for fixed in report.files:
        if check and fixed.changed:
            click.echo(fixed.diff(), nl=False)
        elif fixed.changed and not options.quiet:
            click.echo(f"fixed {len(fixed.changes)} value{'s' if len(fixed.changes) != 1 else ''} in {fixed.display}")
            if options.verbose:
                for change in fixed.changes:
                    click.echo(f"  {change.record or '-'} {change.field}: {change.old} -> {change.new}")
        for note in fixed.notes:
            click.echo(f"{fixed.display}: {note.record + ': ' if note.record else ''}{note.message}", err=True)
    if not report.changed and not options.quiet:
        click.echo(f"nothing to fix in {len(report.files)} file{'s' if len(report.files) != 1 else ''}", err=check)
    if check and report.changed:
        raise SystemExit(EXIT_INVALID)
