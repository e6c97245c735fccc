"""The words by which a document says whether a sentence reports results or sets targets.

A cue sets the part of its own sentence from where it stands (a nearer cue wins): 力争, 将, 要, a
later year for targets; 已, 去年, 一年来, the year reviewed for achievements. Comparison words (同比,
比上年, 完成…) say "result" only where no other cue speaks: a target list may compare with last year
too. Some words are cues only outside the words they are part of (重要, 将近, 发展计划…) or in one of
their senses: 计划 the verb (计划实施) sets targets, 计划 the noun (完成年度计划的106%) does not; 争取
with funds or projects (争取上级资金) reports what was obtained, 争取达到 aspires. A meeting that
requires or stresses (全会要求, 会议强调) deploys work. This module finds the cues of a text;
placement.py decides what they govern.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from commdata.records.draft.meeting import MeetingFacts

ACHIEVEMENTS, TARGETS = "achievements", "targets"
_COMPARISON = "comparison"  # a result unless something else speaks

_TARGET_CUES = ("力争", "确保", "争取", "力求", "预期目标", "主要目标", "目标是", "目标为", "目标:", "目标：",
                "指标是", "指标为", "工作安排", "计划草案", "计划", "将", "要", "明年", "下半年", "下一步", "今后",
                "部署", "号召", "全会要求", "会议要求", "大会要求", "全会强调", "会议强调", "大会强调")
_PAST_CUES = ("预计", "已经", "已", "上半年", "今年以来", "去年", "上年", "过去", "一年来",
              "执行情况", "完成情况", "充分肯定", "一致认为", "认为", "回顾")
_COMPARISON_CUES = ("同比", "比上年", "较上年", "与上年", "上年同期", "比去年", "较去年", "与去年", "累计", "完成", "实现",
                    "达到")
_GUARDED_CUES = {  # words that are cues only outside the words they are part of (重要, 将近, 发展计划…)
    "要": r"(?<![重主需首必只纲摘紧显次想])要(?![素点件闻害地塞求])",
    "将": r"将(?!近|军|领|士)",
    # 计划 the verb (计划实施, 全年计划新建) sets targets; 计划 the noun (完成年度计划的106%, 比年初计划
    # 目标低, 按计划推进, 超额完成计划) names the plan a result is measured against.
    "计划": r"(?<!发展)(?<!年度)(?<!年初)(?<!原)(?<!按)(?<!比)(?<!较)计划"
          r"(?!执行|单列|总投资|投资|的|目标|任务|进度|指标|数|[，,。；;：:、)）])",
    # 争取 + funds or projects (累计争取专项债券资金12亿元, 争取到上级资金) says what was obtained: a
    # result as much as a target, so only the other cues of its sentence or scope decide; 争取达到,
    # 争取实现 aspire.
    "争取": r"争取(?!到|上级|中央|国家|省级|省|各类|专项|资金|债券|政策|项目|补助|奖补|预算内|地方政府|一般债|超长期)",
    "已": r"(?<![而不])已",
    "确保": r"确保(?!了)",
    "部署": r"(?<!决策)(?<!工作)(?<!按照)(?<!根据)(?<!的)部署",
    "过去": r"过去的?[一二三四五六七八九十两几0-9]*年",
}
_CUE_KIND = {**{word: TARGETS for word in _TARGET_CUES}, **{word: ACHIEVEMENTS for word in _PAST_CUES},
             **{word: _COMPARISON for word in _COMPARISON_CUES}}
_CUE = re.compile("|".join(_GUARDED_CUES.get(word, re.escape(word))
                           for word in sorted(_CUE_KIND, key=len, reverse=True)))
# A year named as the time of a sentence (2024年, 今年, 明年), not a base of comparison (比2023年) nor
# the date of an event (2024年1月16日).
_YEAR = re.compile(r"(?<![0-9比较与同和])(?P<year>(?:19|20)[0-9]{2})年(?![0-9]{1,2}月[0-9]{1,2}日)|(?<![比较])(?P<this>今年)")


@dataclass(frozen=True)
class _Cue:
    at: int
    part: str  # achievements, targets, or comparison (a result unless something else speaks)
    year: int | None = None


class Cues:
    """The cues of a (folded) text, in text order."""

    def __init__(self, folded: str, facts: MeetingFacts) -> None:
        self.cues = sorted(_cues(folded, facts), key=lambda cue: cue.at)
        self.starts = [cue.at for cue in self.cues]

    def part_before(self, start: int, end: int) -> str | None:
        """The part the nearest cue before ``end`` in ``text[start:end]`` sets, comparisons aside."""
        for cue in reversed(self._between(start, end)):
            if cue.part != _COMPARISON:
                return cue.part
        return None

    def year_before(self, start: int, end: int) -> int | None:
        """The last year named in ``text[start:end]``, if any."""
        years = [cue.year for cue in self._between(start, end) if cue.year is not None]
        return years[-1] if years else None

    def _between(self, start: int, end: int) -> list[_Cue]:
        low, high = bisect_right(self.starts, start - 1), bisect_right(self.starts, end - 1)
        return self.cues[low:high]


def _cues(folded: str, facts: MeetingFacts) -> Iterable[_Cue]:
    for match in _CUE.finditer(folded):
        yield _Cue(match.start(), _CUE_KIND.get(match[0]) or _CUE_KIND[_guarded_word(match[0])])
    for match in _YEAR.finditer(folded):
        year = int(match["year"]) if match["year"] else facts.date.year
        yield _Cue(match.start(), TARGETS if year > facts.review_year else ACHIEVEMENTS, year)


def _guarded_word(matched: str) -> str:
    return next(word for word in _GUARDED_CUES if word in matched)
