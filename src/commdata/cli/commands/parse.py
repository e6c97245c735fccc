from __future__ import annotations

import json

import click


@click.command("parse")
@click.argument("text")
def parse_command(text: str) -> None:
    """Find and parse every figure in TEXT; print them as JSON.

    Each figure comes with its offsets in the canonical form of TEXT, the number as written, the
    multiplier, unit, exact value (as a string, never a float) and the bound the words around it set.
    Exit code 1 when TEXT holds no figure.

    \b
    Example:
      commdata parse 新增城镇就业6万人以上
      commdata parse "接待国内游客人数、实现国内旅游收入分别增长256%、387%"
    """
    from commdata.api import parse_text

    result = parse_text(text)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if not result["figures"]:
        raise SystemExit(1)
