"""What a stub's figure measures: its name, the words before the figure in its quote, and its code,
guessed from the codebook only where the words end with an indicator's name and the figure's unit is
that indicator's. A guess in another unit would link a figure to the wrong series, so without a fit
the stub gets UNKNOWN_INDICATOR, which validation asks a curator to replace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from commdata.domain.models import Measure
from commdata.domain.quantities import fold

UNKNOWN_INDICATOR = "todo.indicator"  # a valid code that names nothing: validation asks for a real one
ASPIRATIONAL = ("争取", "力争", "争创")  # a target's aspiration, not part of what it measures
_LEADING_WORDS = ("达到", "突破", "超过", "约", "近", "分别增长", "增长", "的")
_BEFORE_A_FIGURE = re.compile(r"(?:达到|突破|超过|不超过|控制在|为|达|约|近|了|的)+$")


class CodebookEntry(Protocol):
    """What the draft reads of an indicator of the codebook (models.Indicator)."""

    code: str
    name: str
    name_en: str
    unit: str
    also_written: list[str]
    measure: Measure


def indicator_name(quote: str, figure_at: int) -> str:
    """The words of the quote before its figure, less the verbs and aspirations that lead to it."""
    before = quote[:figure_at].strip("“”")
    changed = True
    while changed:
        changed = False
        for word in _LEADING_WORDS + ASPIRATIONAL:
            if before.endswith(word) and len(before) > len(word):
                before, changed = before[: -len(word)], True
    return before or "TODO"


def codebook_guess(before: str, unit: str | None, codebook: Sequence[CodebookEntry]) -> CodebookEntry | None:
    """The codebook's indicator whose name the words before the figure end with (区属地区生产总值增长
    is 地区生产总值增长), the longest such name, and only where the figure's unit is the indicator's."""
    words = _BEFORE_A_FIGURE.sub("", fold(before))
    fitting = [entry for entry in codebook if words.endswith(fold(entry.name))
               and unit is not None and unit in (entry.unit, *entry.also_written)]
    return max(fitting, key=lambda entry: len(entry.name), default=None)
