"""How the CLI talks to a person: colour only on a terminal (and never with NO_COLOR), quiet and
verbose modes, and a progress bar for long runs on a terminal only."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, TypeVar

import click

if TYPE_CHECKING:
    from commdata.records.load_corpus import Items

T = TypeVar("T")
PROGRESS_THRESHOLD = 50  # files: fewer finish before a bar would be worth drawing


def colour_wanted(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@dataclass(frozen=True)
class Settings:
    quiet: bool = False
    verbose: bool = False
    colour: bool = False

    def style(self, text: str, **styles) -> str:
        return click.style(text, **styles) if self.colour else text

    def progress(self, items: Items[T], label: str) -> Iterable[T]:
        """``items`` with a progress bar on stderr when it is a terminal and the run is long."""
        if self.quiet or len(items) < PROGRESS_THRESHOLD or not sys.stderr.isatty():
            return items
        return _bar(items, label)


def _bar(items: Items[T], label: str) -> Iterator[T]:
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def settings() -> Settings:
    """The settings of the running command (defaults outside a Click context, e.g. in the library)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Settings) if context is not None else None
    return found or Settings()

