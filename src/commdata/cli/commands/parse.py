from __future__ import annotations

import json

import click

from commdata.errors import EXIT_INVALID


@click.command("parse")
@click.argument("text")
def parse_command(text: str) -> None:
    """Find and parse every figure in TEXT; print them as JSON.

    Each figure comes with its offsets in the canonical form of TEXT, the number as written, the
    multiplier, unit, exact value (as a string, never a float), the bound the words around it set
    and, for a change, its direction (up or down, from 增长/下降 or a printed minus sign, whose value
    is negative). Dates, date ranges and document numbers are marked (aside: date, document_number),
    and so is a size threshold in a class name (aside: class_threshold, as in 5000万元以上项目: its 以上
    is part of the name, not a bound). Traditional and full-width forms are read (億, １２．５％).
    Exit code 1 when TEXT holds no figure.

    \b
    Example:
      commdata parse 新增城镇就业6万人以上
      commdata parse "接待国内游客人数、实现国内旅游收入分别增长256%、387%"
    """
    from commdata.api import parse_text  # pydantic and the rest of the library: only when the command runs, not for --help

    result = parse_text(text)
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    if not result.figures:
        raise SystemExit(EXIT_INVALID)
