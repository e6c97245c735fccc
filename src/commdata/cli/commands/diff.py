from __future__ import annotations

import json
from pathlib import Path

import click

from commdata.cli.output import printable_lines


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--repository", type=click.Path(path_type=Path, file_okay=False),
              help="The git repository for revisions (default: the working folder).")
def diff_command(old: str, new: str, fmt: str, repository: Path | None) -> None:
    """Compare two versions of the package, record by record, and name the bump they need.

    OLD and NEW are package folders, datapackage.json files, release archives (.zip) or git revisions
    of the repository (v1.0.0, HEAD~3, main). Prints the tables and columns added, removed or retyped,
    the records added, removed and changed with each changed field's old and new value, and the version
    bump the policy requires (major, minor, patch or none).

    \b
    Example:
      commdata diff v1.0.0 HEAD
      commdata diff dist/commdata-1.0.0.zip . --format markdown
    """
    from commdata.api import diff  # pydantic and the rest of the library: only when the command runs, not for --help
    from commdata.release.diff import diff_text

    result = diff(old, new, repository)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(printable_lines(diff_text(result, markdown=fmt == "markdown")))  # the packages' texts are not trusted
