"""`commdata draft` on every genre of official text: where each figure goes (achievement, target or
not recorded, with the reason), the quotes, the participants and the codebook guesses.

The documents are written for these tests in the style of each genre; none is taken from a published
text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from commdata.records.draft import draft_document, line_starts, participants, read_facts
from commdata.domain.models import Measure
from commdata.domain.quantities import occurrences_at_number_boundary
from commdata.domain.sources import SourceText, canonical_text

from conftest import run


def draft(text: str, held: str, codebook: list[Any] = (), term: int = 1, plenary: int = 1) -> dict[str, Any]:
    source = SourceText(Path("sources/x.txt"), text.encode("utf-8"))
    facts = read_facts(source.text, "330100", term, plenary, date.fromisoformat(held))
    return draft_document(source, "sources/x.txt", facts, codebook)


def placed(document: dict[str, Any]) -> dict[str, str]:
    """figure → achievements / targets / the not_recorded reason (figures that occur once)."""
    where = {stub["figure"]: part for part in ("achievements", "targets") for stub in document[part]}
    where.update({mark["figure"]: mark["reason"] for mark in document["not_recorded"]})
    return where


WORK_REPORT = """2月10日上午，青川市第九届人民代表大会第三次会议开幕。市长周立向大会作政府工作报告。
报告指出，2024年全市地区生产总值达到1860.5亿元、增长5.6%，一般公共预算收入增长4.2%。
今年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业4.2万人以上，居民消费价格涨幅3%左右。
报告提出，全市将新建学校12所，确保粮食产量稳定在95万吨以上。
"""


def test_a_government_work_report_places_last_year_and_this_year_by_its_own_cues() -> None:
    where = placed(draft(WORK_REPORT, "2025-02-10", term=9, plenary=3))
    assert [where[f] for f in ("1860.5亿元", "5.6%", "4.2%")] == ["achievements"] * 3
    assert [where[f] for f in ("6%", "4.2万人", "3%", "12所", "95万吨")] == ["targets"] * 5
    assert [where[f] for f in ("2", "10日", "2024年", "第九届", "第三次")] == [
        "date", "date", "date", "meeting_identity", "meeting_identity"]


PLAN_REPORT = """一、2024年国民经济和社会发展计划执行情况
预计全年地区生产总值增长5.5%，固定资产投资下降2.3%。新增城镇就业1.6万人。
二、2025年国民经济和社会发展主要目标
地区生产总值增长5%以上，规上工业增加值增长7%。城镇调查失业率控制在5.2%以内。
"""


def test_a_plan_report_places_by_its_numbered_headings() -> None:
    document = draft(PLAN_REPORT, "2024-12-20")
    where = placed(document)
    assert [where[f] for f in ("5.5%", "2.3%", "1.6万人")] == ["achievements"] * 3
    assert [where[f] for f in ("5%", "7%", "5.2%")] == ["targets"] * 3
    assert {stub["period"] for stub in document["targets"]} == {2025}


PRESS_REPORT = """7月28日，中共临江市委十二届五次全会召开。全会指出了下一步发展的方向和路径：坚持创新驱动，建设开放高地。
上半年成绩单
全市新签约项目86个，总投资325.4亿元，同比增长18%。全市规上工业增加值增长7.1%，在全省提升3位。
"""


def test_an_early_voice_in_a_press_report_does_not_make_later_results_targets() -> None:
    where = placed(draft(PRESS_REPORT, "2023-07-28", term=12, plenary=5))
    assert [where[f] for f in ("86个", "325.4亿元", "18%", "7.1%", "3位")] == ["achievements"] * 5
    assert (where["十二届"], where["五次"]) == ("meeting_identity", "meeting_identity")


def test_a_statistical_bulletin_and_an_economic_summary_report_results() -> None:
    bulletin = placed(draft("2023年全县地区生产总值158.3亿元,比上年增长6.2%。其中,第一产业增加值26.4亿元,增长3.9%。",
                            "2024-03-15"))
    assert {bulletin[f] for f in ("158.3亿元", "6.2%", "26.4亿元", "3.9%")} == {"achievements"}
    summary = placed(draft("1—10月,全区规上工业产值412亿元,比前三季度加快0.6个百分点。", "2024-11-20"))
    assert (summary["1—10月"], summary["前三季度"]) == ("date", "date")
    assert (summary["412亿元"], summary["0.6个百分点"]) == ("achievements", "achievements")


def test_a_cue_speaks_for_its_sentence_and_a_list_for_its_items() -> None:
    text = ("全会部署了明年三项重点工作。一是新建保障性住房2000套。二是新增城镇就业1.5万人。三是完成造林3万亩。"
            "全会认为，今年全市接待游客1200万人次。")
    document = draft(text, "2023-12-20")
    where = placed(document)
    assert [where[f] for f in ("2000套", "1.5万人", "3万亩")] == ["targets"] * 3
    assert where["1200万人次"] == "achievements"
    assert where["三项"] == "item_count"
    assert [section["part"] for section in document["meeting"]["sections"]] == ["targets"] * 3


@pytest.mark.parametrize(("between", "part"), [("", "targets"), ("生态环境持续改善，群众满意度不断提升。", "achievements")])
def test_a_list_speaks_past_its_last_item_only_as_far_as_an_item_runs(between: str, part: str) -> None:
    """The last item of a list has no next marker to end it: it runs at most twice the longest item
    before it, so a sentence just after it is still the list's, and one further on is not."""
    text = "全会部署了明年工作。一是新建学校8所。二是新增就业1万人。" + between + "全市建成公园5个。"
    where = placed(draft(text, "2023-12-20"))
    assert (where["8所"], where["1万人"], where["5个"]) == ("targets", "targets", part)


