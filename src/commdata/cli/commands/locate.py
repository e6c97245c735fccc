from __future__ import annotations

import json
from pathlib import Path

import click

from commdata.errors import EXIT_INVALID


@click.command("locate")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("quote")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def locate_command(source: Path, quote: str, fmt: str) -> None:
    """Print the offsets of QUOTE in the canonical text of SOURCE: every place it occurs.

    The quote is taken to canonical form first, so a copy from the raw text with its line breaks
    and spaces is found too. Each place is printed as the two fields a record writes, with the text
    around it. Exit code 1 when the quote does not occur. (`commdata fix` writes offsets for you;
    this is for looking.)

    \b
    Example:
      commdata locate data/sources/hohhot-cpc-c13-p07-communique.txt "新增城镇就业5.63万人"
    """
    from commdata.api import locate  # pydantic and the rest of the library: only when the command runs, not for --help

    located = locate(source, quote)
    if fmt == "json":
        click.echo(json.dumps(located.as_dict(), ensure_ascii=False, indent=2))
    else:
        for place in located.occurrences:
            click.echo(f"quote_start: {place.start}, quote_end: {place.end}  {place.context}")
        if not located.occurrences:
            click.echo(f"{located.quote!r} does not occur in the canonical text of {located.source}", err=True)
    if not located.occurrences:
        raise SystemExit(EXIT_INVALID)
