"""Find the figures in running text: every number a reader could take for a quantity.

Arabic numbers are always figures (a bare 2023 or 12 must be accounted for, if only as a date), unless
they are part of a Latin name (5G, PM2.5, H5, PM2.5年均) or number the items of a list (1. 2. 3., (1)
(2)); a Chinese numeral is a figure only when a unit or measure word follows it (两个, 第四次, 十连冠),
it is a rank at the end of a clause (位居全国第二) or a fraction or percentage in words (三分之一,
百分之七十八), so that the numerals inside words (一是, 统一, 十四五, 每千人口, 第一，at a clause's start)
are not. Dates, times, date ranges (1-11月, 2011-2015年, 前三季度, 2024-01-12, 2024.1.12, 三月) and
document numbers (〔2023〕8号) are found whole and marked; years and days in Chinese numerals
(二〇二四年, 三月二十日) and a period's first years (前两年) are marked as dates. Each figure comes with
its parse, where the grammar reads it, the bound the words around it give and, for a change, its
direction. The text is read through :func:`~commdata.domain.quantities.fold`, so traditional and full-width
forms are figures too, at their own offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from commdata.domain.quantities import (
    ARABIC_ONLY_UNITS, CHINESE_DIGITS, CHINESE_NUMERAL_CHARS, FRACTION, MAGNITUDE_CLASS_UNIT, MULTIPLIERS, PREFIXES,
    UNITS, Bound, Direction, Quantity, QuantityError, base_value, bound_near, bound_words, fold, in_class_name,
    parse_figure, plain,
)


class Aside(StrEnum):
    """What a figure is when the detector can tell it is not a value to record."""

    date = "date"  # 2023年, 12月, 1-11月, 前三季度, 上午10时
    document_number = "document_number"  # 〔2023〕8号
    class_threshold = "class_threshold"  # 5000万元以上项目, 千亿级产业: a size in the name of a class


def _alternation(units: set[str] | frozenset[str]) -> str:
    return "|".join(re.escape(unit) for unit in sorted(units, key=len, reverse=True))


# 成 (a tenth) is a unit only where nothing word-like follows: 两成, 三成以上, but not 一成不变.
_TENTH = r"成(?=[，。；：！？、,.;:!?）)]|以上|以下|左右|上下|多|的|是|为|$)"
_UNIT = _alternation(UNITS - {"成", "番"}) + "|" + _TENTH
_CHINESE_UNIT = _alternation({unit for unit in UNITS - ARABIC_ONLY_UNITS - {"成", "番"} if not unit.isascii()}) + "|" + _TENTH
_MULTIPLIER = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
# 千瓦, 千伏, 千米: units that start like a multiplier are units after a number (3千伏 is not 3000伏).
_MULTIPLIER_LIKE_UNIT = _alternation({unit for unit in UNITS if unit.startswith(tuple(MULTIPLIERS))})
_NUMERAL = re.escape(CHINESE_NUMERAL_CHARS)
# Not the inside of a number: no digit before, nor a digit and a point (the 5 of 1.5); a point after a
# word is a full stop (金融存贷款.11月末).
_NOT_IN_A_NUMBER = r"(?<![0-9])(?<![0-9]\.)"
_APPROX = "(?:余|多)?"
_DIGIT_CHARS = re.escape("".join(CHINESE_DIGITS))
_CANDIDATE = re.compile(
    rf"(?=[0-9\-{_NUMERAL}翻第前连首万亿])"  # what a figure can start with: most characters are turned away at once
    rf"(?:(?P<doubling>翻了?[一两二三四五六七八九]?番)"
    rf"|(?P<prefix>{'|'.join(PREFIXES)})?"
    rf"(?:{_NOT_IN_A_NUMBER}(?P<sign>-)?(?P<arabic>[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?)"
    rf"{_APPROX}(?P<multiplier>(?!{_MULTIPLIER_LIKE_UNIT})(?:{_MULTIPLIER}))?{_APPROX}(?P<unit>{_UNIT})?"
    rf"|(?<![{_NUMERAL}0-9])(?P<magnitude>{_MULTIPLIER})级"
    rf"|(?<![{_NUMERAL}])(?P<fraction>[{_NUMERAL}]+{FRACTION}[{_NUMERAL}]+(?:点[{_DIGIT_CHARS}]+)?)"
    rf"|(?<![{_NUMERAL}])(?P<chinese>[{_NUMERAL}]+){_APPROX}(?:万亿|万|亿)?{_APPROX}(?P<cunit>{_CHINESE_UNIT})?"
    rf"|(?P<first>首)(?=位)(?P<funit>位)))"
)
_DATE_AFTER = re.compile(r"^(?:年|月|日)")
# A dash after a digit, a letter, a percent sign, a unit or a multiplier joins the two ends of a range.
_RANGE_BEFORE = re.compile(rf"(?:[0-9A-Za-z%％‰]|{_UNIT}|{_MULTIPLIER})$")
_UNIT_REACH = 8  # characters that hold the longest unit
# 提前, 目前, 当前, 此前, 以前…: a 前 after these ends a word; it is not the 前 of a top-N (前十) or of
# a period's first years (前两年).
_BEFORE_WORDS_ENDING_IN_QIAN = frozenset("提目当此以之空超向往")
_CLAUSE_END = "，。；：！？,;:!?）)"
# 位居全国第二, 总量全市第三, 分列全省第二、全国第五: a rank with no measure word ends its clause.
_BARE_RANK_END = re.compile(
    rf"(?:、[^{_CLAUSE_END}、]{{0,4}}?第[0-9{_NUMERAL}]+)*(?:[{re.escape(_CLAUSE_END)}]|$)")

# Found whole, before any number inside them: dates written with dashes, slashes or points
# (2024-01-12, 2024.1.12, with the time of day after them: 2024-01-12 09:30), year and month ranges, months in Chinese numerals (三月, 十二月), quarters,
# times of day (all dates) and document numbers.
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_DASH = r"[-—–~～至到]"
_CLOCK = r" ?(?:[01]?[0-9]|2[0-3])[:：][0-5][0-9](?:[:：][0-5][0-9])?"  # 09:30 after a date: a time of day
_WHOLE = re.compile(r"(?=[0-9一二三四五六七八九十前第〔\[［【(（])(?:" + "|".join((
    rf"{_NOT_IN_A_NUMBER}(?:19|20)[0-9]{{2}}(?P<separator>[-/.]){_MONTH}(?P=separator){_DAY}(?:{_CLOCK})?(?![0-9])",
    rf"{_NOT_IN_A_NUMBER}(?:19|20)[0-9]{{2}}{_DASH}(?:19|20)[0-9]{{2}}(?:年度?|年)?(?![0-9])",
    rf"{_NOT_IN_A_NUMBER}{_MONTH}{_DASH}{_MONTH}月份?",
    rf"(?<![{_NUMERAL}0-9])(?:前|第)?[一二三四1-4](?:{_DASH}[一二三四1-4])?季度",
    rf"(?<![{_NUMERAL}])(?:十[一二]?|[一二三四五六七八九])月份?",
    r"(?<=上午|下午|晚上|早上|凌晨|中午|傍晚)[0-9]{1,2}(?:[:：][0-9]{2}|[时点](?:[0-9]{1,2}分|半)?)",
    rf"(?<=日){_CLOCK.removeprefix(' ?')}(?![0-9])",
    rf"{_NOT_IN_A_NUMBER}[0-9]{{1,2}}时(?:[0-9]{{1,2}}分)?",
    r"(?P<document>[〔\[［【(（][12][0-9]{3}[〕\]］】)）][0-9]+号)",
)) + ")")  # the lookahead turns most characters away at once

# Words that say which way a change goes, touching the figure or its 分别 list (同比下降0.35%,
# 分别回落2.16和1.66个百分点). 新增 counts new things: it is not a change.
_RISE = ("增长", "增加", "提高", "上升", "上涨", "提升", "扩大", "加快", "回升", "攀升", "增幅", "增速", "涨幅", "增", "涨")
_FALL = ("下降", "减少", "回落", "降低", "下滑", "下跌", "缩小", "放缓", "降幅", "减幅", "减", "降", "跌")
_CHANGE_BEFORE = re.compile(
    "(?P<word>" + "|".join(sorted(_RISE + _FALL, key=len, reverse=True)) + ")"
    r"(?:了)?(?:分别)?(?:为|达到|达|约|近|超过|突破)?$")
_NOT_A_CHANGE = ("新增",)
_DIRECTION_WINDOW = 8

# A 分别 list: figures joined by 、 和 与 及, each member perhaps with its own bound word after it.
_LIST_JOIN = re.compile(r"^(?:及以上|以上|左右|以内|以下|上下)?(?:、|和|与|及|以及)$")
_LIST_OPENER = "分别"
_LIST_REACH = 12  # characters between 分别 and the first member (分别比上年增长)
_LIST_WINDOW = 80  # characters of a 分别 list before or after a member that validation reads


@dataclass(frozen=True)
class Found:
    """One figure in a text: where it is, how it parses and how the words around it bound it."""

    figure: str
    start: int
    end: int
    quantity: Quantity | None  # None: a number the grammar cannot read (reported, never dropped)
    bound: Bound
    bound_word: str | None
    date_like: bool  # 2023年, 12月, 28日, 1-11月, a time of day, or a bare four-digit year such as the 2023 in a title
    direction: Direction | None = None  # up or down for a change (增长, 下降, a printed minus sign)
    aside: Aside | None = None  # what it is, when the detector can tell it is not a value to record

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, values as exact strings (never floats): what `commdata parse` prints."""
        quantity = self.quantity
        return {
            "figure": self.figure, "start": self.start, "end": self.end,
            "parsed": quantity is not None,
            "prefix": quantity.prefix if quantity else None,
            "number_as_written": quantity.number_as_written if quantity else None,
            "number": plain(quantity.number) if quantity else None,
            "multiplier": quantity.multiplier if quantity else None,
            "unit": quantity.unit if quantity else None,
            "value": plain(quantity.value) if quantity else None,
            "bound": self.bound.value, "bound_word": self.bound_word,
            "direction": self.direction.value if self.direction else None,
            "date_like": self.date_like, "aside": self.aside.value if self.aside else None,
        }