def test_the_year_named_in_a_sentence_against_the_meeting_year() -> None:
    text = "2023年全市粮食产量达到62万吨。2024年粮食产量稳定在63万吨。比2023年多收1万吨。"
    where = placed(draft(text, "2024-01-20"))
    assert (where["62万吨"], where["63万吨"], where["1万吨"]) == ("achievements", "targets", "achievements")


def test_a_count_after_a_noun_ending_in_shu_is_a_value() -> None:
    assert placed(draft("全年新增就业人数12万人。", "2024-12-20"))["12万人"] == "achievements"


def test_comparison_words_in_a_target_list_do_not_make_results() -> None:
    text = "今年的主要预期目标是：单位生产总值能耗比上年下降3%,外贸进出口完成520亿元。"
    where = placed(draft(text, "2024-02-01"))
    assert (where["3%"], where["520亿元"]) == ("targets", "targets")


@pytest.mark.parametrize(("text", "figure", "reason"), [
    ("市政府印发《实施意见》(青政发〔2024〕12号),全年新增就业1万人。", "〔2024〕12号", "name"),
    ("全面落实省十三届人大二次会议精神。", "十三届", "meeting_identity"),
    ("全面落实省十三届人大二次会议精神。", "二次", "meeting_identity"),
    ("贯彻党的二十届三中全会精神。", "二十届", "meeting_identity"),
    ("增速高于全国平均水平(5.2%),居全省前列。", "5.2%", "other"),
    ("年产20万吨新材料项目建成投产。", "20万吨", "name"),
    ("新签约5000万元以上项目32个。", "5000万元", "name"),
    ("为80周岁以上老人发放补贴。", "80周岁", "name"),
    ("打造两个千亿级产业集群。", "千亿级", "name"),
    ("上午9时30分，会议开幕。", "9时30分", "date"),
    ("1-11月,全市完成投资98亿元。", "1-11月", "date"),
    ("前三季度全市生产总值增长5.1%。", "前三季度", "date"),
    ("统筹推进“五位一体”总体布局。", "五位", "name"),
    ("守住发展和安全两条底线。", "两条", "name"),
    ("位居8县区第一。", "8", "name"),
    ("图3:2020-2024年财政收入", "3", "other"),
    ("经济增速保持两位数增长。", "两位", "vague"),
    ("引进数十家配套企业。", "十家", "vague"),
    ("带动就业数百人。", "百人", "vague"),
    ("实施城市更新三年行动。", "三年", "name"),
    ("开展百日攻坚专项行动。", "百日", "name"),
    ("建成220千伏变电站3座。", "220千伏", "name"),
    ("新开工110kV输变电工程2项。", "110kV", "name"),
])
def test_what_is_not_a_figure_goes_under_not_recorded_with_its_reason(text: str, figure: str, reason: str) -> None:
    document = draft(text, "2024-12-20")
    assert placed(document)[figure] == reason
    assert all(stub["figure"] != figure for part in ("achievements", "targets") for stub in document[part])


