"""One record stub: an achievement or target as the text gives it, for a curator to review.

It carries the figure and its parse (number, multiplier, unit, value, bound), its quote and offsets,
a guessed indicator, kind and period, the direction of a change as the detector reads it (up for
增长, down for 下降 or a printed minus sign), whether the quote says 累计 (cumulative) or, for a target,
争取/力争 (aspirational), and the first year of a running total whose sentence names its span
(period_start); its keys stand in the order of a curated record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commdata.domain.detect import Found
from commdata.domain.models import Measure
from commdata.domain.quantities import RANK_UNITS, RATIO_UNITS, Quantity, exact_fraction, fold
from commdata.records.draft.cues import TARGETS
from commdata.records.draft.indicators import (ASPIRATIONAL, UNKNOWN_INDICATOR, CodebookEntry, codebook_guess,
                                               indicator_name)
from commdata.records.draft.meeting import MeetingFacts
from commdata.records.draft.quotes import clause

_GROWTH_ONLY_UNITS = frozenset({"个百分点", "个千分点", "倍", "番"})
_STUB_ORDER = ("id", "section", "period", "period_start", "indicator", "indicator_en", "indicator_code", "kind", "figure", "number",
               "multiplier", "unit", "value", "bound", "direction", "cumulative", "aspirational", "note", "quote",
               "quote_start",
               "quote_end")


def stub(text: str, found: Found, quantity: Quantity, figures: list[Found], part: str,
         codebook: Sequence[CodebookEntry], year: int, since: int | None) -> dict[str, Any]:
    """One achievement or target as the text gives it (``quantity`` is the figure's parse): figure,
    parse, quote and a guessed indicator, for ``year``; ``since`` is the first year of a span its
    sentence names before it (spans.py)."""
    start, end = clause(text, found, figures)
    quote = text[start:end]
    folded_quote = fold(quote)
    indicator = indicator_name(quote, found.start - start)
    known = codebook_guess(quote[:found.start - start], quantity.unit, codebook)
    kind = _kind(text, found, quantity)
    record: dict[str, Any] = {
        "period": year,
        **({"period_start": since} if _runs_from(since, kind, "累计" in folded_quote, known) else {}),
        "indicator": indicator,
        "indicator_en": known.name_en if known else "TODO: English gloss",
        "indicator_code": known.code if known else UNKNOWN_INDICATOR,
        "kind": kind,
        "figure": found.figure,
        "number": quantity.number,
        **({"multiplier": quantity.multiplier} if quantity.multiplier else {}),
        **({"unit": quantity.unit} if quantity.unit else {}),
        "value": quantity.value,
        "bound": found.bound.value,
        **({"direction": found.direction.value} if found.direction is not None else {}),
        "cumulative": "累计" in folded_quote,
        "quote": quote, "quote_start": start, "quote_end": end,
    }
    if part == TARGETS:
        record["aspirational"] = any(word in folded_quote for word in ASPIRATIONAL)
    if not exact_fraction(quantity):
        record["note"] = (f"TODO: {found.figure} is a fraction with no finite decimal: the value is rounded to "
                          "28 digits, more than a record holds; round it or leave the figure unrecorded")
    return record


def _runs_from(since: int | None, kind: str, says_cumulative: bool, known: CodebookEntry | None) -> bool:
    """Whether a quantity is a running total over the span its sentence names: where the codebook's
    indicator is known, when its measure is cumulative (a stock, 累计建成, is a level, not a total);
    else when the quote says 累计."""
    if since is None or kind != "quantity":
        return False
    return known.measure == Measure.cumulative if known is not None else says_cumulative


def ordered(record: dict[str, Any]) -> dict[str, Any]:
    """The record's keys in the order of a curated record."""
    return {key: record[key] for key in _STUB_ORDER if key in record}


def period(part: str, facts: MeetingFacts, named: int | None) -> int:
    """The year a sentence names when it fits the part and the meeting (achievements report the
    meeting's year or the one before, targets its year or the one after, as validation checks);
    else the year reviewed, or the year targets are set for (MeetingFacts.target_year)."""
    held = facts.date.year
    allowed = (held, held + 1) if part == TARGETS else (held - 1, held)
    if named is not None and (named > facts.review_year) == (part == TARGETS) and named in allowed:
        return named
    return facts.target_year if part == TARGETS else facts.review_year


def _kind(text: str, found: Found, quantity: Quantity) -> str:
    if quantity.unit in _GROWTH_ONLY_UNITS:
        return "growth"
    if quantity.unit in RATIO_UNITS:
        return "growth" if found.direction is not None else "share"
    before = fold(text[max(0, found.start - 2):found.start])
    if quantity.prefix == "连续" or before.endswith("连续") or (quantity.unit or "").startswith("连"):
        return "streak"
    if quantity.prefix in ("第", "前") or quantity.unit in RANK_UNITS or quantity.unit == "位":
        return "rank"
    return "quantity"
