from __future__ import annotations

import json
from pathlib import Path

import click

from commdata.cli.options import EXIT_INVALID
from commdata.cli.options import usage_error


@click.command("scorecard")
@click.option("--meeting", help="Only this meeting's targets (a meeting id, e.g. 150100-cpc-c13-p07).")
@click.option("--project", type=click.Path(path_type=Path, file_okay=False),
              help="The project (default: the one around the working folder).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def scorecard_command(meeting: str | None, project: Path | None, fmt: str) -> None:
    """Targets against outcomes, per indicator.

    For each quantitative target: the previous achievement on the same indicator in the same
    communiqué, the target and its bound, the outcome where a later record reports it (outcome_of),
    and the verdict (met, exceeded, missed, not_comparable). Exit code 1 when the records are invalid.

    \b
    Example:
      commdata scorecard --meeting 150100-cpc-c13-p07
      commdata scorecard --format csv > scorecard.csv
    """
    from commdata.api import PathError, scorecard
    from commdata.records.scorecard import render_csv, render_table

    try:
        report, rows = scorecard(project, meeting)
    except PathError as error:
        usage_error(str(error))
        return
    if not report.ok:
        click.echo(f"{len(report.problems)} problems in the records: run `commdata validate`", err=True)
        raise SystemExit(EXIT_INVALID)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(render_csv(rows), nl=False)
    else:
        click.echo(render_table(rows))
