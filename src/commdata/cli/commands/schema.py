from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument


@click.command("schema")
@path_argument
def schema_command(path: Path | None) -> None:
    """Write the JSON Schema of every model into the project's schemas/ folder.

    \b
    Example:
      commdata schema
    """
    from commdata.api import write_schemas  # pydantic and the rest of the library: only when the command runs, not for --help

    for written in write_schemas(path):
        click.echo(f"wrote {written.parent.name}/{written.name}")
