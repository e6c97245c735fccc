"""docs/cli.md: the CLI reference, generated from the commands' own help (a test fails when stale)."""

from __future__ import annotations

import click

WIDTH = 100


def _context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    settings = {**(parent.command.context_settings if parent else {}), **command.context_settings}
    settings.update(terminal_width=WIDTH, max_content_width=WIDTH)
    return click.Context(command, info_name=name, parent=parent, **settings)


def _help(command: click.Command, name: str, parent: click.Context | None = None) -> str:
    return command.get_help(_context(command, name, parent))


def command_reference() -> str:
    """The reference of the running `commdata` (the root of the current Click context)."""
    root = click.get_current_context().find_root().command
    assert isinstance(root, click.Group)
    return cli_reference(root)


def cli_reference(main: click.Group) -> str:
    """The reference of ``main`` (the `commdata` group, which its docs command passes in)."""
    root = _context(main, "commdata")
    lines = ["# CLI reference", "", "Generated from `commdata --help` and each command's help by `commdata docs`;",
             "do not edit by hand.", "", "## commdata", "", "```text", _help(main, "commdata"), "```", ""]
    for name in sorted(main.commands):
        lines += [f"## commdata {name}", "", "```text", _help(main.commands[name], name, root), "```", ""]
    return "\n".join(lines)
