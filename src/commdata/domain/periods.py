"""Periods of several years: a plan period (十四五 is 2021–2025), a year a target is set for (到2025年).

A record's ``period`` is the year its figure refers to, or the last year of a span; ``period_start``
is the span's first year. The published tables give every record both ends (``period_start`` and
``period_end``), one year being a span of one.
"""

from __future__ import annotations

import re

# Five-year plans by their names, as texts write them (十四五, “十四五”, 十四五时期).
PLAN_PERIODS: dict[str, tuple[int, int]] = {
    "十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
    "十五五": (2026, 2030), "十六五": (2031, 2035),
}
_YEAR = re.compile(r"(?<![0-9])((?:19|20|21)[0-9]{2})年")


def years_written(quote: str) -> set[int]:
    """The years a quote names: 2025年, and the first and last years of a plan it names (十四五)."""
    years = {int(match[1]) for match in _YEAR.finditer(quote)}
    for name, (first, last) in PLAN_PERIODS.items():
        if name in quote:
            years |= {first, last}
    return years


def span(period: int, period_start: int | None) -> tuple[int, int]:
    """(first year, last year) of a record's period."""
    return (period_start if period_start is not None else period), period


def span_text(period: int, period_start: int | None) -> str:
    """2024, or 2021–2025."""
    first, last = span(period, period_start)
    return str(last) if first == last else f"{first}–{last}"
