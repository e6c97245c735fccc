"""Why a figure the detector finds is not an achievement or target: the reason it goes under
``not_recorded`` (date, meeting_identity, item_count, name, vague, other) instead of becoming a stub
a curator must delete.

Each rule reads the figure and the words around it and speaks for one kind of non-value (a date, a
meeting's number, the meeting's own length and attendance, a quoted slogan, a count of the text's own
items, a size class or a capacity in a name, a plan's title, the base of an x:1 ratio, the time left or
the time an action takes…); the first rule that speaks gives the reason, and a figure no rule speaks for
is a value. A
figure the grammar cannot read is never a value: after the rules that need no parse (quoted names,
dates, document numbers and class thresholds the detector marks), it is listed for a curator to read,
so the rules after that, and the stub, always have the figure's parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from commdata.domain.detect import Aside, Found
from commdata.domain.quantities import COUNT_UNITS, FRACTION, Quantity, fold
from commdata.records.draft.meeting import MeetingFacts
from commdata.records.draft.quotes import CLAUSE_MARKS


@dataclass(frozen=True)
class _Around:
    """What the rules on a parsed figure read: the text, folded, the figure and its parse, the meeting,
    and where the text's size-class figures start."""

    text: str
    folded: str
    found: Found
    quantity: Quantity  # found.quantity, which these rules only see parsed
    facts: MeetingFacts
    class_starts: frozenset[int]  # where a size-class figure (千亿级) starts

    @property
    def after(self) -> str:
        return self.folded[self.found.end:self.found.end + 16]

    @property
    def before(self) -> str:
        return self.folded[max(0, self.found.start - 16):self.found.start]


Reason = tuple[str, str | None]
_MEETING_AFTER = re.compile(
    r"^(?:第?[一二三四五六七八九十0-9]+(?:次|中)、?)*(?:人大|人民代表大会|全会|全体会议|中全会|党代会|代表大会|委员会|会议|政协)")
_ITEM_COUNT_AFTER = re.compile(r"^(?:重点工作|重点任务|关键点|方面|任务|大事|工作|举措|措施|[^，,。；;：:、0-9]{0,12}?指标)")
_SET_PHRASES = ("确立", "维护", "意识", "自信", "全面", "底线", "红线", "大事", "一百年", "代表", "规定", "务必")
_LIST_TITLE_AFTER = re.compile(r"^[县区市城企镇乡村榜]")
_QUOTES = {"“": "”", "「": "」", "‘": "’", "『": "』", '"': '"'}
_SHORT_QUOTE = 12  # characters: a quoted name or slogan, not a quoted sentence
_NAME_AFTER_NUMBER = re.compile(r"^[\u4e00-\u9fff]")
_NOT_A_NAME_AFTER = "、和与及至到或比以左多余上下约万亿千百年月日时分"
_BENCHMARK_BEFORE = re.compile(r"(?:全国|全省|全市|全区|全州|全县|国家|平均)[^，,。；;：:()（）]{0,8}$")
_CAPACITY_BEFORE = re.compile(r"(?:年产|日产|年处理|日处理|年加工|年吞吐|产能|装机)[^，,。；;：:、]{0,3}$")
_PROJECT_AFTER = re.compile(r"^[^，,。；;：:、]{0,15}?(?:项目|工程|生产线|电站|基地|工厂)")
_POWER_UNITS = ("MW", "GW", "kW", "KW", "千瓦", "兆瓦")
_VOLTAGE_UNITS = ("千伏", "kV", "KV")
_SPAN_UNITS = ("年", "日", "天", "个月")
_CAMPAIGN_AFTER = re.compile(r"^(?:行动|攻坚|计划|规划|会战|专项|大会战|提升行动|行动计划)")
_SPAN_OF_YEARS = ("过去", "近", "这", "今后", "未来", "前")
_VAGUE_AFTER_ONE = re.compile(r"^(?:时期|阶段|时段|段时间|时候)")
# A span of time that is left (距年底仅剩一个月, 还有两年), or that an action takes (三年改造老旧小区320个,
# 用两年时间建成): the time the text speaks of, not a result.
_TIME_SPANS = ("年", "个月", "天", "日")
_TIME_LEFT_BEFORE = ("剩", "剩下", "还有")
_SPAN_OF_AN_ACTION_BEFORE = tuple(CLAUSE_MARKS) + ("用", "利用", "花", "经过", "历时", "再用")
_SPAN_OF_AN_ACTION_AFTER = re.compile(
    r"^(?:内|间|里|时间)?(?:累计|共|新增|新建|新改建|改扩建|建成|建设|改造|完成|实施|实现|投入|打造|培育|引进|创建|"
    r"提升|推动|推进|整治|治理|消除|解决|基本|全面|全部|再)")