def test_a_fenbie_list_gives_one_stub_per_figure_each_quoting_it_once() -> None:
    document = draft("城乡居民人均可支配收入分别增长6%左右和6%以上。", "2024-02-01")
    stubs = document["targets"] or document["achievements"]
    assert [(stub["figure"], stub["bound"]) for stub in stubs] == [("6%", "about"), ("6%", "at_least")]
    for stub in stubs:
        assert len(occurrences_at_number_boundary(stub["quote"], stub["figure"])) == 1


def test_quotes_split_at_half_width_punctuation_and_brackets() -> None:
    document = draft("固定资产投资增长4%,社会消费品零售总额增长6%;一季度开局良好(GDP增长5.9%)。", "2024-12-20")
    assert [stub["quote"] for stub in document["achievements"]] == [
        "固定资产投资增长4%", "社会消费品零售总额增长6%", "GDP增长5.9%"]


def test_participants_from_the_sentences_that_name_them() -> None:
    text = ("会议由市人大常委会主任郑和主持。市长周立作政府工作报告。市委书记林晨出席会议并讲话。"
            "市委副书记、副市长王安部署2025年经济工作。")
    assert participants(canonical_text(text)) == [
        {"role": "presided", "name": "郑和", "position": "市人大常委会主任"},
        {"role": "reported", "name": "周立", "position": "市长", "subject": "政府工作"},
        {"role": "guided", "name": "林晨", "position": "市委书记"},
        {"role": "deployed", "name": "王安", "position": "市委副书记、副市长", "subject": "2025年经济工作"},
    ]


def test_a_text_that_names_no_one_leaves_a_todo() -> None:
    assert participants("全年新增就业1万人。") == [{"role": "presided", "name": "TODO"}]


GDP_GROWTH = SimpleNamespace(code="economy.gdp_growth", name="地区生产总值增长", name_en="GDP growth", unit="%",
                             also_written=[], measure=Measure.growth)
GDP = SimpleNamespace(code="economy.gdp", name="地区生产总值", name_en="GDP", unit="元", also_written=[],
                      measure=Measure.flow)


def test_the_codebook_names_an_indicator_only_where_the_unit_fits() -> None:
    document = draft("全市地区生产总值增长5.6%,总量达到地区生产总值1860亿元,城镇新增就业4万人。", "2024-12-20",
                     [GDP_GROWTH, SimpleNamespace(**{**vars(GDP), "unit": "人"})])
    codes = {stub["figure"]: (stub["indicator_code"], stub["indicator_en"]) for stub in document["achievements"]}
    assert codes["5.6%"] == ("economy.gdp_growth", "GDP growth")
    assert codes["1860亿元"][0] == "todo.indicator"  # the name fits, the unit (人) does not
    assert codes["4万人"][0] == "todo.indicator"


@pytest.mark.parametrize("code", ["1501", "15010", "1501000", "abcdef", "050100"])
def test_draft_refuses_an_admin_code_that_is_not_six_digits(tmp_path: Path, code: str) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources/x.txt").write_text("全会提出，新增就业1万人以上。", encoding="utf-8")
    result = run("draft", tmp_path / "sources/x.txt", "--admin-code", code, "--term", "1", "--plenary", "1",
                 "--date", "2024-12-30")
    assert result.exit_code == 2 and "six-digit" in result.output
    assert not (tmp_path / "meetings").exists()


def test_line_starts_are_offsets_into_the_canonical_text() -> None:
    raw = "一、2024年执行情况\n增长 5%。\r\nGDP 12\n 345亿元\n\n二、目标\n"
    text = canonical_text(raw)
    starts = line_starts(raw)
    assert [text[start:start + 2] for start in starts[:2]] == ["一、", "增长"]
    assert text.index("二、") in starts


def test_an_announcement_that_ends_its_line_governs_the_item_lines_after_it() -> None:
    text = ("2025年政府工作的主要预期目标是：\n地区生产总值增长5.5%左右。\n一般公共预算收入增长4%。\n"
            "城镇新增就业3.5万人以上。\n过去五年，全市经济总量年均增长6.2%，人均收入年均增长5.9%，主要指标好于预期，"
            "为今后发展打下了坚实基础。\n")
    where = placed(draft(text, "2025-01-20"))
    assert [where[f] for f in ("5.5%", "4%", "3.5万人")] == ["targets"] * 3
    assert (where["6.2%"], where["五年"]) == ("achievements", "vague")


