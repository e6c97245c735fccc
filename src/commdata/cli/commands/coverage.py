from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from commdata.cli.options import path_argument, path_or_project, project_option
from commdata.errors import EXIT_INVALID


@click.command("coverage")
@path_argument
@click.option("--source", "sources", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Only this source text of the records (repeatable).")
@project_option
@click.option("--all", "show_all", is_flag=True, help="List cited and explained figures too, not only uncited ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def coverage_command(path: Path | None, sources: tuple[Path, ...], project: Path | None, show_all: bool,
                     fmt: str) -> None:
    """List every figure in the sources that no record cites, with its offsets and context.

    A figure is accounted for when a record's figure overlaps it, or when the meeting file lists it
    under not_recorded with a reason. PATH is a project, a data folder or one meeting file (default:
    the project around the working folder); a source text given as PATH is read as --source. Offsets
    are printed as @START-END (character offsets in the canonical text, not lines). Exit code 1 when a
    figure is unaccounted for or a meeting file cannot be read.

    \b
    Example:
      commdata coverage
      commdata coverage --source data/sources/hohhot-cpc-c13-p07-communique.txt --all
    """
    from commdata.api import coverage_report  # pydantic and the rest of the library: only when the command runs, not for --help

    if path is not None and path.is_file() and path.suffix == ".txt":  # the form before PATH took a source
        sources, path = (*sources, path), None
    report = coverage_report(path_or_project(path, project), list(sources))
    shown = [item for item in report.figures if show_all or item.status == "uncited"]
    if fmt == "json":
        click.echo(json.dumps({**report.as_dict(), "figures": [asdict(item) for item in shown]}, ensure_ascii=False,
                              indent=2))
    else:
        for item in shown:
            why = ", ".join(item.records) or item.reason or "UNCITED"
            click.echo(f"{item.source} @{item.start}-{item.end}  {item.figure:<10} {why:<28} {item.context}")
        counts = report.counts
        click.echo(f"{counts['figures']} figures: {counts['cited']} cited, {counts['not_recorded']} not recorded "
                   f"with a reason, {counts['uncited']} uncited")
        for display in report.unreadable:
            click.echo(f"{display} could not be read: run `commdata validate` to see why", err=True)
    if report.counts["uncited"] or report.unreadable:
        raise SystemExit(EXIT_INVALID)
