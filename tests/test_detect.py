"""The figure detector and grammar on real phrasings of communiqués, and on the traps around them.

Each phrasing is a clause as such texts write it; the expected figures are what a careful reader
finds, with the value and the bound the words give."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commdata.domain.detect import find_figures

# (clause, [(figure, value, bound), ...])
PHRASINGS: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("新增城镇就业5.63万人", [("5.63万人", "56300", "exact")]),
    ("新增城镇就业6万人以上", [("6万人", "60000", "at_least")]),
    ("实施重点项目1100个以上", [("1100个", "1100", "at_least")]),
    ("完成投资1500亿元以上", [("1500亿元", "150000000000", "at_least")]),
    ("新引进亿元以上项目400个以上", [("400个", "400", "at_least")]),
    ("国家高新技术企业突破550家", [("550家", "550", "more_than")]),
    ("新增绿色工厂10家左右", [("10家", "10", "about")]),
    ("综保区进出口总额争取达到100亿元", [("100亿元", "10000000000", "exact")]),
    ("产值占全市规模以上工业总产值的89%", [("89%", "89", "exact")]),
    ("接待国内游客人数、实现国内旅游收入分别增长256%、387%", [("256%", "256", "exact"), ("387%", "387", "exact")]),
    ("全市创新能力指数上升到全国第30位", [("第30位", "30", "exact")]),
    ("累计完成106万亩“三北”六期林草建设任务", [("106万亩", "1060000", "exact")]),
    ("争创全国双拥模范城“十连冠”", [("十连冠", "10", "exact")]),
    ("粮食产量实现21连丰", [("21连丰", "21", "exact")]),
    ("新建充电站10座、充电桩10000个", [("10座", "10", "exact"), ("10000个", "10000", "exact")]),
    ("新增停车位1.8万个", [("1.8万个", "18000", "exact")]),
    ("新增奶牛6万头", [("6万头", "60000", "exact")]),
    ("完成5.56万户燃煤散烧综合治理", [("5.56万户", "55600", "exact")]),
    ("建成城市绿道200公里", [("200公里", "200", "exact")]),
    ("新续建中小学、幼儿园61所", [("61所", "61", "exact")]),
    ("新建提升道路节点绿化1000处", [("1000处", "1000", "exact")]),
    ("重点实施道路桥梁工程12项", [("12项", "12", "exact")]),
    ("评出担当作为好干部32名", [("32名", "32", "exact")]),
    ("地区生产总值增长5.5%左右", [("5.5%", "5.5", "about")]),
    ("居民人均可支配收入增长6%以上", [("6%", "6", "at_least")]),
    ("城镇调查失业率控制在5.5%以内", [("5.5%", "5.5", "at_most")]),
    ("单位GDP能耗下降3.2个百分点", [("3.2个百分点", "3.2", "exact")]),
    ("一般公共预算收入突破100亿元", [("100亿元", "10000000000", "more_than")]),
    ("地区生产总值超过2万亿元", [("2万亿元", "2000000000000", "more_than")]),
    ("全年接待游客近5000万人次", [("5000万人次", "50000000", "just_under")]),
    ("约3000亩", [("3000亩", "3000", "about")]),
    ("累计建成5G基站3000余个", [("3000余个", "3000", "more_than")]),
    ("新增就业岗位2万多个", [("2万多个", "20000", "more_than")]),
    ("债务规模不超过500亿元", [("500亿元", "50000000000", "at_most")]),
    ("固定资产投资增长3%—5%", [("3%", "3", "at_least"), ("5%", "5", "at_most")]),
    ("新建公租房一千五百套", [("一千五百套", "1500", "exact")]),
    ("建成两所学校", [("两所", "2", "exact")]),
    ("连续四年获评全国文明城市", [("连续四年", "4", "exact")]),
    ("营商环境评价位居全省首位", [("首位", "1", "exact")]),
    ("进入全国百强县前十", [("百强", "100", "exact"), ("前十", "10", "exact")]),  # 百强 names a list, 前十 ranks in it
    ("城市综合竞争力跃居全省第3位", [("第3位", "3", "exact")]),
    ("研发投入强度达到2.5%", [("2.5%", "2.5", "exact")]),
    ("外贸进出口总额增长1.5倍", [("1.5倍", "1.5", "exact")]),
    ("新建5G基站1,200个", [("1,200个", "1200", "exact")]),
    ("新增装机容量30万千瓦", [("30万千瓦", "300000", "exact")]),
    ("建成3千米绿道", [("3千米", "3", "exact")]),
]

# (clause, figures the detector must NOT find in it)
TRAPS: list[tuple[str, list[str]]] = [
    ("规模以上工业增加值", []),  # 以上 in a name, no number
    ("新引进亿元以上项目", []),  # 亿 with no number before it
    ("习近平总书记", []),  # 近 in a name
    ("编制十四五规划", []),  # a plan's name
    ("建设市第二医院", []),  # 第二 without 位/名: a name
    ("改造提升一刻钟便民生活圈10个", ["10个"]),  # 一刻钟 names a kind of circle
    ("一是全力贯彻", []),  # an item number
    ("统一价格、统一监管", []),  # 一 inside a word
    ("推进呼包同城化发展", []),
    ("“三多、三少、三慢”", []),
    ("六大产业集群", []),  # 六大 is a name
    ("部署5G网络", []),  # 5G is a name
    ("建设H5页面", []),  # a digit inside a Latin name
    ("万众一心", []),
    ("千方百计", []),
    ("百姓满意", []),
]


@pytest.mark.parametrize(("clause", "expected"), PHRASINGS, ids=[clause for clause, _ in PHRASINGS])
def test_real_phrasings(clause: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_figures(clause)
    assert [(f.figure, f.quantity.value if f.quantity else None, f.bound.value) for f in found] == [
        (figure, Decimal(value), bound) for figure, value, bound in expected]
    for item in found:
        assert clause[item.start:item.end] == item.figure


@pytest.mark.parametrize(("clause", "allowed"), TRAPS, ids=[clause for clause, _ in TRAPS])
def test_traps(clause: str, allowed: list[str]) -> None:
    assert [found.figure for found in find_figures(clause)] == allowed


def test_enough_cases() -> None:
    assert len(PHRASINGS) >= 40 and len(TRAPS) >= 15


@pytest.mark.parametrize(("text", "dates"), [
    ("于2023年12月28日召开", ["2023年", "12", "28日"]),
    ("入选“2023中国最具幸福感城市”", ["2023"]),
    ("今年6月习近平", ["6"]),
])
def test_dates_are_recognised(text: str, dates: list[str]) -> None:
    found = find_figures(text)
    assert [item.figure for item in found] == dates
    assert all(item.date_like for item in found)


def test_quantities_are_not_dates() -> None:
    assert not any(item.date_like for item in find_figures("新增城镇就业6万人以上，建成2024个站点"))


@pytest.mark.parametrize(("text", "figure", "unit"), [
    ("全年举办招商推介活动120余场。", "120余场", "场"),
    ("集装箱吞吐量达到60万标箱。", "60万标箱", "标箱"),
    ("工业用电量连续两个季度回升。", "连续两个季度", "个季度"),
    ("全省排名前进7个位次。", "7个位次", "个位次"),
])
def test_events_boxes_quarters_and_places_in_a_ranking_are_units(text: str, figure: str, unit: str) -> None:
    [found] = [item for item in find_figures(text) if item.figure == figure]
    assert found.quantity is not None and found.quantity.unit == unit


def test_a_chinese_numeral_before_chang_is_a_word() -> None:
    assert [item.figure for item in find_figures("打赢这一场攻坚战，办好3场展会。")] == ["3场"]


def test_an_ordinal_or_a_school_systems_years_inside_a_name_is_no_figure() -> None:
    text = "扩建县第三人民医院，巩固九年义务教育成果，新建2所十二年一贯制学校，新增就业二万人。"
    assert [item.figure for item in find_figures(text)] == ["2所", "二万人"]
