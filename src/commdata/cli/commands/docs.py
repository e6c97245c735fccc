from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument
from commdata.cli.reference import command_reference


@click.command("docs")
@path_argument
def docs_command(path: Path | None) -> None:
    """Write the generated docs: the codebook, the error codes and the CLI reference (docs/).

    The codebook lists every table and field with its type, allowed values and a description in
    English and Chinese; it ships inside every release. Validation fails when a committed copy is stale.

    \b
    Example:
      commdata docs
    """
    from commdata.api import write_docs  # pydantic and the rest of the library: only when the command runs, not for --help

    for destination in write_docs(path, command_reference()):
        click.echo(f"wrote {destination}")
