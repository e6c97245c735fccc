"""The grammar on what real documents write, one category at a time.

Every sentence here is written for this test in the style of government work reports, plan reports,
statistical bulletins and economic summaries; none is taken from a published text. Each case gives the
figures a careful reader finds: figure, value, unit, bound and, where the text says it, direction."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from commdata import api
from commdata.domain.detect import Aside, Found, figure_reading, find_figures
from commdata.domain.quantities import Bound, Direction, fold, parse_figure, plain
from commdata.domain.sources import canonical_text

from conftest import make_records

Row = tuple[str, str, str | None, str]  # figure, value, unit, bound


def rows(text: str) -> list[Row]:
    return [(f.figure, plain(f.quantity.value) if f.quantity else "", f.quantity.unit if f.quantity else None,
             f.bound.value) for f in find_figures(text)]


def only(text: str) -> Found:
    found = find_figures(text)
    assert len(found) == 1, found
    return found[0]


def check_offsets(text: str) -> None:
    for item in find_figures(text):
        assert text[item.start:item.end] == item.figure


@pytest.mark.parametrize(("text", "expected"), [
    ("全年完成技改投资8000余万元", [("8000余万元", "80000000", "元", "more_than")]),
    ("带动农户增收3000多万元", [("3000多万元", "30000000", "元", "more_than")]),
    ("新增市场主体1.2万余户", [("1.2万余户", "12000", "户", "more_than")]),
    ("吸引游客二十余万人次", [("二十余万人次", "200000", "人次", "more_than")]),
])
def test_yu_and_duo_between_the_number_and_its_multiplier(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("人口自然增长率为4.2‰", [("4.2‰", "4.2", "‰", "exact")]),
    ("出生率比上年下降0.6个千分点", [("0.6个千分点", "0.6", "个千分点", "exact")]),
])
def test_per_mille_and_per_mille_points(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "value", "direction"), [
    ("出口总额增长-6.8%", "-6.8", Direction.down),
    ("房地产开发投资(-11.6%)拖累明显", "-11.6", Direction.down),
    ("工业用电量下降−2.5%", "-2.5", Direction.up),  # a fall of minus 2.5 is a rise
    ("农产品价格降低4.4%", "4.4", Direction.down),
    ("化肥使用量减少3.1万吨", "31000", Direction.down),
    ("增速回落1.2个百分点", "1.2", Direction.down),
    ("税收收入同比增长7.5%", "7.5", Direction.up),
    ("居民收入提高了5.1%", "5.1", Direction.up),
    ("经济总量实现翻一番", "1", Direction.up),
])
def test_a_change_has_its_direction_and_a_printed_minus_sign_is_negative(text: str, value: str,
                                                                         direction: Direction) -> None:
    found = only(text)
    assert found.quantity is not None and found.quantity.value == Decimal(value)
    assert found.direction == direction


def test_level_figures_have_no_direction() -> None:
    found = find_figures("第二产业增加值85.3亿元,新增城镇就业1.1万人,高于全省1.5个百分点")
    assert [item.direction for item in found] == [None, None, None]


def test_a_dash_between_two_numbers_is_a_range_not_a_minus_sign() -> None:
    assert rows("预计增长6%-7%,投资3万-5万元") == [
        ("6%", "6", "%", "at_least"), ("7%", "7", "%", "at_most"),
        ("3万", "30000", None, "at_least"), ("5万元", "50000", "元", "at_most")]


@pytest.mark.parametrize("text", ["据统计,2023年全区完成投资96亿元", "其中;46家企业上规", "主要指标:12项全部完成"])
def test_a_number_straight_after_half_width_punctuation_is_a_figure(text: str) -> None:
    figures = [item.figure for item in find_figures(text)]
    assert figures and figures[0][0].isdigit()
    check_offsets(text)


def test_a_thousands_separator_still_joins_its_digits() -> None:
    assert rows("投放贷款12,500万元,惠及商户36,18家") == [
        ("12,500万元", "125000000", "元", "exact"), ("36", "36", None, "exact"), ("18家", "18", "家", "exact")]


@pytest.mark.parametrize(("text", "figure", "value"), [
    ("外贸依存度位居全省第二", "第二", 2),
    ("粮食总产量全市第三,油料产量全市第五。", "第三", 3),
    ("人均收入首次位居第一", "第一", 1),
    ("增幅分列全省第4、全国第9,", "第4", 4),
])
def test_a_bare_rank_ends_its_clause(text: str, figure: str, value: int) -> None:
    found = find_figures(text)[0]
    assert (found.figure, found.quantity.value, found.quantity.unit) == (figure, value, None)


@pytest.mark.parametrize("text", ["第一产业增加值增长3%", "第二、第三产业比重上升", "市第三中学扩建"])
def test_a_rank_inside_a_name_is_not_a_figure(text: str) -> None:
    assert not any(item.figure.startswith("第") for item in find_figures(text))


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("培育两个百亿级产业集群", "百亿级", "10000000000", "级"),
    ("打造千亿级新材料基地", "千亿级", "100000000000", "级"),
    ("到2030年人均收入翻一番", "翻一番", "1", "番"),
    ("城乡居民收入提前实现翻番", "翻番", "1", "番"),
    ("外贸规模比十年前翻了两番", "翻了两番", "2", "番"),
    ("民营经济贡献了全区七成以上的税收", "七成", "7", "成"),
    ("耕地中约两成是坡耕地", "两成", "2", "成"),
])
def test_magnitude_classes_doublings_and_tenths(text: str, figure: str, value: str, unit: str) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert found.quantity is not None and (found.quantity.value, found.quantity.unit) == (Decimal(value), unit)


def test_a_magnitude_class_is_a_class_threshold() -> None:
    assert next(f for f in find_figures("培育两个百亿级产业集群") if f.figure == "百亿级").aside == Aside.class_threshold


@pytest.mark.parametrize("text", ["一成不变地执行", "三五成群的游客"])
def test_cheng_inside_an_idiom_is_not_a_tenth(text: str) -> None:
    assert find_figures(text) == []


def test_full_width_digits_and_point_are_numbers_at_their_own_offsets() -> None:
    text = canonical_text("全市生产总值增长１２．５％，达到３６８０亿元")
    assert rows(text) == [("１２．５％", "12.5", "％", "exact"), ("３６８０亿元", "368000000000", "元", "exact")]
    check_offsets(text)
    assert parse_figure("１２．５％").number_as_written == "１２．５"


@pytest.mark.parametrize(("text", "expected"), [
    ("夏粮单产达到812斤", [("812斤", "812", "斤", "exact")]),
    ("举办文化惠民演出420场次", [("420场次", "420", "场次", "exact")]),
    ("接待游客1865万人次", [("1865万人次", "18650000", "人次", "exact")]),
    ("节约能源2.3万吨标准煤", [("2.3万吨标准煤", "23000", "吨标准煤", "exact")]),
    ("新增建设用地4.6平方公里", [("4.6平方公里", "4.6", "平方公里", "exact")]),
    ("新增光伏装机1.5GW", [("1.5GW", "1.5", "GW", "exact")]),
    ("储能电站规模达200MW", [("200MW", "200", "MW", "exact")]),
    ("全年发电量36.2亿kWh", [("36.2亿kWh", "3620000000", "kWh", "exact")]),
    ("确诊病例12例", [("12例", "12", "例", "exact")]),
    ("新建220千伏线路46公里", [("220千伏", "220", "千伏", "exact"), ("46公里", "46", "公里", "exact")]),  # not 220千
])
def test_units_real_documents_use(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("城镇和农村居民收入分别增长5%、6%左右", [("5%", "5", "%", "about"), ("6%", "6", "%", "about")]),
    ("出口和进口分别下降3.1、2.4个百分点", [("3.1", "3.1", "个百分点", "exact"), ("2.4个百分点", "2.4", "个百分点", "exact")]),
    ("城乡收入分别达到4.2和2.1万元以上", [("4.2", "42000", "元", "at_least"), ("2.1万元", "21000", "元", "at_least")]),
    ("两地分别增长4%以上和5%左右", [("4%", "4", "%", "at_least"), ("5%", "5", "%", "about")]),  # each its own word
    ("增长5%、6%左右", [("5%", "5", "%", "exact"), ("6%", "6", "%", "about")]),  # no 分别: no list
])
def test_one_bound_word_or_unit_after_a_fenbie_list_serves_every_member(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


def test_a_fenbie_list_shares_its_direction() -> None:
    assert [f.direction for f in find_figures("出口和进口价格分别回落0.8和1.3个百分点")] == [Direction.down] * 2


@pytest.mark.parametrize(("text", "expected"), [
    ("全市GDP3865.2亿元", [("3865.2亿元", "386520000000", "元", "exact")]),
    ("R&D经费投入强度2.4%", [("2.4%", "2.4", "%", "exact")]),
    ("PM10平均浓度58μg/m3", [("58μg/m3", "58", "μg/m3", "exact")]),
    ("二氧化硫浓度9mg/m3", [("9mg/m3", "9", "mg/m3", "exact")]),
])
def test_digits_touching_latin_letters_and_compound_units(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


@pytest.mark.parametrize("text", ["建成5G基站", "PM2.5浓度持续下降", "开通H5服务", "G20峰会", "4A级景区"])
def test_a_number_inside_a_latin_name_is_not_a_figure(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("全區財政收入達到12.6億元", [("12.6億元", "1260000000", "元", "exact")]),
    ("失業率控制在4.5%以內", [("4.5%", "4.5", "%", "at_most")]),
    ("新建學校3個、實施項目25項", [("3個", "3", "个", "exact"), ("25項", "25", "项", "exact")]),
    ("第八屆人民代表大會", [("第八屆", "8", "届", "exact")]),
    ("常住人口約60萬人", [("60萬人", "600000", "人", "about")]),
])
def test_traditional_script_forms(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected


def test_traditional_figures_keep_their_characters_and_read_in_simplified_form() -> None:
    quantity = parse_figure("12.6億元")
    assert (quantity.figure, quantity.multiplier, quantity.unit) == ("12.6億元", "亿", "元")
    assert len(fold("億元以內")) == 4


@pytest.mark.parametrize(("text", "figure"), [
    ("新签约5000万元以上项目32个", "5000万元"),
    ("年营业收入2000万元以上企业达到140家", "2000万元"),
    ("总投资超20亿元的项目开工8个", "20亿元"),
    ("其中5亿元项目11个", "5亿元"),
    ("为80周岁以上老人发放补贴", "80周岁"),
    ("建成10万吨级泊位2个", "10万吨"),
])
def test_a_threshold_in_a_class_name_has_no_bound(text: str, figure: str) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert (found.bound, found.bound_word, found.aside) == (Bound.exact, None, Aside.class_threshold)


@pytest.mark.parametrize(("text", "figure", "bound"), [
    ("完成投资320亿元以上,", "320亿元", Bound.at_least),
    ("完成投资320亿元以上。", "320亿元", Bound.at_least),
    ("吸引3万名以上高校毕业生留本地就业", "3万名", Bound.at_least),  # a count: 以上 bounds it
    ("新增就业2万人以上", "2万人", Bound.at_least),
])
def test_yishang_after_a_measure_at_the_end_of_a_clause_or_after_a_count_is_a_bound(
        text: str, figure: str, bound: Bound) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert (found.bound, found.aside) == (bound, None)


@pytest.mark.parametrize(("text", "figure"), [
    ("城镇和农村分别增长5%、6%左右", "5%"),
    ("工业投资下降4.2%", "4.2%"),
    ("出口和进口分别下降3.1、2.4个百分点", "3.1"),
    ("新签约5000万元以上项目32个", "5000万元"),
])
def test_validation_reads_a_figure_as_the_detector_does(text: str, figure: str) -> None:
    at = text.index(figure)
    found = next(item for item in find_figures(text) if item.start == at)
    reading = figure_reading(text, at, figure)
    assert (reading.quantity, reading.bound, reading.bound_word, reading.direction) == (
        found.quantity, found.bound, found.bound_word, found.direction)


def _problems(folder: Path) -> list[str]:
    return [problem.code for problem in api.validate(folder).problems if problem.code != "uncited-figure"]


def test_validation_agrees_with_parse_on_a_class_threshold_and_a_fenbie_list(tmp_path: Path) -> None:
    text = "新签约5000万元以上项目32个。出口和进口分别下降3.1、2.4个百分点。"
    threshold = {"quote": "新签约5000万元以上项目32个", "figure": "5000万元", "number": "5000", "multiplier": "万",
                 "unit": "元", "value": "50000000", "bound": "exact"}
    member = {"quote": "出口和进口分别下降3.1、2.4个百分点", "kind": "growth", "figure": "3.1", "number": "3.1",
              "unit": "个百分点", "value": "3.1", "bound": "exact", "direction": "down"}
    assert _problems(make_records(tmp_path / "agree", text, [threshold, member])) == []
    wrong = {**threshold, "bound": "at_least"}  # the 以上 of a class name is no bound, in validation too
    assert _problems(make_records(tmp_path / "disagree", text, [wrong])) == ["bound-mismatch"]


@pytest.mark.parametrize("text", ["连续千亿级", "第千亿级产业", "连续第", "第-", "翻番番", "〔2023〕号"])
def test_odd_prefixes_never_give_a_figure_outside_the_text(text: str) -> None:
    for item in find_figures(text):
        assert 0 <= item.start < item.end <= len(text) and text[item.start:item.end] == item.figure


# Fractions and percentages written in words are figures with exact values: 百分之X(点Y) is X.Y%,
# 千分之X is X‰, N分之M is M/N with no unit.
@pytest.mark.parametrize(("text", "expected"), [
    ("山区人口占比降至五分之二以下", [("五分之二", "0.4", None, "at_most")]),
    ("超过三分之二的行政村通了公交", [("三分之二", "0.6666666666666666666666666667", None, "more_than")]),
    ("森林覆盖率提高到百分之六十三点五", [("百分之六十三点五", "63.5", "%", "exact")]),
    ("婴儿死亡率控制在千分之五以内", [("千分之五", "5", "‰", "at_most")]),
    ("税收占财政收入的百分之八十一左右", [("百分之八十一", "81", "%", "about")]),
    ("棚户区改造任务百分之百完成", [("百分之百", "100", "%", "exact")]),
])
def test_fractions_and_percentages_in_words(text: str, expected: list[Row]) -> None:
    assert rows(text) == expected
    check_offsets(text)


def test_a_percentage_in_words_keeps_its_direction_and_its_number_as_written() -> None:
    found = only("农民收入比上年提高百分之七")
    assert found.direction == Direction.up and found.quantity is not None
    assert (found.quantity.number_as_written, found.quantity.value) == ("百分之七", Decimal(7))


@pytest.mark.parametrize("text", ["这项工作十分重要", "三分天下", "百分百满意"])
def test_words_that_only_look_like_fractions_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_validation_reads_a_fraction_in_words_as_the_detector_does(tmp_path: Path) -> None:
    text = "全市民生支出占比达到四分之三以上。"
    record = {"quote": "全市民生支出占比达到四分之三以上", "figure": "四分之三", "number": "0.75", "value": "0.75",
              "bound": "at_least"}
    assert _problems(make_records(tmp_path / "agree", text, [record])) == []


# Dates written in Chinese numerals (二〇二五年, 二月, 二十八日), with a circle for zero (二○二五年), and
# dates written with dashes, slashes or points (2025-03-06, 2025/3/6, 2025.03.06) are dates, found whole.
@pytest.mark.parametrize(("text", "dates"), [
    ("本公报由县统计局于二〇二五年二月二十八日发布。", ["二〇二五年", "二月", "二十八日"]),
    ("二○二四年十二月，新区挂牌成立。", ["二○二四年", "十二月"]),
    ("更新时间:2025-03-06来源:市政府办公室", ["2025-03-06"]),
    ("信息日期：2025.03.06", ["2025.03.06"]),
    ("印发于2025/3/6。", ["2025/3/6"]),
    ("对标二〇四〇年远景目标", ["二〇四〇年"]),
    ("发布时间:2025-03-06 14:05来源:区政府", ["2025-03-06 14:05"]),  # a time of day after the date
    ("2025年3月6日14:05更新", ["2025年", "3", "6日", "14:05"]),
])
def test_dates_in_chinese_numerals_and_with_separators(text: str, dates: list[str]) -> None:
    found = find_figures(text)
    assert [item.figure for item in found] == dates
    assert all(item.date_like and item.aside == Aside.date for item in found)
    check_offsets(text)


def test_a_number_after_a_full_stop_written_as_a_point_is_a_figure() -> None:
    found = find_figures("(三)信贷投放.12月末,贷款余额比年初增加86亿元")
    assert [(item.figure, item.date_like) for item in found] == [("12", True), ("86亿元", False)]
    assert [item.figure for item in find_figures("GDP增长1.5个百分点")] == ["1.5个百分点"]  # a decimal point stays


def test_a_day_in_chinese_numerals_is_a_date_only_after_a_month() -> None:
    assert [(f.figure, f.date_like) for f in find_figures("工期二十日")] == [("二十日", False)]


@pytest.mark.parametrize(("text", "figure", "date_like"), [
    ("“十四五”前三年，全区累计完成投资1800亿元", "前三年", True),
    ("前10个月，全市外贸增长6%", "前10个月", True),
    ("比原计划提前2个月完成", "2个月", False),  # 提前: 前 ends a word, the 2个月 is a value
    ("目前3家企业已投产", "3家", False),
])
def test_the_first_years_of_a_period_are_dates_but_not_after_a_word_ending_in_qian(
        text: str, figure: str, date_like: bool) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert found.date_like is date_like


# The numbers of a list's items are not figures: 第一，… at the start of a clause, and 1. 2. (1、 2、,
# (1) (2)) that count on from 1 before each item's words.
@pytest.mark.parametrize(("text", "figures"), [
    ("会议明确三项任务：第一，新建幼儿园8所；第二，改造供水管网45公里；第三，新增停车泊位2000个。",
     ["三项", "8所", "45公里", "2000个"]),
    ("下步打算。第一,稳住工业,新增规上企业25家。第二,扩大消费,新建商业街区3条。", ["25家", "3条"]),
    ("(三)重点任务1.推进园区扩容。新增用地3000亩。2.培育龙头企业。新增规上企业4家。", ["3000亩", "4家"]),
    ("（1）稳就业，新增岗位8000个。（2）保民生，新建食堂15个。", ["8000个", "15个"]),
    ("1、抓招商，签约项目60个；2、抓服务，办结诉求1.2万件", ["60个", "1.2万件"]),
])
def test_list_ordinals_and_item_numbers_are_not_figures(text: str, figures: list[str]) -> None:
    assert [item.figure for item in find_figures(text)] == figures


@pytest.mark.parametrize(("text", "figures"), [
    ("工业增速位居全省第一，高于全国3个百分点", ["第一", "3个百分点"]),  # a rank: not at a clause's start
    ("排名由第5,升至第2。", ["第5", "第2"]),
    ("投资增长1.5倍,用地减少12.4%", ["1.5倍", "12.4%"]),
    ("第3.新区建设", ["3"]),  # a number after 第 is no item number
    ("选出2.候选人", ["2"]),  # a lone 2. does not start a list
])
def test_ranks_and_decimals_are_not_taken_for_list_numbers(text: str, figures: list[str]) -> None:
    assert [item.figure for item in find_figures(text)] == figures


# Parts of names: digits after a Latin name before 年均/日均 (PM2.5年均), the base of a rate after 每
# (每千人口, 每百户), the span inside a five-year plan's long title, and a count that sizes a class of
# holders (20户以上自然村, 50人以上企业).
@pytest.mark.parametrize(("text", "figures"), [
    ("PM2.5年均浓度降至26微克/立方米", ["26微克/立方米"]),
    ("PM10日均浓度超标天数减少4天", ["4天"]),
    ("每千人口拥有执业医师3.4人", ["3.4人"]),
    ("每百户家庭拥有汽车42辆", ["42辆"]),
    ("每十万人口拥有博物馆1.2个", ["1.2个"]),
    ("第十五个五年规划编制工作全面启动", ["第十五个"]),
    ("引进千名博士", ["千名"]),  # no 每: a count
])
def test_numbers_inside_names_and_rate_bases(text: str, figures: list[str]) -> None:
    assert [item.figure for item in find_figures(text)] == figures


@pytest.mark.parametrize(("text", "figure"), [
    ("全县20户以上自然村全部通客车", "20户"),
    ("用工50人以上企业达到86家", "50人"),
    ("百户以上村庄实现污水集中处理", "百户"),
])
def test_a_count_that_sizes_a_class_of_holders_is_a_class_threshold(text: str, figure: str) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert (found.bound, found.aside) == (Bound.exact, Aside.class_threshold)


def test_a_count_of_the_things_named_after_it_keeps_its_bound() -> None:
    found = next(item for item in find_figures("新招录1500名以上大学生") if item.figure == "1500名")
    assert (found.bound, found.aside) == (Bound.at_least, None)


@pytest.mark.parametrize(("text", "figure", "bound"), [
    ("力争工业总产值迈上2000亿元台阶", "2000亿元", Bound.at_least),
    ("外贸规模跨上1000亿元新台阶", "1000亿元", Bound.at_least),
    ("全市经济总量站上5000亿元", "5000亿元", Bound.at_least),
])
def test_stepping_onto_a_level_is_at_least(text: str, figure: str, bound: Bound) -> None:
    found = next(item for item in find_figures(text) if item.figure == figure)
    assert (found.bound, found.bound_word) == (bound, text[found.start - 2:found.start])
