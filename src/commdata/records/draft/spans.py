"""The first year of a span of years a sentence names before a figure: the period_start of a running
total over it.

    2021年以来, 自2021年起, 从2021年至今    2021
    2021—2023年, 2021年至2023年             2021, when the span ends in the figure's year
    “十四五”以来, 十四五期间, 十三五时期     2021, 2016 (the plan's first year)
    过去五年, 近五年, 五年来, 五年间         the span's last year less four

The span is the last one named in the figure's sentence before it. A draft writes it only on a total
that may run over years (see stubs.py); the curator confirms it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from commdata.domain.quantities import CHINESE_NUMERAL_CHARS, QuantityError, chinese_numeral

FIRST_YEAR = 1921  # the earliest year a record may name (models.Year)
_LONGEST_SPAN = 30  # years: 建党一百年来 or 五千年来 name a history, not a total's span
_SINCE_YEAR = re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})年(?:以来|起|至今)")
_YEAR_RANGE = re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})年?(?:[—–~～-]{1,2}|至|到)(?P<last>(?:19|20)[0-9]{2})年")
# 十四五 is the plan 十四 (14th) + 五 (five-year); 十五 alone is the 10th. The 3rd plan began in 1966,
# every later one five years after the one before.
_PLAN = re.compile(r"(?P<plan>十[一二三四五六七八九]?)五[”\"]?(?:规划)?(?P<when>以来|期间|时期)")
_NUMBER = rf"[{CHINESE_NUMERAL_CHARS}0-9]{{1,3}}"
# 过去五年, 近三年来, 五年来, 五年间; not 近三年行动 (a campaign) nor the digits of a year (2023年来华).
_YEARS_BACK = re.compile(rf"(?:过去|近)(?P<back>{_NUMBER})年(?:来|间|以来|(?=[，,、]|累计))"
                         rf"|(?<![0-9{CHINESE_NUMERAL_CHARS}])(?P<own>{_NUMBER})年(?:来|间)")
_PATTERNS = (_SINCE_YEAR, _YEAR_RANGE, _PLAN, _YEARS_BACK)


class Spans:
    """The spans a text names, found once: a draft asks for each figure, and one long sentence may hold
    thousands of figures."""

    def __init__(self, folded: str) -> None:
        self.matches = sorted((match for pattern in _PATTERNS for match in pattern.finditer(folded)),
                              key=lambda match: match.start())
        self.starts = [match.start() for match in self.matches]

    def start_year(self, start: int, end: int, last_year: int) -> int | None:
        """The first year of the last span named within ``[start, end)``, when it is before
        ``last_year`` (and no earlier than FIRST_YEAR); None when none is named."""
        index = bisect_left(self.starts, end)
        while index > 0 and self.starts[index - 1] >= start:
            index -= 1
            match = self.matches[index]
            first = _first_year(match, last_year) if match.end() <= end else None
            if first is not None:
                return first if FIRST_YEAR <= first < last_year else None
        return None


def _first_year(match: re.Match[str], last_year: int) -> int | None:
    """The first year of the span one match names, or None when it names none that ends ``last_year``."""
    if match.re is _SINCE_YEAR:
        return int(match["year"])
    if match.re is _YEAR_RANGE:
        return int(match["year"]) if int(match["last"]) == last_year else None
    if match.re is _PLAN:
        first = 1966 + (chinese_numeral(match["plan"]) - 3) * 5
        # 十五期间 in a text of 2025 is the 10th plan, long over: a total since then is no running total
        return first if last_year <= first + 9 else None
    count = _count(match["back"] or match["own"])
    return last_year - count + 1 if count is not None and 2 <= count <= _LONGEST_SPAN else None


def _count(written: str) -> int | None:
    try:
        return int(written) if written.isdigit() else chinese_numeral(written)
    except QuantityError:
        return None
