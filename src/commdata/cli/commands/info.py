from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commdata.cli.options import path_argument
from commdata.cli.output import printable_lines
from commdata.cli.terminal import settings

if TYPE_CHECKING:
    from commdata.package.info import PackageSummary


@click.command("info")
@path_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info_command(path: Path | None, fmt: str) -> None:
    """Summarise a built package: version, tables, rows, fields and sources.

    PATH is a built package (its folder or datapackage.json) or a project, whose published package it
    summarises (default: the project around the working folder). With -v, lists every field and its
    type.

    \b
    Example:
      commdata info dist/commdata-1.0.0
      commdata -v info datapackage.json
    """
    from commdata.api import info  # pydantic and the rest of the library: only when the command runs, not for --help

    summary = info(path)
    if fmt == "json":
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(printable_lines(summary_text(summary, settings().verbose)))  # a package's texts are not trusted


def summary_text(summary: PackageSummary, verbose: bool) -> str:
    lines = [f"{summary.title} ({summary.name} {summary.version}, created {summary.created})",
             f"license: {', '.join(map(str, summary.licenses))}", "", f"{'table':<14}{'rows':>8}  fields  formats"]
    for table in summary.tables:
        rows = "?" if table.rows is None else str(table.rows)
        lines.append(f"{table.name:<14}{rows:>8}  {len(table.fields):>6}  {', '.join(table.formats)}")
        if verbose:
            lines += [f"    {field}" for field in table.fields]
    lines += ["", f"sources ({len(summary.sources)}):"] + [f"  {title}" for title in summary.sources]
    return "\n".join(lines)