def find_figures(text: str) -> list[Found]:
    """Every figure in ``text``, in order."""
    return list(_detected(text)[0])


@lru_cache(maxsize=8)  # a file's checks ask about one source text many times: its records, then its coverage
def _detected(text: str) -> tuple[tuple[Found, ...], dict[tuple[int, str], Found]]:
    """Every figure in ``text`` in order, and the same by (start, figure as written)."""
    found = tuple(_find_figures(text))
    return found, {(item.start, item.figure): item for item in found}


def _find_figures(text: str) -> list[Found]:
    folded = fold(text)
    whole = [_whole_figure(text, match) for match in _WHOLE.finditer(folded)]
    found, next_whole = list(whole), 0
    for match in _CANDIDATE.finditer(folded):
        while next_whole < len(whole) and whole[next_whole].end <= match.start():
            next_whole += 1
        if next_whole < len(whole) and whole[next_whole].start < match.end():
            continue  # a number inside a date range or a document number
        item = _candidate(text, folded, match)
        if item is not None:
            found.append(item)
    found.sort(key=lambda item: item.start)
    return _read_lists(text, folded, _without_list_numbers(folded, found))


# The numbers of a list's items are not figures, any more than 一是 or （一） are: 第一，… at the start
# of a clause, and 1. 2. 3. (or 1、 2、, (1) (2)) before the words of each item, in order from 1.
_ORDINAL_BEFORE = frozenset("：:；;。！？!?")
_ORDINAL_AFTER = frozenset("，,、")
_ITEM_NUMBER_AFTER = re.compile(r"[.、]?[\u4e00-\u9fff“]")  # 1.扩大, 1、加快, (1)全力; not 1.5 or 1,200
_LONGEST_ITEM_NUMBER = 2  # digits


