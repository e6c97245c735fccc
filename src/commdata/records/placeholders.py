"""TODO placeholders: `commdata draft` writes TODO wherever only a curator can know the value (the
meeting's title, an English gloss, an indicator code it cannot guess). A value that still holds one is
refused, with its own code, so that a draft's guesses are never published."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from commdata.records.yaml_reading import Path_

PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])todo(?![A-Za-z0-9])", re.IGNORECASE)  # TODO, todo.indicator


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and PLACEHOLDER.search(value) is not None


def placeholders(raw: Any, text: str, location: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """(location, value) of every string value of ``raw`` (a file's plain values) holding a TODO.
    ``text`` is the file's text: most files hold no TODO at all, and one search of it says so."""
    if location == () and "todo" not in text.lower():  # a plain scan: the pattern's lookarounds cost a second at 100k
        return
    if isinstance(raw, dict):
        for key, value in raw.items():
            yield from placeholders(value, text, (*location, key))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            yield from placeholders(value, text, (*location, index))
    elif is_placeholder(raw):
        yield location, raw
