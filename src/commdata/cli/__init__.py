"""The command line: a Click group (group.py) with one module per command under commands/."""

from commdata.cli.group import main

__all__ = ["main"]