# The meeting's own facts: how long it sits (会期3天) and who attends or joins it (出席全会的有委员41名,
# 236名代表参加会议, 递补2名委员): facts about the meeting, not results of the year.
_MEETING_LENGTH_BEFORE = re.compile(r"会期(?:为|共|是)?$")
_MEMBERS_BEFORE = ("委员", "代表", "成员")
_MEMBERS_AFTER = re.compile(r"^[^，,。；;：:、]{0,6}?(?:委员|代表)")
_ATTENDANCE = re.compile(r"出席|列席|参加会议|参加全会|参加大会|参会|到会|应到|实到|缺席|递补|增补|补选")
_ATTENDANCE_BEFORE = re.compile(r"(?:应到|实到|缺席|请假|递补|增补|补选)了?$")
_PEOPLE_UNITS = ("名", "人", "位")
# 112人列席会议, 约860名干部参加(。): people who attend, named by what they do right after their count.
_ATTENDING_AFTER = re.compile(r"^[^，,。；;：:、]{0,6}?(?:列席|出席|参加会议|参加全会|参加大会|参会|到会)")
_JOINING_AFTER = re.compile(r"^[^，,。；;：:、]{0,6}?参加(?=[，,。；;])")
_A_MEETING = re.compile(r"会议|全会|大会|会上")
_SENTENCE_MARKS = "。！？!?"
_RATIO_MARKS = ":：∶"
_RATIO_BEFORE = re.compile(rf"[0-9][{_RATIO_MARKS}]$")
# 第十四个五年规划: the ordinal in a five-year plan's long title.
_PLAN_TITLE_AFTER = re.compile(r"^[一二三四五六七八九十0-9]+年(?:规划|计划)")


def _is_date(text: str, found: Found) -> Reason | None:
    return ("date", None) if found.date_like else None


def _is_marked_aside(text: str, found: Found) -> Reason | None:
    if found.aside == Aside.document_number:
        return "name", "a document number"
    if found.aside == Aside.class_threshold:
        return "name", "a size threshold in the name of a class (以上 and 级 belong to the name)"
    return None


def _is_meeting_number(around: _Around) -> Reason | None:
    """十四届人大二次会议, 七届十一次全会, 第四次会议: a term or session number, 第 or not."""
    quantity = around.quantity
    if quantity.unit not in ("届", "次"):
        return None
    if _MEETING_AFTER.match(around.after):
        return "meeting_identity", None
    if quantity.prefix == "第" and quantity.value in (around.facts.term, around.facts.plenary):
        return "meeting_identity", None
    return None


def _is_in_a_quoted_name(text: str, found: Found) -> Reason | None:
    """A figure inside a short quoted name or slogan (“五位一体”, 「十强县」) that is more than the figure."""
    opening = max(text.rfind(mark, max(0, found.start - _SHORT_QUOTE), found.start) for mark in _QUOTES)
    if opening < 0 or _QUOTES[text[opening]] in text[opening + 1:found.start]:
        return None  # no quote open at the figure
    closing = text.find(_QUOTES[text[opening]], found.end, found.end + _SHORT_QUOTE)
    inside = text[opening + 1:closing]
    if closing < 0 or any(mark in inside for mark in CLAUSE_MARKS) or inside == found.figure:
        return None
    return "name", "part of a quoted name or slogan"


def _is_set_phrase(around: _Around) -> Reason | None:
    """两个确立, 两条底线, 四个全面, 三次产业: a Chinese-numeral count fused into a set phrase."""
    quantity = around.quantity
    if quantity.number_as_written.isdigit():
        return None
    if around.after.startswith(_SET_PHRASES) or quantity.unit == "次" and around.after.startswith("产业"):
        return "name", "a set phrase"
    return None


def _is_a_list_title(around: _Around) -> Reason | None:
    """十强县, 全市“百强”: the title of a ranking list, not a rank."""
    quantity, text, found = around.quantity, around.text, around.found
    quoted = found.start > 0 and text[found.start - 1] in _QUOTES and text[found.end:found.end + 1] in _QUOTES.values()
    if quantity.unit == "强" and (_LIST_TITLE_AFTER.match(around.after) or quoted):
        return "name", "the title of a ranking list"
    return None