def _without_list_numbers(folded: str, found: list[Found]) -> list[Found]:
    """``found`` without the ordinals that start a clause (：第一，) and the item numbers of a list (1.
    2. 3.): a bare number 1 or 2 digits long, with a point, 、 or brackets and then the item's words,
    that counts on from 1 with at least one more after it."""
    dropped: set[int] = set()
    series: dict[str, list[int]] = {}  # the list being read, by how its numbers are written: their indexes
    for index, item in enumerate(found):
        quantity = item.quantity
        if quantity is None or quantity.unit is not None or quantity.multiplier is not None:
            continue
        if _is_an_ordinal(folded, item):
            dropped.add(index)
            continue
        shape = _item_number_shape(folded, item)
        if shape is None:
            continue
        members = series.setdefault(shape, [])
        if quantity.value == 1:
            members[:] = [index]
        elif members and quantity.value == len(members) + 1:
            members.append(index)
            dropped.update(members)  # two in order make a list
    return [item for index, item in enumerate(found) if index not in dropped]


def _is_an_ordinal(folded: str, item: Found) -> bool:
    """第一，/第二,/第三、 at the very start of a clause: a list's ordinal, not a rank (位居全省第一，)."""
    if item.quantity is None or item.quantity.prefix != "第" or item.end >= len(folded):
        return False
    opens_clause = item.start == 0 or folded[item.start - 1] in _ORDINAL_BEFORE
    return opens_clause and folded[item.end] in _ORDINAL_AFTER


