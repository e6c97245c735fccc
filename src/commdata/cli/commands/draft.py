from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click



def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("give the date as YYYY-MM-DD")


@click.command("draft")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--admin-code", required=True, help="GB/T 2260 code of the division, e.g. 150100.")
@click.option("--term", type=int, help="Committee term, when the text does not say (第十三届 = 13).")
@click.option("--plenary", type=int, help="Plenary number, when the text does not say (第七次 = 7).")
@click.option("--date", "held", help="Meeting date YYYY-MM-DD, when the text does not say.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write (default: DATA/meetings/{meeting id}.yaml beside the source's sources/ folder).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def draft_command(source: Path, admin_code: str, term: int | None, plenary: int | None, held: str | None,
                  out: Path | None, force: bool) -> None:
    """Write a YAML skeleton for a new meeting from its source text.

    One stub per figure found, with quote, offsets, parsed value and bound, placed under achievements
    or targets by where it stands in the text; dates and the meeting's own term and plenary number go
    under not_recorded. The file says `draft: true`: validation refuses it and build never publishes
    it until a curator has reviewed it. SOURCE must sit in a data folder's sources/. An existing file
    is never overwritten without --force.

    \b
    Example:
      commdata draft data/sources/hohhot-cpc-c13-p07-communique.txt --admin-code 150100 --out draft.yaml
    """
    from commdata.api import draft  # pydantic and the rest of the library: only when the command runs, not for --help

    result = draft(source, admin_code, term=term, plenary=plenary, held=_date(held), out=out, force=force)
    click.echo(f"wrote {result.path}: {result.achievements} achievements, {result.targets} targets, "
               f"{result.not_recorded} not recorded; review it, then remove `draft: true`")
