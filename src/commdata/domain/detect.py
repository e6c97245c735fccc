"""Find the figures in running text: every number a reader could take for a quantity.

Arabic numbers are always figures (a bare 2023 or 12 must be accounted for, if only as a date); a
Chinese numeral is a figure only when a unit or measure word follows it (两个, 第四次, 十连冠), so that
the numerals inside words (一是, 统一, 十四五) are not. Each figure comes with its parse, where the
grammar reads it, and the bound the words around it give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commdata.domain.quantities import (
    CHINESE_NUMERAL_CHARS, MULTIPLIERS, PREFIXES, UNITS, Bound, Quantity, QuantityError, bound_near, parse_figure,
)

_UNIT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_NUMERAL = re.escape(CHINESE_NUMERAL_CHARS)
_CANDIDATE = re.compile(
    rf"(?P<prefix>{'|'.join(PREFIXES)})?"
    rf"(?:(?<![0-9.,A-Za-z])(?P<arabic>[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?)(?![A-Za-z])(?:{_MULTIPLIER})?"
    rf"|(?<![{_NUMERAL}])(?P<chinese>[{_NUMERAL}]+)(?:万亿|万|亿)?|(?P<first>首)(?=位))"
    rf"(?:余|多)?(?P<unit>{_UNIT})?"
)
_DATE_AFTER = re.compile(r"^(?:年|月|日)")


@dataclass(frozen=True)
class Found:
    """One figure in a text: where it is, how it parses and how the words around it bound it."""

    figure: str
    start: int
    end: int
    quantity: Quantity | None  # None: a number the grammar cannot read (reported, never dropped)
    bound: Bound
    bound_word: str | None
    date_like: bool  # 2023年, 12月, 28日, or a bare four-digit year such as the 2023 in a title


def find_figures(text: str) -> list[Found]:
    """Every figure in ``text``, in order."""
    found = []
    for match in _CANDIDATE.finditer(text):
        if match["chinese"] is not None and match["unit"] is None and match["prefix"] != "前":
            continue  # a numeral inside a word (前十, a top-N, needs no measure word)
        figure, start, end = match[0], match.start(), match.end()
        if match["prefix"] and match["unit"] is None and match["prefix"] != "前":
            figure, start = figure[len(match["prefix"]):], start + len(match["prefix"])
        try:
            quantity = parse_figure(figure)
        except QuantityError:
            if match["chinese"] is not None:
                continue  # 十四五 and the like: not a numeral, a name
            quantity = None
        bound = quantity.bound if quantity is not None and quantity.bound != Bound.exact else None
        if bound is None:
            bound, word = bound_near(text, start, end)
        else:
            word = figure
        digits = match["arabic"] or ""
        date_like = bool(digits.isdigit() and (len(digits) == 4 and not match["prefix"] and figure in (digits, digits + "年")
                                               or len(digits) <= 2 and (figure.endswith(("月", "日"))
                                                                         or _DATE_AFTER.match(text[end:end + 1]))))
        found.append(Found(figure, start, end, quantity, bound, word, date_like))
    return found
