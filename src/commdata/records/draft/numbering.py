"""Numbered lists in a text: items 一是, 二是…, subheadings (一), (二)…, ordinals 第一，… and item numbers
1. 2.… or (1) (2)…, and the words of a heading.

Placement reads a list's introduction for the part its items hold; sections.py makes each item of a
list a section of the meeting.
"""

from __future__ import annotations

import re

from commdata.domain.quantities import chinese_numeral

ITEM = re.compile(r"([一二三四五六七八九十]{1,2})是")
SUBHEADING = re.compile(r"[（(]([一二三四五六七八九十]{1,2})[)）]")  # (一) (二)…: items of a list too
# 第一，第二，… at the start of a clause, and 1. 2. (1、 2、, (1) (2)) before an item's words: lists too.
ORDINAL = re.compile(r"(?:(?<=[：:；;。！？!?])|^)第([一二三四五六七八九十]{1,2})[，,、]")
DIGIT_ITEM = re.compile(r"(?<![0-9.])([0-9]{1,2})[.、](?=[\u4e00-\u9fff“])")
DIGIT_SUBHEADING = re.compile(r"[（(]([0-9]{1,2})[)）](?=[\u4e00-\u9fff“])")
_HEADING_END = re.compile(r"[，。；,;]")


def item_series(folded: str, marker: re.Pattern[str] = ITEM) -> list[list[re.Match[str]]]:
    """Each numbered list's item markers (一是, 二是…), in order; a list starts again at 一是."""
    series: list[list[re.Match[str]]] = []
    expected = 1
    for match in marker.finditer(folded):
        try:
            number = int(match[1]) if match[1].isdigit() else chinese_numeral(match[1])
        except ValueError:
            continue
        if number == 1:
            series.append([match])
            expected = 2
        elif number == expected and series:
            series[-1].append(match)
            expected += 1
    return [items for items in series if len(items) > 1]


def heading_after(text: str, start: int) -> str:
    """The words of a heading or item from ``start`` up to the first comma, full stop or semicolon."""
    stop = _HEADING_END.search(text, start)
    return text[start:stop.start() if stop else len(text)]