def _item_number_shape(folded: str, item: Found) -> str | None:
    """How a bare number may number an item (``.`` for 1. and 1、, ``()`` for (1)), or None."""
    written = folded[item.start:item.end]
    if not written.isdigit() or len(written) > _LONGEST_ITEM_NUMBER:
        return None
    if 0 < item.start and folded[item.start - 1] in "(（" and folded[item.end:item.end + 1] in (")", "）"):
        return "()" if _ITEM_NUMBER_AFTER.match(folded, item.end + 1) else None
    after = folded[item.end:item.end + 1]
    return "." if after in (".", "、") and _ITEM_NUMBER_AFTER.match(folded, item.end) else None


def _whole_figure(text: str, match: re.Match[str]) -> Found:
    aside = Aside.document_number if match["document"] else Aside.date
    start, end = match.span()
    return Found(text[start:end], start, end, None, Bound.exact, None, date_like=aside == Aside.date, aside=aside)


def _candidate(text: str, folded: str, match: re.Match[str]) -> Found | None:
    """The figure a match of the candidate pattern stands for, or None when it is not one."""
    start, end = match.span()
    unit = _unit_of(match)
    prefix = match["prefix"]
    if prefix == "前" and start > 0 and folded[start - 1] in _BEFORE_WORDS_ENDING_IN_QIAN:
        start, prefix = match.end("prefix"), None  # 提前2个月, 目前3家: 前 ends the word before the figure
    if match["arabic"] is not None and not _clear_of_latin_letters(folded, match, unit):
        return None  # 5G, PM2.5, H5: a number inside a Latin name
    if match["sign"] and _RANGE_BEFORE.search(folded, max(0, match.start("sign") - _UNIT_REACH), match.start("sign")):
        start = match.start("arabic")  # 3-5%, 3万-5万: a range's dash, not a minus sign
    bare_rank = prefix == "第" and unit is None and _BARE_RANK_END.match(folded, end) is not None
    if match["chinese"] is not None and unit is None and prefix != "前" and not bare_rank:
        return None  # a numeral inside a word (前十, a top-N, needs no measure word)
    if match["chinese"] is not None and _in_a_word(folded, match, unit):
        return None
    if prefix and unit is None and prefix != "前" and not bare_rank:
        start = match.start("arabic")  # 第2023, 连续3: the prefix is not part of a bare number
    figure = text[start:end]
    try:
        quantity: Quantity | None = parse_figure(figure)
    except QuantityError:
        if match["chinese"] is not None:
            return None  # 十四五 and the like: not a numeral, a name
        quantity = None
    threshold = in_class_name(text, start, end)
    bound: Bound
    word: str | None  # the bound's word: the figure itself when 余 or 多 inside it bounds it
    if quantity is not None and quantity.bound != Bound.exact:
        bound, word = quantity.bound, figure
    else:
        bound, word = (Bound.exact, None) if threshold else bound_words(text, start, end)
    date_like = _date_like(folded, match, prefix, folded[start:end], end)
    aside = Aside.date if date_like else Aside.class_threshold if threshold else None
    direction = _direction(folded[max(0, start - _DIRECTION_WINDOW):start], quantity)
    return Found(figure, start, end, quantity, bound, word, date_like, direction, aside)


