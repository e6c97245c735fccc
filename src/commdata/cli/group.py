"""The `commdata` command: a Click group; each command lives in its own module under commands/.

Errors are turned into exit codes here and nowhere else: a command raises a CommdataError (from the
library or its own), and the group prints its message on stderr and exits with the error's exit_code.
"""

from __future__ import annotations

from typing import Any

import click

from commdata import __version__
from commdata.cli.options import COLOUR_HELP, QUIET_HELP, VERBOSE_HELP, with_global_options
from commdata.cli.output import printable
from commdata.cli.terminal import Settings, colour_wanted
from commdata.errors import CommdataError
from commdata.cli.commands.build import build_command
from commdata.cli.commands.coverage import coverage_command
from commdata.cli.commands.diff import diff_command
from commdata.cli.commands.docs import docs_command
from commdata.cli.commands.draft import draft_command
from commdata.cli.commands.fix import fix_command
from commdata.cli.commands.info import info_command
from commdata.cli.commands.locate import locate_command
from commdata.cli.commands.parse import parse_command
from commdata.cli.commands.release import release_command
from commdata.cli.commands.schema import schema_command
from commdata.cli.commands.scorecard import scorecard_command
from commdata.cli.commands.site import site_command
from commdata.cli.commands.validate import validate_command


class CommdataGroup(click.Group):
    """A Click group that maps commdata's errors to exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CommdataError as error:
            click.echo(f"{error.label}: {printable(str(error))}", err=True)  # one line, whatever a path holds
            ctx.exit(error.exit_code)


@click.group(cls=CommdataGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="commdata")
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.option("-v", "--verbose", is_flag=True, help=VERBOSE_HELP)
@click.option("--color/--no-color", "colour", default=None, help=COLOUR_HELP)
@click.pass_context
def main(context: click.Context, quiet: bool, verbose: bool, colour: bool | None) -> None:
    """Validate hand-curated records of CPC plenary communiqués and publish them as a data package.

    \b
    Example:
      commdata validate            # check the repository's records and generated files
      commdata build --out pkg/    # write the package into pkg/
    """
    context.obj = Settings(quiet=quiet, verbose=verbose and not quiet,
                           colour=colour_wanted() if colour is None else colour)


for command in (validate_command, build_command, fix_command, locate_command, schema_command, parse_command,
                coverage_command, draft_command, docs_command, diff_command, release_command, info_command,
                scorecard_command, site_command):
    main.add_command(with_global_options(command))