def test_nouns_that_look_like_cues_set_no_part() -> None:
    text = "按照省委要求,计划单列市宁江全年完成投资820亿元,按照部署新增就业2万人。"
    where = placed(draft(text, "2024-12-20"))
    assert (where["820亿元"], where["2万人"]) == ("achievements", "achievements")


def test_a_half_width_full_stop_ends_a_sentence_and_a_quote() -> None:
    document = draft("明年力争增长6%.全年新增企业120家.", "2024-12-20")
    assert [(stub["figure"], stub["quote"]) for stub in document["targets"]] == [("6%", "明年力争增长6%")]
    assert [(stub["figure"], stub["quote"]) for stub in document["achievements"]] == [("120家", "全年新增企业120家")]


def test_a_report_made_for_a_body_that_entrusted_it() -> None:
    assert participants("市委书记陈明受市委常委会委托作工作报告。") == [
        {"role": "reported", "name": "陈明", "position": "市委书记", "on_behalf_of": "市委常委会", "subject": "工作"}]


def test_subheadings_after_a_target_announcement_hold_targets() -> None:
    text = ("过去一年，全市完成固定资产投资1050亿元。\n今年重点抓好以下工作：\n"
            "（一）扩大有效投资。全年实施重点项目260个，新开工计划总投资80亿元的项目12个，带动社会投资持续增长，"
            "推动重大产业项目早落地、早投产、早见效，形成更多实物工作量。\n"
            "（二）促进消费升级。新建城市便民生活圈30个，社会消费品零售总额增长6.5%，进一步释放消费潜力，"
            "让群众得实惠、市场添活力。\n")
    where = placed(draft(text, "2025-01-20"))
    assert where["1050亿元"] == "achievements"
    assert [where[f] for f in ("260个", "12个", "30个", "6.5%")] == ["targets"] * 4
    assert where["80亿元"] == "name"  # a size class of projects (计划总投资80亿元的项目)


def test_item_numbers_of_a_list_make_no_stubs() -> None:
    text = "二、今年重点工作\n1.扩大有效投资。新开工项目120个。\n2.促进消费升级。新建商业街区3条。\n3.稳定就业。新增就业2万人。\n"
    document = draft(text, "2025-01-20")
    assert sorted(stub["figure"] for stub in document["targets"]) == ["120个", "2万人", "3条"]
    assert document["achievements"] == [] and not any(mark["figure"] in "123" for mark in document["not_recorded"])


# The meeting's own facts (its length, attendance, by-elections) are not records: other, with a note.
@pytest.mark.parametrize(("text", "figures"), [
    ("全会应到委员47名，实到委员45名，候补委员7名列席会议。", ["47名", "45名", "7名"]),
    ("大会会期为2天。会议以举手表决方式补选了3名常委会委员。", ["2天", "3名"]),
    ("全市312名市人大代表出席开幕会，政协委员列席。", ["312名"]),
])
def test_the_meetings_own_counts_go_under_not_recorded(text: str, figures: list[str]) -> None:
    document = draft(text, "2025-01-20")
    marks = {mark["figure"]: mark for mark in document["not_recorded"]}
    assert document["achievements"] == [] and document["targets"] == []
    assert all(marks[figure]["reason"] == "other" and "meeting" in marks[figure]["note"] for figure in figures)


@pytest.mark.parametrize(("text", "figure"), [
    ("全市共有1.2万名党员参加志愿服务。", "1.2万名"),  # not members of the meeting
    ("全年走访人大代表860人次。", "860人次"),
    ("全县换届选出村民代表4200名。", "4200名"),
])
def test_counts_of_people_that_are_not_the_meetings_own_stay_records(text: str, figure: str) -> None:
    assert placed(draft(text, "2025-01-20"))[figure] == "achievements"


