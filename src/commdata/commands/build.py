from __future__ import annotations

import time
from pathlib import Path

import click

from . import EXIT_INVALID, path_argument, usage_error
from ..output import render
from ..terminal import settings


@click.command("build")
@path_argument
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write the package into this folder instead of refreshing the project's own.")
def build_command(path: Path | None, out: Path | None) -> None:
    """Validate the records and write the data package (CSV, Parquet, datapackage.json).

    Without --out, refreshes the project's published package: the root datapackage.json and
    data/tables/. With --out DIR, writes the same complete package into DIR. Nothing is written when
    the records are invalid. Outputs are byte-identical for the same inputs; `created` comes from
    SOURCE_DATE_EPOCH or else from the latest meeting date.

    \b
    Example:
      commdata build
      commdata build --out /tmp/commdata-package
    """
    from ..api import OutputError, PathError, build

    options = settings()
    started = time.perf_counter()
    try:
        result = build(path, out, progress=options.progress)
    except (PathError, OutputError) as error:
        usage_error(str(error))
        return
    if not result.report.ok:
        click.echo(render(result.report, "text", options), color=options.colour)
        click.echo("nothing was written", err=True)
        raise SystemExit(EXIT_INVALID)
    if options.verbose:
        for name, size in result.files.items():
            click.echo(f"  {name} ({size:,} bytes)")
    if not options.quiet:
        total = sum(result.files.values())
        click.echo(f"wrote {len(result.files)} files ({total:,} bytes) into {result.out}"
                   + (f" in {time.perf_counter() - started:.2f} s" if options.verbose else ""))
