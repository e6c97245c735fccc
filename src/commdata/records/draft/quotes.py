"""A stub's quote: the clause around its figure, holding that figure once.

Validation requires the figure to occur exactly once in its quote, and a curator reads a clause more
easily than a sentence: so the quote runs between clause marks (half-width too, but not a colon or
comma between digits), narrows at 、 unless the clause is one 分别 statement, and stops short of the
same figure written again.
"""

from __future__ import annotations

from commdata.domain.detect import Found
from commdata.domain.quantities import fold

CLAUSE_MARKS = frozenset("，；。：！？,;:!?.（）()")
_LIST_SEPARATORS = "、和与及"
_BULLETS = "◆●■▲•·—-"


def clause(text: str, found: Found, others: list[Found]) -> tuple[int, int]:
    """The clause around a figure: between punctuation (half-width too) and brackets, narrowed at 、
    unless the clause is one 分别 statement, and narrowed further while its figure occurs twice."""
    start, end = _clause_bounds(text, found.start, found.end)
    if "分别" not in fold(text[start:end]):
        start = max(start, text.rfind("、", start, found.start) + 1)
        stop = text.find("、", found.end, end)
        end = stop if stop >= 0 else end
    for other in others:  # the same figure again in the clause: stop short of it
        if other.figure == found.figure and other is not found and start <= other.start < end:
            if other.start < found.start:
                start = max(start, _after_separator(text, other.end, found.start))
            else:
                end = min(end, other.start)
    while start < found.start and text[start] in _BULLETS:
        start += 1
    while end > found.end and text[end - 1] in _LIST_SEPARATORS:
        end -= 1
    return start, end


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause marks around ``text[start:end]``."""
    while start > 0 and not _ends_clause(text, start - 1):
        start -= 1
    while end < len(text) and not _ends_clause(text, end):
        end += 1
    return start, end


def _ends_clause(text: str, position: int) -> bool:
    """A clause mark, but not a colon or comma between two digits (a ratio 15.4:38.5, 1,200)."""
    if text[position] not in CLAUSE_MARKS:
        return False
    between_digits = 0 < position < len(text) - 1 and text[position - 1].isdigit() and text[position + 1].isdigit()
    return not between_digits


def _after_separator(text: str, start: int, limit: int) -> int:
    positions = [position + 1 for mark in _LIST_SEPARATORS if (position := text.find(mark, start, limit)) >= 0]
    return min(positions) if positions else start