# 每千人口, 每百户, 每十万人: a bare multiplier after 每 is the base of a rate, not a count.
_RATE_BASE = frozenset("十百千万")
# 第十四个五年规划: the 五年 of a plan's long title is part of the title's word.
_PLAN_TITLE_AFTER = ("规划", "计划")
_YEARS_IN_A_NAME = ("义务教育", "制", "一贯制")  # 九年义务教育, 十二年制: the length of a school system


def _in_a_word(folded: str, match: re.Match[str], unit: str | None) -> bool:
    """A Chinese numeral with a measure word that is still part of a word: the base of a rate (每千人口),
    the span in a five-year plan's long title (第十四个五年规划) or in a name (九年义务教育, 十二年制), or
    an ordinal before a word that starts with its unit (第二人民医院)."""
    start, end = match.start("chinese"), match.end()
    if start > 0 and folded[start - 1] == "每" and set(match["chinese"]) <= _RATE_BASE:
        return True
    if unit == "人" and folded.startswith("民", end):
        return True
    if unit == "年" and folded.startswith(_YEARS_IN_A_NAME, end):
        return True
    return unit == "年" and folded.startswith(_PLAN_TITLE_AFTER, end) and folded[start - 1:start] == "个"


def _unit_of(match: re.Match[str]) -> str | None:
    if match["magnitude"]:
        return MAGNITUDE_CLASS_UNIT  # 千亿级
    if match["doubling"]:
        return "番"
    return match["unit"] or match["cunit"] or match["funit"]


def _clear_of_latin_letters(folded: str, match: re.Match[str], unit: str | None) -> bool:
    """Digits touching a Latin letter are part of a name (5G, PM2.5) unless a multiplier or unit makes
    them a quantity (GDP2917.85亿元, 100MW)."""
    first = match.start("sign") if match["sign"] else match.start("arabic")
    letter_before = first > 0 and _is_latin_letter(folded[first - 1])
    letter_after = unit is None and match.end() < len(folded) and _is_latin_letter(folded[match.end()])
    measured = bool(match["multiplier"]) or unit is not None and unit not in _WORD_STARTING_UNITS
    return not letter_after and (not letter_before or measured)


# After a Latin name, these start a word rather than measure the name's digits: PM2.5年均浓度, PM10日均值.
_WORD_STARTING_UNITS = frozenset({"年", "日", "天", "小时", "个月"})


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _date_like(folded: str, match: re.Match[str], prefix: str | None, written: str, end: int) -> bool:
    """2023年, 12月, 28日, a bare 2023, or a day or month number its 日/月 follows; a year in Chinese
    numerals (二〇二四年), a day after a month (三月二十日), and the first years or months of a period
    (“十四五”前两年, 前10个月)."""
    if prefix == "前" and written.endswith(("年", "个月")):
        return True
    if match["chinese"] is not None:
        numeral = match["chinese"]
        if written == numeral + "年" and len(numeral) == 4 and all(char in CHINESE_DIGITS for char in numeral):
            return True
        return written == numeral + "日" and match.start() > 0 and folded[match.start() - 1] == "月"
    digits = match["arabic"] or ""
    if not digits.isdigit():
        return False
    if len(digits) == 4 and not prefix and written in (digits, digits + "年"):
        return True
    if len(digits) > 2 or written.endswith("个月"):  # 36个月 is a length of time, not a month
        return False
    return written.endswith(("月", "日")) or written == digits and _DATE_AFTER.match(folded[end:end + 1]) is not None


