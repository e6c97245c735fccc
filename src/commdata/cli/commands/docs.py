from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument
from commdata.cli.options import usage_error


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
    from commdata.api import PathError, write_docs
    from commdata.cli.reference import cli_reference

    try:
        written = write_docs(path)
    except PathError as error:
        usage_error(str(error))
        return
    reference = written[0].parent / "cli.md"
    reference.write_text(cli_reference(), encoding="utf-8")
    written.append(reference)
    for destination in written:
        click.echo(f"wrote {destination}")
