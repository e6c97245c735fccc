from __future__ import annotations

import json
from pathlib import Path

import click

from commdata.cli.options import usage_error
from commdata.cli.terminal import settings


@click.command("info")
@click.argument("package", required=False, type=click.Path(path_type=Path), default=Path("."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info_command(package: Path, fmt: str) -> None:
    """Summarise a built package: version, tables, rows, fields and sources.

    PACKAGE is a package folder or its datapackage.json (default: the working folder). With -v, lists
    every field and its type.

    \b
    Example:
      commdata info dist/commdata-0.1.0
      commdata -v info datapackage.json
    """
    from commdata.package.info import InfoError, package_summary, render_summary

    try:
        summary = package_summary(package)
    except InfoError as error:
        usage_error(str(error))
        return
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(render_summary(summary, settings().verbose))
