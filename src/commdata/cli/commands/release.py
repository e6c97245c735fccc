from __future__ import annotations

from pathlib import Path

import click

from commdata.cli.options import path_argument
from commdata.errors import UsageError
from commdata.inputs import display


@click.command("release")
@path_argument
@click.option("--bump", type=click.Choice(["major", "minor", "patch"]), help="The kind of release.")
@click.option("--note", "notes", multiple=True, help="A curator's note for the changelog (repeatable).")
@click.option("--date", "released", help="Release date YYYY-MM-DD (default: today).")
@click.option("--dist", type=click.Path(path_type=Path, file_okay=False), help="Where releases go (default: dist/).")
@click.option("--rebuild", is_flag=True, help="Write the current version's release again from the committed files.")
def release_command(path: Path | None, bump: str | None, notes: tuple[str, ...], released: str | None,
                    dist: Path | None, rebuild: bool) -> None:
    """Release a new version of the dataset.

    Refuses when validation fails, DuckDB is missing or the bump is smaller than the changes since the
    last release require; then nothing is changed. A release killed part-way is finished or undone by
    the next run, which says which. Sets the version, rebuilds the package, records the release's ids in
    data/releases/X.Y.Z.json, adds a CHANGELOG section (the changes plus your notes), updates
    CITATION.cff, and writes dist/NAME-X.Y.Z/, dist/NAME-X.Y.Z.zip and dist/SHA256SUMS. Never overwrites
    a release. With --rebuild, writes the current version's release folder and archive again,
    byte-identical, from the committed files.

    \b
    Example:
      commdata release --bump minor --note "Adds the 2024 communiqué of Baotou"
      commdata release --rebuild --dist build/check
    """
    from commdata.api import rebuild_release, recover_release, release  # pydantic and the rest of the library: only when the command runs, not for --help

    for line in recover_release(path):  # a release killed part-way is finished or undone first
        click.echo(line)
    if rebuild:
        folder = rebuild_release(path, dist)
        click.echo(f"rebuilt {display(folder)} and its archive")
        return
    if bump is None:
        raise UsageError("give --bump major, minor or patch (or --rebuild)")
    result = release(path, bump, notes=notes, released=released, dist=dist)
    click.echo(f"released {result.version}" + (f" (changes need {result.required_bump})"
                                               if result.required_bump else " (first release)"))
    for line in result.changes:
        click.echo(f"  - {line}")
    click.echo(f"wrote {display(result.folder)}, {display(result.archive)} and {display(result.checksums)}")