def _is_a_count_of_a_class(around: _Around) -> Reason | None:
    """三个千亿级产业: a count fused with a size class names a group."""
    return ("name", "a group named by a size class") if around.found.end in around.class_starts else None


def _is_anniversary(around: _Around) -> Reason | None:
    return ("other", "an anniversary") if around.after.startswith("周年") else None


def _is_chart_number(around: _Around) -> Reason | None:
    quantity = around.quantity
    if quantity.unit is None and around.before.endswith(("图", "表")):
        return "other", "a chart or table number"
    return None


def _is_a_number_in_a_name(around: _Around) -> Reason | None:
    """8郊区, 12345热线, 3号线: a bare number straight before a word (not a unit, list or bound word); a
    fraction in words is a share of what follows it (三分之二的行政村), not a name."""
    quantity = around.quantity
    if quantity.unit or quantity.multiplier or quantity.prefix or not _NAME_AFTER_NUMBER.match(around.after):
        return None
    if FRACTION in quantity.number_as_written:
        return None
    return None if around.after[0] in _NOT_A_NAME_AFTER else ("name", "a number inside a name")


def _is_vague(around: _Around) -> Reason | None:
    """一年, 一批, 一个时期, 两位数, 数十家: no measured quantity."""
    quantity = around.quantity
    if quantity.number_as_written in ("十", "百", "千") and around.before.endswith(("数", "几")):
        return "vague", None  # 数十家, 几百人: dozens, hundreds
    if quantity.number_as_written == "一" and (quantity.unit in ("年", "批")
                                              or quantity.unit == "个" and _VAGUE_AFTER_ONE.match(around.after)):
        return "vague", None
    if quantity.unit == "位" and around.after.startswith("数"):
        return "vague", None
    if quantity.unit == "年" and around.before.endswith(_SPAN_OF_YEARS):
        return "vague", "a span of years (过去五年)"
    if quantity.unit in _TIME_SPANS and not quantity.prefix:
        if around.before.endswith(_TIME_LEFT_BEFORE):
            return "vague", "the time left"
        if around.before.endswith(_SPAN_OF_AN_ACTION_BEFORE) and _SPAN_OF_AN_ACTION_AFTER.match(around.after):
            return "vague", "the time an action takes (三年改造…)"
    return None


def _is_a_meeting_fact(around: _Around) -> Reason | None:
    """会期3天, 出席全会的有委员41名, 递补2名委员: the meeting's own length, attendance and membership."""
    quantity, before, after = around.quantity, around.before, around.after
    if quantity.unit in ("天", "日") and _MEETING_LENGTH_BEFORE.search(before):
        return "other", "the length of the meeting itself"
    if quantity.unit not in _PEOPLE_UNITS:
        return None
    if _ATTENDANCE_BEFORE.search(before) or _ATTENDING_AFTER.match(after):
        return "other", "the meeting's own attendance or membership, not a result"
    folded, found = around.folded, around.found
    start = max(folded.rfind(mark, 0, found.start) for mark in _SENTENCE_MARKS) + 1
    ends = [position for mark in _SENTENCE_MARKS if (position := folded.find(mark, found.end)) >= 0]
    end = min(ends, default=len(folded))
    if _JOINING_AFTER.match(after) and _A_MEETING.search(folded, start, end):
        return "other", "the meeting's own attendance or membership, not a result"
    if not (before.endswith(_MEMBERS_BEFORE) or _MEMBERS_AFTER.match(after)):
        return None
    if _ATTENDANCE.search(folded, start, end) is None:
        return None
    return "other", "the meeting's own attendance or membership, not a result"


def _is_a_plan_title(around: _Around) -> Reason | None:
    """第十四个五年规划: the ordinal of a five-year plan in its long title (the long form of 十四五)."""
    if around.quantity.prefix == "第" and around.quantity.unit == "个" and _PLAN_TITLE_AFTER.match(around.after):
        return "name", "the ordinal in a plan's title (第十四个五年规划)"
    return None


def _is_a_ratio_base(around: _Around) -> Reason | None:
    """The 1 of an x:1 ratio (城乡居民收入比为2.31:1): the base, not a value."""
    found, folded = around.found, around.folded
    if _RATIO_BEFORE.search(around.before) is None or around.quantity.unit is not None or around.quantity.value != 1:
        return None
    if found.end < len(folded) and (folded[found.end].isdigit() or folded[found.end] in _RATIO_MARKS):
        return None  # a ratio of three parts (9.4:41.1:49.5) or more
    return "other", "the base of an x:1 ratio"


