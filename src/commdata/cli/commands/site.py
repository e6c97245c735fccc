from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument


@click.command("site")
@path_argument
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write index.html into.")
def site_command(path: Path | None, out: Path) -> None:
    """Write the release page: a self-contained index.html for a built package.

    No network: styles, script and data are inline. The page shows the package's summary and version,
    each table's fields, a searchable list of records (clicking a figure shows its quote highlighted
    in the full source text), and a chart per indicator of achievements against targets.
    PATH is a built package (its folder or datapackage.json) or a project, whose published package
    it shows (default: the project around the working folder).

    \b
    Example:
      commdata site --out build/site
      commdata site dist/commdata-1.0.0 --out build/page
    """
    from commdata.api import site  # pydantic and the rest of the library: only when the command runs, not for --help

    click.echo(f"wrote {site(path, out)}")
