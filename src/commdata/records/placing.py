"""Where a record's text stands in its source: the places of a quote in the canonical text, the one a
record means, and the span of each numbered section.

Validation uses this to say exactly which offsets to write, and `commdata fix` to write them, so the
two can never disagree about where a quote is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def places(text: str, quote: str) -> list[int]:
    """Every start offset of ``quote`` in ``text`` (overlapping occurrences too)."""
    found, position = [], text.find(quote) if quote else -1
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


@dataclass(frozen=True)
class Placement:
    """Where a quote is meant to stand: ``start`` when that is decided, else the ``candidates``
    (several, none inside the record's section or several inside it; or none at all)."""

    start: int | None
    candidates: tuple[int, ...]

    @property
    def found(self) -> bool:
        return bool(self.candidates)


def place_quote(text: str, quote: str, section: tuple[int, int] | None = None, current: int | None = None) -> Placement:
    """The place of ``quote`` a record means: the only one in the text; else the only one inside the
    record's ``section`` span; else the one its ``current`` quote_start names. Otherwise undecided."""
    starts = places(text, quote)
    if len(starts) == 1:
        return Placement(starts[0], tuple(starts))
    if section is not None:
        inside = [start for start in starts if section[0] <= start and start + len(quote) <= section[1]]
        if len(inside) == 1:
            return Placement(inside[0], tuple(starts))
        if inside:
            starts = inside
    if current in starts:
        return Placement(current, tuple(starts))
    return Placement(None, tuple(starts))


def offsets_text(start: int, quote: str) -> str:
    """The offsets to write for a quote at ``start``, as a curator writes them."""
    return f"quote_start: {start}, quote_end: {start + len(quote)}"


def heading_spans(headings: Iterable[tuple[str, str]], text: str) -> dict[str, tuple[int, int]]:
    """Where each section's text runs, from (id, heading) pairs: from its heading to the next
    section's heading (or the end). Empty when a heading cannot be found (reported on its own)."""
    starts = {section_id: text.find(heading) for section_id, heading in headings}
    if any(start < 0 for start in starts.values()):
        return {}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start for _, start in ordered[1:]] + [len(text)]
    return {section_id: (start, end) for (section_id, start), end in zip(ordered, ends)}
