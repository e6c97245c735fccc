"""docs/cli.md: the CLI reference, generated from the commands' own help (a test fails when stale)."""

from __future__ import annotations

import click

WIDTH = 100


def _help(command: click.Command, name: str, parent: click.Context | None = None) -> str:
    context = click.Context(command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(context)


def cli_reference() -> str:
    from .cli import main

    root = click.Context(main, info_name="commdata", terminal_width=WIDTH, max_content_width=WIDTH)
    lines = ["# CLI reference", "", "Generated from `commdata --help` and each command's help by `commdata docs`;",
             "do not edit by hand.", "", "## commdata", "", "```text", _help(main, "commdata"), "```", ""]
    for name in sorted(main.commands):
        lines += [f"## commdata {name}", "", "```text", _help(main.commands[name], name, root), "```", ""]
    return "\n".join(lines)