def _is_item_count(around: _Around) -> Reason | None:
    if around.quantity.unit in COUNT_UNITS and _ITEM_COUNT_AFTER.match(around.after):
        return "item_count", None
    return None


def _is_a_benchmark(around: _Around) -> Reason | None:
    """高于全省平均增速(16.8%): another area's figure, alone in brackets after its name."""
    found, text = around.found, around.text
    if found.start == 0 or text[found.start - 1] not in "(（":
        return None
    rest = fold(text[found.end:found.end + 4])
    closing = re.match(r"^(?:以上|左右|以内|以下)?[)）]", rest)
    if closing and _BENCHMARK_BEFORE.search(around.folded[:found.start - 1]):
        return "other", "another area's benchmark, in brackets"
    return None


def _is_a_capacity_in_a_name(around: _Around) -> Reason | None:
    """年产10万吨锂电材料项目, 200MW光伏电站项目: a capacity that names a project."""
    quantity = around.quantity
    names_a_project = _PROJECT_AFTER.match(around.after) is not None
    if names_a_project and (_CAPACITY_BEFORE.search(around.before) or quantity.unit in _POWER_UNITS
                            and _NAME_AFTER_NUMBER.match(around.after)):
        return "name", "a capacity in a project's name"
    return None


def _is_a_campaign_name(around: _Around) -> Reason | None:
    """三年行动, 百日攻坚: a span of time that names a campaign or plan."""
    if around.quantity.unit in _SPAN_UNITS and _CAMPAIGN_AFTER.match(around.after):
        return "name", "the name of a campaign or plan"
    return None


def _is_a_voltage_class(around: _Around) -> Reason | None:
    """220千伏变电站: a voltage names a class of lines and substations."""
    if around.quantity.unit in _VOLTAGE_UNITS and _NAME_AFTER_NUMBER.match(around.after):
        return "name", "a voltage class in a name"
    return None


def _is_an_ordinal(around: _Around) -> Reason | None:
    """第四次亲临: the Nth time something happened, not a measured quantity."""
    quantity = around.quantity
    if quantity.prefix == "第" and quantity.unit == "次":
        return "other", "TODO: check: an ordinal (the Nth time), not a measured quantity"
    return None


# In order: the first rule that speaks gives the reason; none speaks for a value. Between the two
# lists, a figure the grammar cannot read gets its reason (see _reason).
_RULES_ON_ANY_FIGURE: tuple[Callable[[str, Found], Reason | None], ...] = (
    _is_in_a_quoted_name, _is_date, _is_marked_aside,
)
_RULES_ON_A_PARSED_FIGURE: tuple[Callable[[_Around], Reason | None], ...] = (
    _is_meeting_number, _is_a_meeting_fact, _is_a_plan_title, _is_set_phrase, _is_a_list_title,
    _is_a_count_of_a_class, _is_anniversary, _is_a_ratio_base,
    _is_chart_number, _is_vague, _is_item_count, _is_a_benchmark, _is_a_capacity_in_a_name, _is_a_campaign_name,
    _is_a_voltage_class, _is_an_ordinal, _is_a_number_in_a_name,
)
_UNREADABLE: Reason = ("other", "TODO: the grammar cannot read this figure")


def not_recorded_reasons(text: str, folded: str, facts: MeetingFacts, figures: list[Found]) -> list[Reason | None]:
    """For each figure, a guessed reason why it is not an achievement or target, or None for a record
    stub (which only a figure the grammar reads can be)."""
    class_starts = frozenset(found.start for found in figures if found.aside == Aside.class_threshold)
    return [_reason(text, folded, found, facts, class_starts) for found in figures]


def _reason(text: str, folded: str, found: Found, facts: MeetingFacts, class_starts: frozenset[int]) -> Reason | None:
    for rule in _RULES_ON_ANY_FIGURE:
        reason = rule(text, found)
        if reason is not None:
            return reason
    if found.quantity is None:
        return _UNREADABLE
    around = _Around(text, folded, found, found.quantity, facts, class_starts)
    for parsed_rule in _RULES_ON_A_PARSED_FIGURE:
        reason = parsed_rule(around)
        if reason is not None:
            return reason
    return None
