from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commdata.domain.quantities import (
    Bound, QuantityError, base_value, bound_near, chinese_numeral, occurrences_at_number_boundary, parse_figure,
)


@pytest.mark.parametrize(
    ("figure", "number", "multiplier", "unit", "value"),
    [
        ("5.63万人", "5.63", "万", "人", "56300"),
        ("1500亿元", "1500", "亿", "元", "150000000000"),
        ("2.5万亿元", "2.5", "万亿", "元", "2500000000000"),
        ("89%", "89", None, "%", "89"),
        ("第30位", "30", None, "位", "30"),
        ("十连冠", "10", None, "连冠", "10"),
        ("21连丰", "21", None, "连丰", "21"),
        ("十强", "10", None, "强", "10"),
        ("1.8万个", "1.8", "万", "个", "18000"),
        ("106万亩", "106", "万", "亩", "1060000"),
        ("200公里", "200", None, "公里", "200"),
        ("10000个", "10000", None, "个", "10000"),
        ("1,000个", "1000", None, "个", "1000"),
        ("一千五百人", "1500", None, "人", "1500"),
        ("两万人", "2", "万", "人", "20000"),
        ("0.5个百分点", "0.5", None, "个百分点", "0.5"),
        ("3倍", "3", None, "倍", "3"),
        ("首位", "1", None, "位", "1"),
        ("3千米", "3", None, "千米", "3"),  # a unit that starts like a multiplier
        ("5千瓦", "5", None, "千瓦", "5"),
        ("3万千瓦", "3", "万", "千瓦", "30000"),
        ("5千万元", "5", "千万", "元", "50000000"),
    ],
)
def test_parse_figure(figure: str, number: str, multiplier: str | None, unit: str, value: str) -> None:
    quantity = parse_figure(figure)
    assert (quantity.number, quantity.multiplier, quantity.unit, quantity.value) == (
        Decimal(number), multiplier, unit, Decimal(value))
    assert quantity.bound == Bound.exact


def test_values_are_exact_decimals() -> None:
    quantity = parse_figure("0.1万元")
    assert quantity.value == Decimal("1000") and isinstance(quantity.value, Decimal)
    assert parse_figure("1.0000001亿元").value == Decimal("100000010")


@pytest.mark.parametrize("figure", ["300余家", "50多个"])
def test_yu_and_duo_inside_a_figure_mean_more_than(figure: str) -> None:
    assert parse_figure(figure).bound == Bound.more_than


@pytest.mark.parametrize("figure", ["", "万人", "十四五规划", "12abc", "市第二医院", "一刻钟"])
def test_parse_figure_rejects_non_figures(figure: str) -> None:
    with pytest.raises(QuantityError):
        parse_figure(figure)


@pytest.mark.parametrize(("text", "value"), [("十", 10), ("二十一", 21), ("一百零五", 105), ("一千五百", 1500),
                                            ("两千", 2000), ("九千九百九十九", 9999), ("二〇二三", 2023), ("一千零十", 1010)])
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["十四五", "百十", "x"])
def test_chinese_numeral_rejects_malformed(text: str) -> None:
    with pytest.raises(QuantityError):
        chinese_numeral(text)


@pytest.mark.parametrize(
    ("text", "figure", "bound", "word"),
    [
        ("新引进亿元以上项目400个以上", "400个", Bound.at_least, "以上"),  # the first 以上 is part of a name
        ("国家高新技术企业突破550家", "550家", Bound.more_than, "突破"),
        ("新增绿色工厂10家左右", "10家", Bound.about, "左右"),
        ("债务率控制在80%以内", "80%", Bound.at_most, "以内"),
        ("不超过5个", "5个", Bound.at_most, "不超过"),
        ("近10万人", "10万人", Bound.just_under, "近"),
        ("约3000亩", "3000亩", Bound.about, "约"),
        ("产值占全市规模以上工业总产值的89%", "89%", Bound.exact, None),  # 规模以上 is a name
        ("综保区进出口总额争取达到100亿元", "100亿元", Bound.exact, None),
    ],
)
def test_bound_near(text: str, figure: str, bound: Bound, word: str | None) -> None:
    start = text.rindex(figure)
    assert bound_near(text, start, start + len(figure)) == (bound, word)


def test_number_boundary() -> None:
    assert occurrences_at_number_boundary("新增15.63万人", "5.63万人") == []
    assert occurrences_at_number_boundary("新增110个", "10个") == []
    assert occurrences_at_number_boundary("新增5.63万人", "5.63万人") == [2]
    assert occurrences_at_number_boundary("打通30条，新建30条", "30条") == [2, 8]
    assert occurrences_at_number_boundary("实现二十连冠", "十连冠") == []


def test_base_value() -> None:
    assert base_value(Decimal("5.63"), "万") == Decimal("56300")
    assert base_value(Decimal("7"), None) == Decimal("7")


_UNITS = st.sampled_from(["人", "个", "亩", "元", "公里", "家", "%"])
_MULTIPLIERS = st.sampled_from([None, "万", "亿", "万亿"])


@given(number=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       multiplier=_MULTIPLIERS, unit=_UNITS)
def test_written_figures_parse_back(number: Decimal, multiplier: str | None, unit: str) -> None:
    written = format(number, "f")
    quantity = parse_figure(f"{written}{multiplier or ''}{unit}")
    assert quantity.number == number
    assert quantity.multiplier == multiplier
    assert quantity.value == base_value(number, multiplier)


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_round_trip(value: int) -> None:
    digits = "零一二三四五六七八九"
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    written, zero_pending = "", False
    for size, name in units:
        digit = value // size % 10
        if digit == 0:
            zero_pending = bool(written)
            continue
        if zero_pending:
            written += "零"
            zero_pending = False
        written += digits[digit] + name
    assert chinese_numeral(written) == value


def test_only_ascii_and_full_width_digits_are_numbers() -> None:
    for figure in ("𝟏𝟐万人", "١٢万人"):
        with pytest.raises(QuantityError):
            parse_figure(figure)
    assert parse_figure("１２万人").value == Decimal("120000")


def test_full_width_percent_is_a_percent() -> None:
    quantity = parse_figure("12％")
    assert (quantity.number, quantity.unit) == (Decimal("12"), "％")
