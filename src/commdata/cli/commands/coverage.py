from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from commdata.errors import EXIT_INVALID


@click.command("coverage")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--project", type=click.Path(path_type=Path, file_okay=False),
              help="The project whose records cite the sources (default: the one around the working folder).")
@click.option("--all", "show_all", is_flag=True, help="List cited and explained figures too, not only uncited ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def coverage_command(sources: tuple[Path, ...], project: Path | None, show_all: bool, fmt: str) -> None:
    """List every figure in the sources that no record cites, with its offsets and context.

    A figure is accounted for when a record's figure overlaps it, or when the meeting file lists it
    under not_recorded with a reason. SOURCES are source files of the project (default: all of them).
    Exit code 1 when a figure is unaccounted for or a meeting file cannot be read.

    \b
    Example:
      commdata coverage
      commdata coverage data/sources/hohhot-cpc-c13-p07-communique.txt --all
    """
    from commdata.api import coverage_report  # pydantic and the rest of the library: only when the command runs, not for --help

    report = coverage_report(project, list(sources))
    shown = [item for item in report.figures if show_all or item.status == "uncited"]
    if fmt == "json":
        click.echo(json.dumps({**report.as_dict(), "figures": [asdict(item) for item in shown]}, ensure_ascii=False,
                              indent=2))
    else:
        for item in shown:
            why = ", ".join(item.records) or item.reason or "UNCITED"
            click.echo(f"{item.source}:{item.start}-{item.end}  {item.figure:<10} {why:<28} {item.context}")
        counts = report.counts
        click.echo(f"{counts['figures']} figures: {counts['cited']} cited, {counts['not_recorded']} not recorded "
                   f"with a reason, {counts['uncited']} uncited")
        for display in report.unreadable:
            click.echo(f"{display} could not be read: run `commdata validate` to see why", err=True)
    if report.counts["uncited"] or report.unreadable:
        raise SystemExit(EXIT_INVALID)
