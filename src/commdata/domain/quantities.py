"""The quantity grammar of communiqués: a figure as written to an exact quantity.

A *figure* is the written form of one number with what belongs to it: an optional prefix (第 for a
rank, 前 for a top-N), the number (Arabic or Chinese numerals), an optional multiplier (万, 亿, 万亿…),
an optional 余/多 ("and more") and the unit or measure word: ``5.63万人``, ``1500亿元``, ``第30位``,
``十连冠``, ``89%``. Bound words outside the figure (以上, 突破, 左右…) are read by :func:`bound_near`.
Values are Decimals, never floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


# Values are exact decimals of at most this many digits, this many of them after the point: what the
# published tables hold (decimal128(38, 6) in Parquet), so nothing is ever rounded.
DECIMAL_PRECISION, DECIMAL_SCALE = 38, 6


class Bound(StrEnum):
    """How a figure bounds the true value."""

    exact = "exact"
    at_least = "at_least"  # 以上
    more_than = "more_than"  # 突破, 超过, 超, 余, 多
    about = "about"  # 左右, 约
    at_most = "at_most"  # 以内, 不超过, 以下
    just_under = "just_under"  # 近


MULTIPLIERS: dict[str, Decimal] = {
    "百": Decimal(10) ** 2,
    "千": Decimal(10) ** 3,
    "万": Decimal(10) ** 4,
    "十万": Decimal(10) ** 5,
    "百万": Decimal(10) ** 6,
    "千万": Decimal(10) ** 7,
    "亿": Decimal(10) ** 8,
    "十亿": Decimal(10) ** 9,
    "百亿": Decimal(10) ** 10,
    "千亿": Decimal(10) ** 11,
    "万亿": Decimal(10) ** 12,
}

# Units and measure words a figure may end with. Longer entries first where one is a suffix-free
# prefix of another does not matter: the unit must match the whole rest of the figure.
UNITS: frozenset[str] = frozenset(
    """
    人 名 位 个 头 只 户 所 条 家 座 处 项 件 批 次 台 辆 套 栋 间 张 艘 架 口 支 门 届 类
    人次 户次 车次 架次 标准箱
    亩 公顷 平方米 平方公里 公里 千米 米 吨 千克 公斤 立方米 千瓦 千瓦时 兆瓦 瓦 度
    元 美元 欧元 % ％ 个百分点 倍 强 连冠 连丰 连增 年 天 日 小时 分钟 个月
    """.split()
)

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_SMALL_UNITS)

_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"  # ASCII digits only, not any Unicode digit
_MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
PREFIXES = ("第", "前", "连续")  # rank, top-N, streak (连续四年)
_FIGURE = re.compile(
    rf"^(?P<prefix>{'|'.join(PREFIXES)})?"
    rf"(?:(?P<arabic>{_ARABIC})(?P<multiplier>{_MULTIPLIER})?"
    rf"|(?P<chinese>[{CHINESE_NUMERAL_CHARS}]+)(?P<cmultiplier>万亿|万|亿)?|(?P<first>首))"
    rf"(?P<approx>余|多)?(?P<unit>.*)$"
)


class QuantityError(ValueError):
    """A figure that does not follow the grammar."""


@dataclass(frozen=True)
class Quantity:
    """One parsed figure."""

    figure: str
    prefix: str | None
    number_as_written: str
    number: Decimal
    multiplier: str | None
    unit: str | None
    value: Decimal
    bound: Bound  # from 余/多 inside the figure; exact otherwise


def chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral below 10,000 (十, 二十一, 两, 一千五百, 三〇五)."""
    if not text or any(char not in CHINESE_NUMERAL_CHARS for char in text):
        raise QuantityError(f"{text!r} is not a Chinese numeral")
    if all(char in CHINESE_DIGITS for char in text) and len(text) > 1:
        # Digit by digit, as in years: 二〇二三.
        return int("".join(str(CHINESE_DIGITS[char]) for char in text))
    total, digit, last_unit, previous = 0, None, 10_000, ""
    for index, char in enumerate(text):
        if char in CHINESE_DIGITS:
            if digit is not None and CHINESE_DIGITS[char] != 0:
                raise QuantityError(f"{text!r}: two digits in a row")
            digit = CHINESE_DIGITS[char] or None
        else:
            unit = CHINESE_SMALL_UNITS[char]
            if unit >= last_unit:
                raise QuantityError(f"{text!r}: {char} out of order")
            if digit is None and index > 0 and previous not in "零〇":
                raise QuantityError(f"{text!r}: {char} needs a digit before it")
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        previous = char
    return total + (digit or 0)


