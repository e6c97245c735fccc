from __future__ import annotations

import json
import csv
import io
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commdata.cli.options import path_argument, path_or_project, project_option
from commdata.errors import EXIT_INVALID

if TYPE_CHECKING:
    from commdata.records.scorecard import ScorecardRow


@click.command("scorecard")
@path_argument
@click.option("--meeting", help="Only this meeting's targets (a meeting id, e.g. 150100-cpc-c13-p07).")
@project_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def scorecard_command(path: Path | None, meeting: str | None, project: Path | None, fmt: str) -> None:
    """Targets against outcomes, per indicator, with the place and meeting of each.

    For each quantitative target: the period it is set for (2024, or 2021–2025 for a target over
    several years), the previous achievement on the same indicator in the same communiqué, the
    target and its bound, the outcome where a later record reports it (outcome_of),
    and the verdict (met, exceeded, missed, not_comparable). PATH is a project or a data folder
    (default: the project around the working folder). Exit code 1 when the records are invalid.

    \b
    Example:
      commdata scorecard --meeting 150100-cpc-c13-p07
      commdata scorecard --format csv > scorecard.csv
    """
    from commdata.api import scorecard  # pydantic and the rest of the library: only when the command runs, not for --help

    result = scorecard(path_or_project(path, project), meeting)
    report, rows = result.report, result.rows
    if not report.ok:
        click.echo(f"{len(report.problems)} problems in the records: run `commdata validate`", err=True)
        raise SystemExit(EXIT_INVALID)
    if fmt == "json":
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(scorecard_csv(rows), nl=False)
    else:
        click.echo(scorecard_table(rows))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


TABLE_COLUMNS = {"place": "place", "meeting_id": "meeting", "indicator": "indicator", "period": "period",
                 "previous": "previous", "target": "target", "target_bound": "bound", "outcome": "outcome", "verdict": "verdict"}


def scorecard_table(rows: list[ScorecardRow]) -> str:
    shown, headers = list(TABLE_COLUMNS), list(TABLE_COLUMNS.values())
    cells = [[str(value) if (value := getattr(row, name)) is not None else "—" for name in shown] for row in rows]
    widths = [max([_width(name)] + [_width(cell[i]) for cell in cells]) for i, name in enumerate(headers)]
    lines = ["  ".join(_pad(name, width) for name, width in zip(headers, widths)).rstrip()]
    lines += ["  ".join(_pad(cell, width) for cell, width in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def scorecard_csv(rows: list[ScorecardRow]) -> str:
    from commdata.records.scorecard import COLUMNS  # pydantic and the rest of the library: only when the command runs, not for --help

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: ("" if value is None else str(value).lower() if isinstance(value, bool) else value)
                      for key, value in row.as_dict().items()} for row in rows)
    return buffer.getvalue()

