"""A source's lines, which its canonical text no longer has: where each starts in the canonical text
(a heading or the item of a list stands on a line of its own), and the title on its last line."""

from __future__ import annotations

import unicodedata

from commdata.domain.sources import canonical_text


def line_starts(raw: str) -> list[int]:
    """Where the lines of a source start, as offsets into its canonical text (a heading stands on a
    line of its own; canonical text has no line breaks)."""
    text = unicodedata.normalize("NFC", raw.removeprefix("\ufeff"))
    canonical = canonical_text(raw)
    starts, position, spaced = [0], 0, False
    for char in text:
        white = char.isspace() or char == "\ufeff"
        if position < len(canonical) and (char == canonical[position] or white and not spaced and canonical[position] == " "):
            spaced = white
            position += 1
        if char == "\n":
            starts.append(position)
        if not white:
            spaced = False
    return starts


def last_line_title(raw: str) -> str:
    """The communiqué's title where its last line is one (…公报), else TODO."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].endswith("公报") else "TODO"