@lru_cache(maxsize=1 << 16)  # the same figures come back from text to text; a Quantity is immutable
def parse_figure(figure: str) -> Quantity:
    """Parse one figure as written; raise :class:`QuantityError` when it does not fit the grammar."""
    match = _FIGURE.match(figure)
    if match is None:
        raise QuantityError(f"{figure!r} does not start with a number")
    unit = match["unit"] or None
    if match["arabic"] is not None:
        written = match["arabic"]
        number = Decimal(written.replace(",", ""))
        multiplier = match["multiplier"]
    elif match["chinese"] is not None:
        written = match["chinese"]
        number = Decimal(chinese_numeral(written))
        multiplier = match["cmultiplier"]
    else:
        written, number, multiplier = match["first"], Decimal(1), None
    if multiplier and not match["approx"] and multiplier + (unit or "") in UNITS:
        # 3千米 is 3 kilometres and 5千瓦 5 kilowatts: a unit that starts like a multiplier wins.
        unit, multiplier = multiplier + (unit or ""), None
    if unit is not None and unit not in UNITS:
        raise QuantityError(f"{figure!r}: unknown unit or measure word {unit!r}")
    factor = MULTIPLIERS[multiplier] if multiplier else Decimal(1)
    return Quantity(
        figure=figure,
        prefix=match["prefix"],
        number_as_written=written,
        number=number,
        multiplier=multiplier,
        unit=unit,
        value=number * factor,
        bound=Bound.more_than if match["approx"] else Bound.exact,
    )


def base_value(number: Decimal, multiplier: str | None) -> Decimal:
    """The value in base units: the number times its multiplier, exactly."""
    return number * (MULTIPLIERS[multiplier] if multiplier else Decimal(1))


# Bound words that stand right before or right after a figure. Longest first, so that 不超过 wins
# over 超过 and 超过 over 超.
BOUND_BEFORE: dict[str, Bound] = {
    "不超过": Bound.at_most, "突破": Bound.more_than, "超过": Bound.more_than,
    "超": Bound.more_than, "约": Bound.about, "近": Bound.just_under,
}
BOUND_AFTER: dict[str, Bound] = {
    "以上": Bound.at_least, "左右": Bound.about, "以内": Bound.at_most, "以下": Bound.at_most,
}
# A range writes its two ends around a dash or 至: 3%—5%, 3—5%, 3%至5%.
RANGE_SEPARATORS = ("—", "–", "-", "～", "~", "至", "到")
_RANGE_HIGH_END = re.compile(r"^(?:" + "|".join(map(re.escape, RANGE_SEPARATORS)) + r")\s?[0-9]")
_RANGE_LOW_END = re.compile(r"[0-9%](?:" + "|".join(map(re.escape, RANGE_SEPARATORS)) + r")$")
# Longest first, worked out once: bound_near runs for every figure of every text.
_AFTER_LONGEST_FIRST = tuple(sorted(BOUND_AFTER.items(), key=lambda item: -len(item[0])))
_BEFORE_LONGEST_FIRST = tuple(sorted(BOUND_BEFORE.items(), key=lambda item: -len(item[0])))


def bound_near(text: str, start: int, end: int) -> tuple[Bound, str | None]:
    """The bound the words around ``text[start:end]`` (a figure) give it, and the word itself.

    Only words touching the figure count: in 新引进亿元以上项目400个以上 the first 以上 belongs to a
    name and only the second bounds the figure 400个. The low end of a range (3% in 3%—5%) is at least,
    its high end at most.
    """
    for word, bound in _AFTER_LONGEST_FIRST:
        if text.startswith(word, end):
            return bound, word
    for word, bound in _BEFORE_LONGEST_FIRST:
        if text.endswith(word, 0, start):
            return bound, word
    if _RANGE_HIGH_END.match(text[end:end + 3]):
        return Bound.at_least, text[end]
    if _RANGE_LOW_END.search(text[max(0, start - 2):start]):
        return Bound.at_most, text[start - 1]
    return Bound.exact, None


NUMBER_CHARS = frozenset("0123456789.,０１２３４５６７８９" + CHINESE_NUMERAL_CHARS)


def occurrences_at_number_boundary(text: str, figure: str) -> list[int]:
    """Start offsets of ``figure`` in ``text`` where it is not part of a longer number.

    5.6 must not match inside 15.63, nor 10个 inside 110个.
    """
    found, position = [], text.find(figure)
    while position != -1:
        end = position + len(figure)
        clean_start = position == 0 or text[position - 1] not in NUMBER_CHARS or figure[0] not in NUMBER_CHARS
        clean_end = end == len(text) or text[end] not in NUMBER_CHARS or figure[-1] not in NUMBER_CHARS
        if clean_start and clean_end:
            found.append(position)
        position = text.find(figure, position + 1)
    return found


def plain(value: Decimal) -> str:
    """An exact decimal as people write it: no exponent, no trailing zeros (56300, 5.63, 0.5)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def jsonable(value: Any) -> Any:
    """A table cell as JSON can hold it exactly: decimals as plain text (never a float), dates in ISO."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
