"""Every number accounted for: each figure the detector finds in a source is cited by a record, or
listed under ``not_recorded`` with a reason, or reported."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from commdata.domain.detect import Found, find_figures
from commdata.domain.models import MeetingFile, NotRecorded

CONTEXT = 12  # characters of text shown on each side of a figure


@dataclass(frozen=True)
class Covered:
    found: Found
    records: tuple[str, ...]  # ids of the records whose figure overlaps it
    mark: NotRecorded | None

    @property
    def status(self) -> str:
        return "cited" if self.records else "not_recorded" if self.mark else "uncited"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def coverage(model: MeetingFile, text: str) -> tuple[list[Covered], list[tuple[int, NotRecorded]]]:
    """Each detected figure with what accounts for it, and the marks (with their index) that match
    no detected figure."""
    spans = sorted((span[0], span[1], record.id) for part in (model.achievements, model.targets)
                   for record in part if record is not None and (span := record.figure_span) is not None)
    starts = [start for start, _, _ in spans]
    longest = max((end - start for start, end, _ in spans), default=0)
    marks = {(mark.at, mark.figure): mark for mark in model.not_recorded}
    items = []
    for found in find_figures(text):
        # Spans that can overlap start before the figure ends and no earlier than the longest span
        # before it: a window found by bisection, not a scan of every record.
        low, high = bisect_left(starts, found.start - longest), bisect_left(starts, found.end)
        cited = tuple(record_id for start, end, record_id in spans[low:high]
                      if _overlaps((start, end), (found.start, found.end)))
        items.append(Covered(found, cited, marks.pop((found.start, found.figure), None)))
    unmatched = [(index, mark) for index, mark in enumerate(model.not_recorded) if (mark.at, mark.figure) in marks]
    return items, unmatched


def context(text: str, start: int, end: int) -> str:
    return f"{text[max(0, start - CONTEXT):start]}【{text[start:end]}】{text[end:end + CONTEXT]}"
