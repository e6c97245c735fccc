from __future__ import annotations

import time
from pathlib import Path

import click

from commdata.cli.options import cache_option, from_cache_note, path_argument
from commdata.errors import EXIT_INVALID, PartitionError
from commdata.cli.output import format_report
from commdata.cli.reference import command_reference
from commdata.cli.terminal import settings
from commdata.inputs import display


def _partition_columns(context: click.Context, parameter: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    from commdata.package.partition_columns import check_columns  # pydantic and the rest of the library: only when the command runs, not for --help

    try:
        return check_columns(value)
    except PartitionError as error:
        raise click.BadParameter(str(error), context, parameter) from None


@click.command("build")
@path_argument
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write the package into this folder instead of refreshing the project's own.")
@click.option("--partition-by", "partition_by", multiple=True, metavar="COLUMN", callback=_partition_columns,
              help="Also write every table as Hive-partitioned Parquet under data/tables/parquet-partitioned/, "
                   "split by COLUMN: year or admin_code (of the row's meeting) or a table's column. Repeat to nest.")
@cache_option
def build_command(path: Path | None, out: Path | None, partition_by: tuple[str, ...], cache: bool) -> None:
    """Validate the records and write the data package (CSV, Parquet, datapackage.json).

    Without --out, makes the project current: its published package (the root datapackage.json and
    data/tables/) and every other generated file (schemas/, docs/codebook.md, docs/error-codes.md,
    docs/cli.md). This is the one command to run when validation says a generated file is stale.
    With --out DIR, writes the same complete package into DIR. Nothing is written when the records
    are invalid. Outputs are byte-identical for the same inputs; `created` comes from
    SOURCE_DATE_EPOCH or else from the latest meeting date.

    With --partition-by, the package also holds every table as
    data/tables/parquet-partitioned/TABLE/COLUMN=VALUE/part-0.parquet (a table without the column: one
    TABLE/part-0.parquet), listed with sizes and hashes under `commdata:partitioned` in datapackage.json.

    \b
    Example:
      commdata build
      commdata build --out build/package
      commdata build --out build/partitioned --partition-by year --partition-by admin_code
    """
    from commdata.api import CheckCache, build  # pydantic and the rest of the library: only when the command runs, not for --help

    options = settings()
    started = time.perf_counter()
    result = build(path, out, progress=options.progress, partition_by=partition_by,
                   cache=CheckCache.open() if cache else None, cli_reference=command_reference())
    if not result.report.ok:
        click.echo(format_report(result.report, "text", options), color=options.colour)
        click.echo("nothing was written", err=True)
        raise SystemExit(EXIT_INVALID)
    if options.verbose:
        for name, size in result.files.items():
            click.echo(f"  {name} ({size:,} bytes)")
    if not options.quiet:
        total = sum(result.files.values())
        click.echo(f"wrote {len(result.files)} files ({total:,} bytes) into {display(result.out) if result.out else '-'}"
                   + (f" in {time.perf_counter() - started:.2f} s" if options.verbose else "")
                   + (from_cache_note(result.report.cached_files, result.report.counts.get("files", 0))
                      if options.verbose else ""))
        if result.generated:
            click.echo(f"updated {', '.join(display(path) for path in result.generated)}")
