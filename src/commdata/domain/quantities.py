"""The quantity grammar of official texts: a figure as written to an exact quantity.

A *figure* is the written form of one number with what belongs to it: an optional printed minus sign,
an optional prefix (第 for a rank, 前 for a top-N, 连续 for a streak, 翻 for doublings), the number
(Arabic or Chinese numerals), an optional 余/多 ("and more", before or after the multiplier), an
optional multiplier (万, 亿, 万亿…) and the unit or measure word: ``5.63万人``, ``5000余万元``,
``第30位``, ``十连冠``, ``89%``, ``-11.6%``, ``翻一番``, ``千亿级``. A fraction in words is a figure too
(``四分之三`` is 0.75 with no unit, ``百分之七十八`` 78 %, ``千分之三`` 3 ‰). Bound words outside the
figure (以上, 突破, 左右, 迈上…台阶…) are read by :func:`bound_near`. Values are Decimals, never floats.

Pages carry traditional-script and full-width forms (379.95億元, １２．５％): :func:`fold` maps them one
character to one character onto the forms the grammar reads, so offsets found in the folded text are
offsets into the canonical text itself, and a figure keeps the characters it was written with.
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


class Direction(StrEnum):
    """Which way a change goes (增长 up, 下降 down): data, so that no one sums a fall as a rise."""

    up = "up"
    down = "down"


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

# Measure words: a figure in one of these counts things (6万人, 400个), so a 以上 after it bounds the count.
COUNT_UNITS: frozenset[str] = frozenset(
    """
    人 名 位 个 头 只 户 所 条 家 座 处 项 件 批 次 台 辆 套 栋 间 张 艘 架 口 支 门 届 类 例
    人次 户次 车次 架次 场次 批次 班次 标准箱 标箱 场 个位次
    """.split()
)
# Ratios, multiples and changes of a ratio: ‰ is per mille, 个千分点 a per-mille point, 一成 one tenth,
# 翻一番 one doubling (its number counts doublings: 翻两番 is 2 番, four times as much).
RATIO_UNITS: frozenset[str] = frozenset("% ％ ‰ 个百分点 个千分点 倍 成 番".split())
# Units of measure (money, area, mass, energy, age, time…): a figure in one of these before 以上 and a
# noun is a size threshold in the name of a class (5000万元以上项目), not a bound.
MEASURE_UNITS: frozenset[str] = frozenset(
    """
    亩 公顷 平方米 平方公里 平方千米 公里 千米 米 吨 千克 公斤 斤 克 立方米 吨标准煤 标准煤
    千瓦 千瓦时 兆瓦 瓦 度 千伏 kV KV GW MW kW KW kWh KWh MWh GWh TWh km km2 m2 m3
    μg/m3 μg/m³ µg/m3 µg/m³ mg/m3 mg/m³ mg/L 微克/立方米 毫克/立方米 毫克/升
    元 美元 欧元 港元 元/人 元/吨 元/亩 元/平方米 元/千瓦时
    周岁 岁 年 天 日 小时 分钟 个月 个季度
    """.split()
)
# Ranks, top-N lists and streaks.
RANK_UNITS: frozenset[str] = frozenset("强 连冠 连丰 连增".split())
UNITS: frozenset[str] = COUNT_UNITS | RATIO_UNITS | MEASURE_UNITS | RANK_UNITS
# Measure words that follow Arabic digits only: after a Chinese numeral they are mostly words (一例).
ARABIC_ONLY_UNITS: frozenset[str] = frozenset({"例", "场"})  # 一场硬仗, 一例 are words
# 千亿级, 百亿级: an order of magnitude naming a class (千亿级产业), read as that number with unit 级.
MAGNITUDE_CLASS_UNIT = "级"

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_SMALL_UNITS)

# One character for one character, so offsets survive: full-width digits and point, the printed minus
# signs, and the traditional forms of the characters figures, bounds and the draft's cues are made of.
_FOLDED = {
    **{chr(0xFF10 + digit): str(digit) for digit in range(10)}, "．": ".", "−": "-", "－": "-",
    "○": "〇",  # a circle often stands for the zero of a year in words (二○二四年)
    **dict(zip(
        "億萬個項屆兩餘強點內噸畝輛臺條處間張門隻戶連歲週場級約過會議預標確計劃將爭較實現達長減漲擴縮緩"
        "報規務區縣鎮國屬與並執況導講話書記產業園電裝機線號倉類額總億幹預選開關積極發總體經濟進歸於為"
        "續別後從對這來時準",
        "亿万个项届两余强点内吨亩辆台条处间张门只户连岁周场级约过会议预标确计划将争较实现达长减涨扩缩缓"
        "报规务区县镇国属与并执况导讲话书记产业园电装机线号仓类额总亿干预选开关积极发总体经济进归于为"
        "续别后从对这来时准",
        strict=True)),
}
_FOLD_TABLE = str.maketrans(_FOLDED)
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLDED)) + "]")


def fold(text: str) -> str:
    """``text`` with full-width digits, minus signs and traditional forms in the forms the grammar
    reads; the same length, character for character."""
    return text.translate(_FOLD_TABLE) if _FOLDABLE.search(text) else text  # most texts need nothing


_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"  # ASCII digits (after folding) only
# A fraction in words (三分之一, 四分之三) and a percentage or per mille in words (百分之七十八, 百分之五点五,
# 千分之三): the numerator may have a decimal part written with 点 and digit characters.
FRACTION = "分之"
_WORD_DECIMAL = "点"
PER_WORDS = {"百": "%", "千": "‰"}  # 百分之X is X%, 千分之X is X‰
_WORDS_NUMERATOR = rf"[{CHINESE_NUMERAL_CHARS}]+(?:{_WORD_DECIMAL}[{''.join(CHINESE_DIGITS)}]+)?"
_MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
PREFIXES = ("第", "前", "连续")  # rank, top-N, streak (连续四年)
_APPROX = "余|多"
_FIGURE = re.compile(
    rf"^(?P<sign>-)?(?P<prefix>{'|'.join(PREFIXES)})?"
    rf"(?:(?P<arabic>{_ARABIC})(?P<approx>{_APPROX})?(?P<multiplier>{_MULTIPLIER})?"
    rf"|(?P<magnitude>{_MULTIPLIER})(?={MAGNITUDE_CLASS_UNIT}$)"
    rf"|(?P<denominator>[{CHINESE_NUMERAL_CHARS}]+){FRACTION}(?P<numerator>{_WORDS_NUMERATOR})"
    rf"|(?P<chinese>[{CHINESE_NUMERAL_CHARS}]+)(?P<capprox>{_APPROX})?(?P<cmultiplier>万亿|万|亿)?"
    rf"|(?P<first>首)|(?P<doubling>翻了?)(?P<doublings>[{''.join(CHINESE_DIGITS)}]?)(?=番$))"
    rf"(?P<approx_after>{_APPROX})?(?P<unit>.*)$"
)


class QuantityError(ValueError):
    """A figure that does not follow the grammar."""


@dataclass(frozen=True)
class Quantity:
    """One parsed figure."""

    figure: str
    prefix: str | None
    number_as_written: str
    number: Decimal  # negative when the text prints a minus sign (see parse_figure)
    multiplier: str | None  # as the grammar reads it: 亿 for 億
    unit: str | None  # likewise: 个 for 個
    value: Decimal
    bound: Bound  # from 余/多 inside the figure; exact otherwise

    @property
    def direction(self) -> Direction | None:
        """Down for a figure printed with a minus sign; words around a figure say more (see detect)."""
        return Direction.down if self.number < 0 else None


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
    """Parse one figure as written; raise :class:`QuantityError` when it does not fit the grammar.

    A printed minus sign belongs to the number: ``-9.4%`` is the number -9.4 and the value -9.4, so that
    value = number × multiplier holds and a sum of values nets a fall against a rise. A fall written in
    words (下降9.4%) keeps the number as written, 9.4; the detector gives both a direction (down).
    """
    folded = fold(figure)
    match = _FIGURE.match(folded)
    if match is None:
        raise QuantityError(f"{figure!r} does not start with a number")
    written, number, multiplier = _number(figure, match)
    unit = match["unit"] or None
    approx = match["approx"] or match["capprox"] or match["approx_after"]
    if match["magnitude"]:
        unit = MAGNITUDE_CLASS_UNIT
    elif match["denominator"] is not None:
        if unit is not None:
            raise QuantityError(f"{figure!r}: a fraction in words takes no unit after it")
        unit = PER_WORDS.get(match["denominator"])  # 百分之五 is 5%; 三分之一 has no unit
    elif match["doubling"] is not None:
        unit = "番"
    elif multiplier and not match["approx_after"] and multiplier + (unit or "") in UNITS:
        # 3千米 is 3 kilometres and 5千瓦 5 kilowatts: a unit that starts like a multiplier wins.
        unit, multiplier = multiplier + (unit or ""), None
    if unit is not None and unit not in UNITS and not match["magnitude"]:
        raise QuantityError(f"{figure!r}: unknown unit or measure word {figure[len(folded) - len(unit):]!r}")
    if match["sign"]:
        number = -number
    return Quantity(
        figure=figure,
        prefix=match["prefix"] or match["doubling"],
        number_as_written=written,
        number=number,
        multiplier=multiplier,
        unit=unit,
        value=base_value(number, multiplier),
        bound=Bound.more_than if approx else Bound.exact,
    )


def _number(figure: str, match: re.Match[str]) -> tuple[str, Decimal, str | None]:
    """The number as written (in the figure's own characters), its value and its multiplier."""
    if match["denominator"] is not None:  # the fraction as written, whole: 三分之一, 百分之七十八
        numerator = words_decimal(match["numerator"])
        if match["denominator"] in PER_WORDS:
            return figure[match.start("denominator"):match.end("numerator")], numerator, None
        denominator = chinese_numeral(match["denominator"])
        if denominator == 0:
            raise QuantityError(f"{figure!r}: a fraction over zero")
        return figure[match.start("denominator"):match.end("numerator")], numerator / denominator, None
    for group in ("arabic", "magnitude", "chinese", "first", "doublings"):
        if match[group] is not None:
            written = figure[match.start("sign") if match["sign"] else match.start(group):match.end(group)]
            break
    if match["arabic"] is not None:
        return written, Decimal(match["arabic"].replace(",", "")), match["multiplier"]
    if match["magnitude"] is not None:
        return written, MULTIPLIERS[match["magnitude"]], None
    if match["chinese"] is not None:
        return written, Decimal(chinese_numeral(match["chinese"])), match["cmultiplier"]
    if match["doublings"]:
        return written, Decimal(chinese_numeral(match["doublings"])), None
    # 首位 is first place; 翻番 with no numeral is one doubling.
    return written or figure[match.start("doubling"):match.end("doubling")], Decimal(1), None


def words_decimal(text: str) -> Decimal:
    """A number in Chinese numerals with perhaps a decimal part after 点 (七十八, 五点五, 十二点零五)."""
    whole, _, decimals = text.partition(_WORD_DECIMAL)
    if not decimals:
        return Decimal(chinese_numeral(whole))
    return Decimal(f"{chinese_numeral(whole)}.{''.join(str(CHINESE_DIGITS[char]) for char in decimals)}")


def exact_fraction(quantity: Quantity) -> bool:
    """Whether the value of a fraction in words is exact (四分之三 is 0.75; 三分之一 has no finite decimal
    and is rounded to the 28 significant digits of Python's decimal context)."""
    match = _FIGURE.match(fold(quantity.figure))
    if match is None or match["denominator"] is None or match["denominator"] in PER_WORDS:
        return True
    return quantity.number * chinese_numeral(match["denominator"]) == words_decimal(match["numerator"])


def base_value(number: Decimal, multiplier: str | None) -> Decimal:
    """The value in base units: the number times its multiplier, exactly."""
    return number * (MULTIPLIERS[multiplier] if multiplier else Decimal(1))


# Bound words that stand right before or right after a figure. Longest first, so that 不超过 wins
# over 超过 and 超过 over 超.
BOUND_BEFORE: dict[str, Bound] = {
    "不超过": Bound.at_most, "不高于": Bound.at_most, "不低于": Bound.at_least, "不少于": Bound.at_least,
    "突破": Bound.more_than, "超过": Bound.more_than, "超": Bound.more_than, "逾": Bound.more_than,
    "约": Bound.about, "近": Bound.just_under,
    # 迈上/跨上/站上X台阶: to step onto a level is to reach at least it.
    "迈上": Bound.at_least, "跨上": Bound.at_least, "站上": Bound.at_least,
}
BOUND_AFTER: dict[str, Bound] = {
    "及以上": Bound.at_least, "以上": Bound.at_least, "左右": Bound.about, "上下": Bound.about,
    "以内": Bound.at_most, "以下": Bound.at_most,
}
# A range writes its two ends around a dash or 至: 3%—5%, 3—5%, 3%至5%.
RANGE_SEPARATORS = ("—", "–", "-", "～", "~", "至", "到")
_RANGE_HIGH_END = re.compile(r"^(?:" + "|".join(map(re.escape, RANGE_SEPARATORS)) + r")\s?[0-9]")
_RANGE_LOW_END = re.compile(  # the low end's number, unit or multiplier, then the dash: 3%—, 3万-
    r"(?:[0-9%％‰]|" + "|".join(map(re.escape, sorted(UNITS | set(MULTIPLIERS), key=len, reverse=True))) + ")"
    r"(?:" + "|".join(map(re.escape, RANGE_SEPARATORS)) + r")$")
_RANGE_REACH = 6  # characters before a figure that hold the low end's unit and the dash
# Longest first, compiled once: bound_words runs for every figure of every text.
_AFTER_WORD = re.compile("|".join(sorted(BOUND_AFTER, key=len, reverse=True)))
_BEFORE_WORD = re.compile("(?:" + "|".join(sorted(BOUND_BEFORE, key=len, reverse=True)) + ")$")
_WINDOW = 4  # characters on each side that hold every bound word


def bound_near(text: str, start: int, end: int) -> tuple[Bound, str | None]:
    """The bound the words around ``text[start:end]`` (a figure) give it, and the word itself.

    Only words touching the figure count: in 新引进亿元以上项目400个以上 the first 以上 belongs to a
    name and only the second bounds the figure 400个. A size threshold in a class name (30亿元以上项目)
    has no bound: its 以上 is part of the name. The low end of a range (3% in 3%—5%) is at least, its
    high end at most.
    """
    if in_class_name(text, start, end):
        return Bound.exact, None
    return bound_words(text, start, end)


def bound_words(text: str, start: int, end: int) -> tuple[Bound, str | None]:
    """The bound words touching ``text[start:end]``, for a figure known not to be a class threshold."""
    after = fold(text[end:end + _WINDOW])
    word = _AFTER_WORD.match(after)
    if word is not None:
        return BOUND_AFTER[word[0]], text[end:end + len(word[0])]
    before = fold(text[max(0, start - _RANGE_REACH):start])
    word = _BEFORE_WORD.search(before)
    if word is not None:
        return BOUND_BEFORE[word[0]], text[start - len(word[0]):start]
    if _RANGE_HIGH_END.match(after):
        return Bound.at_least, text[end]
    if _RANGE_LOW_END.search(before):
        return Bound.at_most, text[start - 1]
    return Bound.exact, None


# After a measure, 以上/以下 followed by a noun, or a noun of a class of things straight away, make the
# figure the threshold of a class (5000万元以上项目, 60周岁以上老年人, 超10亿元的项目, 10亿元项目); 级
# after any figure names a class too (10万吨级码头).
_CLASS_NAME_STARTS = frozenset("级及以的重项企工")
_THRESHOLD_AFTER = re.compile(r"^及?以[上下](?![，。；：！？、,.;:!?）)]|$)|^的?(?:重大|重点)?(?:项目|企业|工程)")
# A count is a threshold only where the class is of something else that holds what is counted: villages
# of 30 households or more (30户以上自然村), firms of 50 employees or more (50人以上企业). Where the noun
# is what the measure word counts (3万名以上高校毕业生, 10家以上企业), 以上 bounds the count.
_HOLDER_COUNT_UNITS = frozenset({"户", "人", "名"})
_HOLDER_AFTER = re.compile(r"^及?以[上下]的?(?:自然村|行政村|村庄|村组|村|屯|社区|小区|企业|单位|学校|工地|园区)")
_HOLDER_WINDOW = 8


def in_class_name(text: str, start: int, end: int) -> bool:
    """Whether the figure ``text[start:end]`` is a size threshold inside the name of a class of things
    (5000万元以上项目, 10万吨级) rather than a quantity: parse, draft and validation all ask here."""
    if fold(text[end - 1:end]) == MAGNITUDE_CLASS_UNIT:
        return True  # 千亿级
    after = fold(text[end:end + _WINDOW])
    if not after or after[0] not in _CLASS_NAME_STARTS:
        return False  # the common case, decided without parsing
    if after.startswith(MAGNITUDE_CLASS_UNIT):
        return True  # 10万吨级
    try:
        unit = parse_figure(text[start:end]).unit
    except QuantityError:
        return False
    if unit in _HOLDER_COUNT_UNITS:
        return _HOLDER_AFTER.match(fold(text[end:end + _HOLDER_WINDOW])) is not None
    return unit in MEASURE_UNITS and _THRESHOLD_AFTER.match(after) is not None


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