# Periods and spans of time: the first years of a plan are a date; the time left, and the time an
# action takes, are vague.
@pytest.mark.parametrize(("text", "figure", "reason"), [
    ("“十四五”前三年，全区累计完成投资1800亿元。", "前三年", "date"),
    ("前10个月，全市外贸进出口增长6%。", "前10个月", "date"),
    ("距离收官仅剩两个月，要全力冲刺。", "两个月", "vague"),
    ("离完成任务还有20天，各镇要加快进度。", "20天", "vague"),
    ("力争用两年时间改造背街小巷150条。", "两年", "vague"),
    ("今后五年要做到：五年新建安置房2.4万套。", "五年", "vague"),
])
def test_periods_and_spans_of_time_are_not_values(text: str, figure: str, reason: str) -> None:
    document = draft(text, "2025-01-20")
    assert all(stub["figure"] != figure for part in ("achievements", "targets") for stub in document[part])
    assert reason in [mark["reason"] for mark in document["not_recorded"] if mark["figure"] == figure]


# Names: the ordinal in a five-year plan's long title, the size class of villages, the base of an
# x:1 ratio; dates in words and with separators; list numbers are no figures at all.
@pytest.mark.parametrize(("text", "figure", "reason"), [
    ("第十五个五年规划纲要编制工作全面启动。", "第十五个", "name"),
    ("全县20户以上自然村全部通客车。", "20户", "name"),
    ("城乡居民收入比缩小至2.05:1。", "1", "other"),
    ("本公报由县统计局于二〇二五年二月二十八日发布。", "二十八日", "date"),
    ("更新时间:2025-03-06来源:市政府办公室", "2025-03-06", "date"),
])
def test_names_bases_and_dates_in_words_go_under_not_recorded(text: str, figure: str, reason: str) -> None:
    assert placed(draft(text, "2025-01-20"))[figure] == reason


# 计划 the noun (the plan a result is measured against) sets no part; 计划 the verb sets targets.
@pytest.mark.parametrize("text", [
    "截至年底，全区重点项目完成投资216亿元，为年度计划的112.4%；新开工项目58个，竣工项目37个。",
    "全年粮食播种面积比年初计划多出1.3万亩，较原计划提前建成高标准农田4.5万亩，超额完成计划任务。",
    "按计划进度，新建成污水处理厂3座，完成全年计划的97%，城区管网改造86公里。",
])
def test_the_noun_jihua_in_a_results_sentence_sets_no_target(text: str) -> None:
    document = draft(text, "2025-01-20")
    assert document["targets"] == [] and len(document["achievements"]) >= 2


def test_the_verb_jihua_still_sets_targets() -> None:
    where = placed(draft("全年计划新建污水管网86公里，计划投资12亿元，年度计划开工项目40个。", "2025-01-20"))
    assert [where[f] for f in ("86公里", "12亿元", "40个")] == ["targets"] * 3


# 争取 + funds or projects reports what was obtained; 争取达到 and 力争…争取 still aspire.
@pytest.mark.parametrize("text", [
    "全区累计争取地方政府专项债券资金23.5亿元，同比增加4.1亿元。",
    "成功争取到国家级试点项目3个，争取中央预算内投资2.6亿元。",
])
def test_zhengqu_with_funds_or_projects_is_a_result(text: str) -> None:
    document = draft(text, "2025-01-20")
    assert document["targets"] == [] and len(document["achievements"]) == 2


def test_zhengqu_as_an_aspiration_is_still_a_target() -> None:
    where = placed(draft("力争全年争取上级资金30亿元以上。争取达到规上企业420家。", "2025-01-20"))
    assert (where["30亿元"], where["420家"]) == ("targets", "targets")


@pytest.mark.parametrize(("text", "figure"), [
    ("工期缩短至18个月。", "18个月"),
    ("比原计划提前2个月完成。", "2个月"),
    ("连续3年获评先进县。", "连续3年"),
])
def test_spans_that_measure_a_result_stay_records(text: str, figure: str) -> None:
    assert placed(draft(text, "2025-01-20"))[figure] == "achievements"


@pytest.mark.parametrize("text", ["全会要求，全年新增城镇就业岗位5万个。", "会议强调，确保全年粮食产量稳定在48万吨。"])
def test_a_meeting_that_requires_or_stresses_deploys_targets(text: str) -> None:
    document = draft(text, "2025-01-20")
    assert document["achievements"] == [] and len(document["targets"]) == 1


def test_an_announcement_stops_at_a_sentence_with_a_cue_of_its_own() -> None:
    text = "今年的目标是：新建学校12所。去年全县新增就业2万人。"
    where = placed(draft(text, "2025-01-20"))
    assert (where["12所"], where["2万人"]) == ("targets", "achievements")


