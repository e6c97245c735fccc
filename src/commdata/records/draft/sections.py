"""The meeting's sections: each item of a numbered list (一是…, 二是…) is one, under the part its list
is placed in, with its words up to the first comma, full stop or semicolon as its heading. A new list
starts a new series (achievements, achievements-b…), so section ids stay unique."""

from __future__ import annotations

from dataclasses import dataclass

from commdata.records.draft.numbering import heading_after, item_series
from commdata.records.draft.placement import Placement


@dataclass
class Section:
    id: str
    part: str
    number: int
    heading: str
    start: int


def sections(text: str, placement: Placement) -> list[Section]:
    """Numbered items 一是, 二是…; a new series starts whenever the numbering starts again at 一."""
    found: list[Section] = []
    series_count: dict[str, int] = {}
    for items in item_series(placement.folded):
        part = placement.part_at(items[0].start())
        series_count[part] = series_count.get(part, 0) + 1
        series = part if series_count[part] == 1 else f"{part}-{'abcdefghij'[min(series_count[part], 10) - 1]}"
        for number, item in enumerate(items, 1):
            heading = heading_after(text, item.end())
            if heading:
                found.append(Section(f"{series}-{number}", part, number, heading, item.start()))
    return found