def _direction(before: str, quantity: Quantity | None) -> Direction | None:
    """Up or down from the change word touching the figure, turned round by a printed minus sign (增长
    -9.4% is a fall, 下降-2% a rise); a minus sign alone is down."""
    negative = quantity is not None and quantity.number < 0
    if quantity is not None and quantity.unit == "番":
        return Direction.up  # 翻一番: a doubling is a rise by its own word
    window = before[-_DIRECTION_WINDOW:]
    change = _CHANGE_BEFORE.search(window)
    if change is None or window[:change.end("word")].endswith(_NOT_A_CHANGE):
        return Direction.down if negative else None
    rising = change["word"] in _RISE
    return Direction.up if rising != negative else Direction.down


def _read_lists(text: str, folded: str, found: list[Found]) -> list[Found]:
    """分别 lists: a bound word after the last member bounds every member without its own (分别增长7%、
    8%左右), and a unit written once after the last member is every bare member's (分别回落2.16和1.66个
    百分点); the direction of the first member is the list's."""
    result = list(found)
    index = 0
    while index < len(result):
        members = _list_at(folded, result, index)
        if len(members) > 1:
            for position, member in zip(range(index, index + len(members)), _share_list(text, members)):
                result[position] = member
        index += max(1, len(members))
    return result


def _list_at(folded: str, found: list[Found], index: int) -> list[Found]:
    """The members of the 分别 list that starts with ``found[index]``, or [] when none does."""
    first = found[index]
    opener = folded.rfind(_LIST_OPENER, max(0, first.start - _LIST_REACH), first.start)
    if opener < 0 or any(mark in folded[opener:first.start] for mark in _CLAUSE_END) or first.quantity is None:
        return []
    if index > 0 and found[index - 1].start > opener:
        return []
    members = [first]
    for item in found[index + 1:]:
        if item.quantity is None or not _LIST_JOIN.match(folded[members[-1].end:item.start]):
            break
        members.append(item)
    return members


def _share_list(text: str, members: list[Found]) -> list[Found]:
    last = members[-1]
    trailing = last.bound if last.bound_word and text.startswith(last.bound_word, last.end) else None
    direction = members[0].direction
    shared = []
    for member in members:
        quantity = member.quantity
        assert quantity is not None and last.quantity is not None
        if quantity.unit is None and quantity.multiplier is None and last.quantity.unit is not None:
            multiplier = last.quantity.multiplier
            quantity = replace(quantity, multiplier=multiplier, unit=last.quantity.unit,
                               value=base_value(quantity.number, multiplier))
        bound, word = member.bound, member.bound_word
        if word is None and trailing is not None:
            bound, word = trailing, last.bound_word
        shared.append(replace(member, quantity=quantity, bound=bound, bound_word=word,
                              direction=member.direction or direction))
    return shared


@lru_cache(maxsize=1024)  # every member of a list asks about the same clause
def _list_figures(clause: str) -> tuple[Found, ...]:
    return tuple(find_figures(clause))


def figure_reading(text: str, start: int, figure: str) -> Found:
    """How the detector reads ``figure`` at ``start`` in ``text``: its quantity (with the unit a 分别 list
    gives it), bound and direction. Validation asks here, so that parse, draft and validate agree.
    Raises QuantityError when the grammar cannot read the figure."""
    detected = _detected(text)[1].get((start, figure))
    if detected is not None and detected.quantity is not None:
        return detected  # the detector read this very figure in its context: it has said how
    end = start + len(figure)
    window = max(0, start - _LIST_WINDOW)
    opener = fold(text[window:start]).rfind(_LIST_OPENER)
    if opener >= 0 and not any(mark in text[window + opener:start] for mark in _CLAUSE_END):
        clause_start = window + opener
        marks = [position for mark in _CLAUSE_END if (position := text.find(mark, end, end + _LIST_WINDOW)) >= 0]
        for item in _list_figures(text[clause_start:min(marks, default=min(len(text), end + _LIST_WINDOW))]):
            if item.start + clause_start == start and item.figure == figure and item.quantity is not None:
                return replace(item, start=start, end=end)
    quantity = parse_figure(figure)
    bound, word = (quantity.bound, figure) if quantity.bound != Bound.exact else bound_near(text, start, end)
    before = fold(text[max(0, start - _DIRECTION_WINDOW):start])
    return Found(figure, start, end, quantity, bound, word, False, _direction(before, quantity))