# A target cited in a results sentence, the cue after the figure: 的(…)目标 / 的要求.
@pytest.mark.parametrize(("text", "achieved", "targeted"), [
    ("2024年全县粮食总产达到52万吨，超过年初确定的50万吨的预期目标。", "52万吨", "50万吨"),
    ("城镇新增就业1.3万人，完成市定1.2万人的年度目标任务。", "1.3万人", "1.2万人"),
    ("两年来投资年均增长9.1%，快于规划年均增长8%的要求。", "9.1%", "8%"),
])
def test_a_target_cited_after_a_result_is_a_target(text: str, achieved: str, targeted: str) -> None:
    where = placed(draft(text, "2025-01-20"))
    assert (where[achieved], where[targeted]) == ("achievements", "targets")


def test_a_share_of_the_target_is_a_result() -> None:
    where = placed(draft("全年招商引资到位资金完成目标的95%，占全市总量的18%。", "2025-01-20"))
    assert (where["95%"], where["18%"]) == ("achievements", "achievements")


# Target lists written as sentences of their own: 一是…。二是…。 after a sentence that deploys them, and
# 目标是：…。…。 after an announcement inside a line.
@pytest.mark.parametrize("text", [
    "全会要求突出抓好四个方面工作。一是稳住工业，新增规上企业25家。二是扩大消费，新建商业街区3条。"
    "三是改善民生，新增托位800个。四是守护生态，完成造林2.6万亩。",
    "会议强调以下几点。第一，扩大有效投资，新开工项目120个。第二，稳定就业，新增就业2万人。",
    "今年重点做好以下工作。1.稳住工业，新增规上企业25家。2.扩大消费，新建商业街区3条。",
    "区委重点抓好三项任务。（1）稳住工业，新增规上企业25家。（2）扩大消费，新建商业街区3条。",
])
def test_a_list_of_targets_split_into_sentences_keeps_its_part(text: str) -> None:
    document = draft(text, "2025-01-20")
    assert document["achievements"] == [] and len(document["targets"]) >= 2


def test_a_list_of_results_split_into_sentences_stays_results() -> None:
    text = "一年来，我们主要做好了以下工作。一是新建学校12所。二是新增就业2万人。"
    where = placed(draft(text, "2025-01-20"))
    assert (where["12所"], where["2万人"]) == ("achievements", "achievements")


def test_the_targets_announced_inside_a_line_run_over_the_short_sentences_after_it() -> None:
    text = ("2025年全县发展的主要预期目标为：地区生产总值增长5.5%左右。规上工业增加值增长7%。"
            "城镇新增就业1.1万人以上。居民收入增长与经济增长同步。\n过去一年，全县新增企业300家。\n")
    where = placed(draft(text, "2025-01-20"))
    assert [where[f] for f in ("5.5%", "7%", "1.1万人")] == ["targets"] * 3
    assert where["300家"] == "achievements"


@pytest.mark.parametrize(("text", "figure"), [("全县五分之四的行政村建成了文化广场。", "五分之四"),
                                               ("超过三分之一的企业用上了工业互联网。", "三分之一")])
def test_a_fraction_before_what_it_is_a_share_of_is_a_record(text: str, figure: str) -> None:
    assert placed(draft(text, "2025-01-20"))[figure] == "achievements"


def test_an_announcement_stops_at_a_sentence_that_looks_back_on_it() -> None:
    text = "区委明确今年主要目标是：地区生产总值增长6%。上述目标与全市保持一致，全区现有规上企业312家。"
    where = placed(draft(text, "2025-01-20"))
    assert (where["6%"], where["312家"]) == ("targets", "achievements")


