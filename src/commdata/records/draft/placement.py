"""Whether a figure is an achievement or a target, from the document's own cues.

A figure cited as a target in its own clause (高于…年均增长6%左右的预期目标, …3200亿元的阶段目标) is a
target whatever its sentence says. Otherwise the nearest cue before a figure in its own sentence decides
(cues.py). Where its sentence has none, a scope around it does, the innermost: a numbered heading whose
words name a part (二、2024年工作安排), a numbered list (一是, 二是…; (一); 第一，; 1.) whose introducing
sentence has a cue or announces the work to be done (抓好以下工作。), or an announcement (主要预期目标是：,
主要成绩如下：) up to the end of its sentence, over the item lines after it, or over the short sentences
without a cue of their own that follow it in its line (目标是：增长6%左右。收入增长5%。). Nothing else
carries over: an early 全会指出 in a press report does not make every later result a target. Where
nothing speaks, a figure is an achievement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from commdata.domain.quantities import fold
from commdata.records.draft.cues import ACHIEVEMENTS, TARGETS, Cues
from commdata.records.draft.meeting import MeetingFacts
from commdata.records.draft.numbering import (DIGIT_ITEM, DIGIT_SUBHEADING, ITEM, ORDINAL, SUBHEADING, heading_after,
                                              item_series)
from commdata.records.draft.quotes import CLAUSE_MARKS
from commdata.records.draft.spans import Spans

_SENTENCE_END = re.compile(r"[。！？!?]|(?<![0-9])\.(?![0-9])")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
_HEADING_PAST = ("执行情况", "完成情况", "回顾", "主要成绩", "成效", "进展情况")
_HEADING_TARGET = ("安排", "计划草案", "目标", "任务", "打算", "思路", "重点工作", "建议")
_LIST_REACH = 2  # the last item of a numbered list runs at most twice the longest item before it
# 主要预期目标是： opens a list of targets, 主要成绩如下： one of results: it runs to the end of its
# sentence, or over the item lines that follow when the colon ends its line.
_ITEM_LINE = 80  # characters: a line longer than this is a paragraph, not an item of a list
_ANNOUNCEMENT = re.compile(
    r"(?P<targets>目标|指标|任务|安排|(?:做好|抓好)[^，,。；;：:]{0,8}工作)(?:是|为|如下)?[:：]"
    r"|(?P<achievements>成绩|成效|成果)(?:是|如下)?[:：]")
# A sentence that starts by looking back on what came before it (这些目标, 上述任务, 此外) is no item.
_LOOKING_BACK = ("这", "此", "上述", "以上", "该", "同时", "此外", "另外", "总之")
# A sentence that announces the work to be done (抓好以下工作。, 重点做好四个方面工作。) introduces a list
# of targets even where no colon follows it (一是…。二是…。).
_WORK_ANNOUNCED = re.compile(r"(?:做好|抓好|抓实|抓牢|推进|落实)(?!了)[^，,。；;：:]{0,10}(?:工作|任务)")
# A figure cited as a target in a sentence of results: the cue comes after it, in its clause (高于年均增长
# 6%左右的预期目标, 实现“十四五”中期3200亿元的阶段目标, 规划年均增长6.5%的要求).
_TARGET_AFTER = re.compile(r"(?:左右|以上|以内|以下|上下)?的[^，,。；;：:的]{0,6}?(?:目标|要求)")


@dataclass(frozen=True)
class _Scope:
    start: int
    end: int
    part: str


class Placement:
    """Achievement or target for any position of a text, from the text's own cues (see above)."""

    def __init__(self, text: str, facts: MeetingFacts, line_starts: Iterable[int] = ()) -> None:
        self.folded = fold(text)
        self.sentence_starts = [0] + [match.end() for match in _SENTENCE_END.finditer(self.folded)]
        self.spans = Spans(self.folded)
        self.cues = Cues(self.folded, facts)
        lines = sorted(set(line_starts))
        self.scopes = self._heading_scopes(set(lines)) + self._list_scopes() + self._announcement_scopes(lines)

    def part_at(self, position: int, end: int | None = None) -> str:
        """The part of a figure at ``position`` (ending at ``end``, where a cue after it may speak)."""
        if end is not None and _TARGET_AFTER.match(self.folded, end):
            return TARGETS
        spoken = self.cues.part_before(self._sentence_start(position), position)
        if spoken is not None:
            return spoken
        governing = [scope for scope in self.scopes if scope.start <= position < scope.end]
        if governing:  # the innermost: the one that starts last
            return max(governing, key=lambda scope: scope.start).part
        return ACHIEVEMENTS

    def year_at(self, position: int) -> int | None:
        """The year its sentence names before ``position``, if any."""
        return self.cues.year_before(self._sentence_start(position), position)

    def span_start_at(self, position: int, last_year: int) -> int | None:
        """The first year of a span of years its sentence names before ``position``, ending ``last_year``."""
        return self.spans.start_year(self._sentence_start(position), position, last_year)

    def _sentence_start(self, position: int) -> int:
        return self.sentence_starts[max(0, bisect_right(self.sentence_starts, position) - 1)]

    def _heading_scopes(self, line_starts: set[int]) -> list[_Scope]:
        """Numbered headings (一、 at level 1, (一) at level 2) whose words name a part: their section."""
        headings = []
        starts = line_starts | set(self.sentence_starts)
        for match in _HEADING.finditer(self.folded):
            if match.start() in starts:
                headings.append((match.start(), 1 if match[0].endswith("、") else 2, self._heading_part(match)))
        scopes = []
        for index, (start, level, part) in enumerate(headings):
            end = next((other for other, other_level, _ in headings[index + 1:] if other_level <= level),
                       len(self.folded))
            if part is not None:
                scopes.append(_Scope(start, end, part))
        return scopes

    def _heading_part(self, match: re.Match[str]) -> str | None:
        heading = heading_after(self.folded, match.end())
        if any(word in heading for word in _HEADING_PAST):
            return ACHIEVEMENTS
        if any(word in heading for word in _HEADING_TARGET):
            return TARGETS
        return self.cues.part_before(match.end(), match.end() + len(heading))

    def _announcement_scopes(self, lines: list[int]) -> list[_Scope]:
        scopes = []
        for match in _ANNOUNCEMENT.finditer(self.folded):
            part = TARGETS if match["targets"] else ACHIEVEMENTS
            end = max(self._sentence_end(match.end()), self._items_end(match.end(), lines),
                      self._item_sentences_end(match.end(), lines))
            scopes.append(_Scope(match.start(), end, part))
        return scopes

    def _item_sentences_end(self, colon_end: int, lines: list[int]) -> int:
        """Where the items after a colon inside a line stop, when they are written as sentences of their
        own (目标是：增长6%左右。收入增长5%。): at the end of the line, at a sentence longer than an item,
        at the first sentence with a cue of its own, or at one that looks back on the list (这些目标…)."""
        line_end = next((start for start in lines if start > colon_end), len(self.folded))
        end = self._sentence_end(colon_end)
        while end < line_end:
            following = self._sentence_end(end)
            if (following - end > _ITEM_LINE or following > line_end or self.cues.part_before(end, following)
                    or self.folded.startswith(_LOOKING_BACK, end)):
                break
            end = following
        return end

    def _sentence_end(self, position: int) -> int:
        following = bisect_right(self.sentence_starts, position)
        return self.sentence_starts[following] if following < len(self.sentence_starts) else len(self.folded)

    def _items_end(self, colon_end: int, lines: list[int]) -> int:
        """Where the items after a colon that ends its line stop: at the first line that is not an
        item (short, ending in a clause or sentence mark). A colon inside a line opens no such list."""
        if colon_end not in lines:
            return colon_end
        bounds = lines[lines.index(colon_end):] + [len(self.folded)]
        end = colon_end
        for start, stop in zip(bounds, bounds[1:]):
            line = self.folded[start:stop]
            if not line or len(line) > _ITEM_LINE or line[-1] not in CLAUSE_MARKS:
                break
            end = stop
        return end

    def _list_scopes(self) -> list[_Scope]:
        """Numbered lists (一是, 二是…; (一), (二)…; 第一，第二，…; 1. 2.…) introduced by a sentence with a
        cue, or one that announces the work to be done (抓好以下工作。): the items hold that part."""
        scopes = []
        for markers in [series for marker in (ITEM, SUBHEADING, ORDINAL, DIGIT_ITEM, DIGIT_SUBHEADING)
                        for series in item_series(self.folded, marker)]:
            items = [marker.start() for marker in markers]
            first = items[0]
            sentence = self._sentence_start(first)
            introduction = sentence if sentence < first else self._sentence_start(first - 1)
            part = self.cues.part_before(introduction, first)
            if part is None and _WORK_ANNOUNCED.search(self.folded, introduction, first):
                part = TARGETS
            if part is None:
                continue
            longest = max(later - earlier for earlier, later in zip(items, items[1:]))
            end = min(items[-1] + _LIST_REACH * longest, len(self.folded))
            scopes.append(_Scope(first, end, part))
        return scopes
