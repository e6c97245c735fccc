from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument
from commdata.cli.options import usage_error


@click.command("schema")
@path_argument
def schema_command(path: Path | None) -> None:
    """Write the JSON Schema of every model into the project's schemas/ folder.

    \b
    Example:
      commdata schema
    """
    from commdata.api import PathError, write_schemas

    try:
        written = write_schemas(path)
    except PathError as error:
        usage_error(str(error))
        return
    for name in written:
        click.echo(f"wrote schemas/{name}")