@pytest.mark.parametrize(("text", "held", "figure", "start"), [
    ("“十四五”以来，全市累计完成固定资产投资1260亿元。", "2023-12-20", "1260亿元", 2021),
    ("十三五时期，全县累计脱贫1.2万人。", "2020-12-20", "1.2万人", 2016),
    ("自2019年起，全市累计新增城镇就业8.6万人。", "2023-12-20", "8.6万人", 2019),
    ("过去五年，我们累计改造老旧小区312个。", "2025-01-15", "312个", 2020),
    ("近3年累计植树造林4万亩。", "2023-12-20", "4万亩", 2021),
    ("2021—2023年，全市累计完成投资980亿元。", "2023-12-20", "980亿元", 2021),
    ("2021年至2023年累计完成投资980亿元。", "2023-12-20", "980亿元", 2021),
    ("2020—2022年，全市累计完成投资980亿元。", "2023-12-20", "980亿元", 2020),  # period 2022, the year it names
    ("2019—2021年，全市累计完成投资980亿元。", "2023-12-20", "980亿元", None),  # not a year the meeting reports
    ("2021—2023年间，全市累计完成投资980亿元。", "2023-12-20", "980亿元", 2021),  # not 023年间
    ("2023年来华游客累计达到12万人次。", "2023-12-20", "12万人次", None),  # 年来华: no span
    ("近三年行动计划实施后，全市累计新建公园8个。", "2023-12-20", "8个", None),  # a campaign's name
    ("建党一百年来，全市累计建成水库210座。", "2023-12-20", "210座", None),  # a history, not a total's span
    ("十五期间累计完成投资50亿元。", "2025-12-20", "50亿元", None),  # the 10th plan, long over
    ("累计建成5G基站3100个。", "2023-12-20", "3100个", None),  # no span named
    ("2023年以来，累计建成公园6个。", "2023-12-20", "6个", None),  # a span that starts in the year itself
    ("“十四五”以来，全市年均增长6.1%。", "2023-12-20", "6.1%", None),  # a rate, not a total
    ("“十四五”以来，全市新建学校18所。", "2023-12-20", "18所", None),  # no 累计 and no code: a curator decides
    ("过去五年，累计改造老旧小区312个。一年来，新增就业1万人。", "2025-01-15", "1万人", None),  # another sentence
])
def test_a_running_total_gets_the_first_year_its_sentence_names(text: str, held: str, figure: str,
                                                                 start: int | None) -> None:
    document = draft(text, held)
    [stub] = [stub for part in ("achievements", "targets") for stub in document[part] if stub["figure"] == figure]
    assert stub.get("period_start") == start
    if start is not None:
        assert list(stub)[:4] == ["id", "period", "period_start", "indicator"]
        assert start < stub["period"]


INVESTMENT = SimpleNamespace(code="investment.fixed_assets_since", name="固定资产投资", name_en="fixed-asset investment",
                             unit="元", also_written=[], measure=Measure.cumulative)
STATIONS = SimpleNamespace(code="telecom.stations_total", name="5G基站", name_en="5G base stations", unit="个",
                           also_written=[], measure=Measure.stock)


def test_the_codebooks_measure_decides_whether_a_total_runs_from_a_year() -> None:
    """A cumulative indicator takes the span's first year even without 累计; a stock (the level to
    date, 累计建成) never does."""
    text = "“十四五”以来，全市完成固定资产投资1260亿元，累计建成5G基站3100个。"
    stubs = {stub["figure"]: stub for stub in draft(text, "2023-12-20", [INVESTMENT, STATIONS])["achievements"]}
    assert (stubs["1260亿元"]["indicator_code"], stubs["1260亿元"]["period_start"]) == (INVESTMENT.code, 2021)
    assert stubs["3100个"]["indicator_code"] == STATIONS.code and "period_start" not in stubs["3100个"]


@pytest.mark.parametrize(("held", "year"), [("2024-07-20", 2024), ("2024-09-28", 2024), ("2024-12-20", 2025),
                                             ("2024-02-10", 2024)])
def test_a_target_without_a_year_is_for_the_year_the_meeting_plans(held: str, year: int) -> None:
    """A meeting in July to September sets the rest of its own year (全年); a December one the next year;
    one early in the year, its own."""
    [target] = draft("全会强调，全年地区生产总值增长6%左右。", held)["targets"]
    assert target["period"] == year


@pytest.mark.parametrize(("text", "figure", "where"), [
    ("全会由市委常委会主持，各区县党委书记等56人列席会议。", "56人", "other"),
    ("市委召开干部大会，共有约420名干部参加。", "420名", "other"),
    ("全年共有5200人参加职业技能培训。", "5200人", "achievements"),
    ("全年共有5200人参加，比上年增加300人。", "5200人", "achievements"),  # no meeting in the sentence
])
def test_people_who_attend_the_meeting_are_not_results(text: str, figure: str, where: str) -> None:
    assert placed(draft(text, "2024-12-20"))[figure] == where
