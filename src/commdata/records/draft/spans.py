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

from commdata.domain.quantities import CHINESE_NUMERAL_CHARS, QuantityError, chinese_numeral

_SINCE_YEAR = re.compile(r"(?P<year>(?:19|20)[0-9]{2})年(?:以来|起|至今)")
_YEAR_RANGE = re.compile(r"(?P<year>(?:19|20)[0-9]{2})年?(?:[—–~～-]{1,2}|至|到)(?P<last>(?:19|20)[0-9]{2})年")
# 十四五 is the plan 十四 (14th) + 五 (five-year); 十五 alone is the 10th. The 3rd plan began in 1966,
# every later one five years after the one before.
_PLAN = re.compile(r"(?P<plan>十[一二三四五六七八九]?)五[”\"]?(?:规划)?(?P<when>以来|期间|时期)")
_YEARS_BACK = re.compile(rf"(?:过去|近)(?P<back>[{CHINESE_NUMERAL_CHARS}0-9]{{1,3}})年(?:来|间|以来)?"
                         rf"|(?P<own>[{CHINESE_NUMERAL_CHARS}0-9]{{1,3}})年(?:来|间)")


def span_start(folded: str, start: int, end: int, last_year: int) -> int | None:
    """The first year of the last span named in ``folded[start:end]`` (a folded text), when it is
    before ``last_year``; None when none is named."""
    named = []
    for match in _SINCE_YEAR.finditer(folded, start, end):
        named.append((match.start(), int(match["year"])))
    for match in _YEAR_RANGE.finditer(folded, start, end):
        if int(match["last"]) == last_year:
            named.append((match.start(), int(match["year"])))
    for match in _PLAN.finditer(folded, start, end):
        named.append((match.start(), 1966 + (chinese_numeral(match["plan"]) - 3) * 5))
    for match in _YEARS_BACK.finditer(folded, start, end):
        count = _count(match["back"] or match["own"])
        if count is not None and count >= 2:
            named.append((match.start(), last_year - count + 1))
    if not named:
        return None
    first_year = max(named)[1]
    return first_year if first_year < last_year else None


def _count(written: str) -> int | None:
    try:
        return int(written) if written.isdigit() else chinese_numeral(written)
    except QuantityError:
        return None
