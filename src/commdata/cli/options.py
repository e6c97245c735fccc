"""What the commands share: the PATH argument, the global options, the cache option, and how a run's
cache use is told.

Each command is a thin module under commands/: it parses options, calls the library (commdata.api),
prints, and raises for an exit code other than 0 (errors: group.py maps them to exit codes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from commdata.cli.terminal import Settings

Command = TypeVar("Command", bound=click.Command)

# Every command takes what it works on the same way: a PATH that must exist, by default the project
# around the working folder (inputs.resolve finds it).
path_argument = click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))

# --project was how coverage and scorecard took the project before they took PATH like every other
# command; it still works, hidden, and says so.
project_option = click.option("--project", type=click.Path(exists=True, path_type=Path, file_okay=False), hidden=True)


def path_or_project(path: Path | None, project: Path | None) -> Path | None:
    """The PATH argument, or the deprecated --project given in its place."""
    if project is None:
        return path
    if path is not None:
        raise click.UsageError("give the project once: as PATH (--project is deprecated)")
    click.echo("warning: --project is deprecated: give the project as PATH", err=True)
    return project


cache_option = click.option(
    "--cache/--no-cache", default=True, show_default=True,
    help="Reuse the checks (and rows) of meeting files unchanged since an earlier run (kept in COMMDATA_CACHE_DIR, "
         "else ~/.cache/commdata). A changed file, source or commdata is always checked again.")


def from_cache_note(cached: int, files: int) -> str:
    return f", {cached} of {files} files from the cache" if cached else ""


QUIET_HELP = "Print only problems; the exit code tells the rest."
VERBOSE_HELP = "Print more: what was checked, written and how long it took."
COLOUR_HELP = "Colour the output (default: only on a terminal, and never when NO_COLOR is set)."


def _setting(name: str, flag: bool = True) -> Callable[[click.Context, click.Parameter, Any], None]:
    """A callback that sets one of the group's settings from an option given after the command. A flag
    left out is False, a --x/--no-x left out None: then the group's setting stands."""
    def set_it(context: click.Context, parameter: click.Parameter, value: Any) -> None:
        if value is None or (flag and value is False):
            return
        current = context.find_object(Settings) or Settings()
        updated = dataclasses.replace(current, **{name: value})
        context.obj = dataclasses.replace(updated, verbose=updated.verbose and not updated.quiet)
    return set_it


def with_global_options(command: Command) -> Command:
    """``command`` taking the group's -q, -v and --color/--no-color after its name too
    (`commdata validate -q` as well as `commdata -q validate`)."""
    command.params += [
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_setting("quiet"), help=QUIET_HELP),
        click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, callback=_setting("verbose"),
                     help=VERBOSE_HELP),
        click.Option(["--color/--no-color", "colour"], default=None, expose_value=False,
                     callback=_setting("colour", flag=False), help=COLOUR_HELP),
    ]
    return command
