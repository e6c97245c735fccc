"""A synthetic corpus of plenary communiqués and curated records, for benchmarks and error-injection tests.

    python benchmarks/corpus.py --records 100000 --seed 1 --out /tmp/bench/c100k [--json FILE] [--inject all]

writes a project folder: OUT/data/package.yaml, OUT/data/meetings/*.yaml (one per meeting, 100-300
records each by default) and OUT/data/sources/*.txt, which `commdata validate OUT/data` accepts.

Everything is made up (cities, admin codes, people, figures), but shaped like the real thing so that
every code path of validation runs: source texts carry PDF-like hard line breaks and spaces between
CJK characters and digits; figures have multipliers (万, 亿, 万亿…), many units and measure words,
Chinese numerals, bound words before and after (以上, 突破, 左右, 近…) and inside (余, 多), 以上 inside
names (规模以上), cumulative (累计) and aspirational (力争) wording, clauses with two figures sharing one
quote, sections, and not_recorded marks for every other figure the detector finds (dates, terms…).

Each meeting is generated from its own random stream, so output is byte-identical for one seed and
size whatever --jobs is. YAML is written from string templates, not a YAML library: it is fast
(about 100k records in 9 s on one core, 4 s on two) and its layout is known, which inject.py relies
on to predict the line of every injected error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))  # so that inject.py imports from anywhere
sys.dont_write_bytecode = True  # no __pycache__ in the repository's benchmarks/ folder

from commdata.domain.models import FigureRecord  # noqa: E402
from commdata.domain.quantities import parse_figure  # noqa: E402
from commdata.domain.sources import canonical_text  # noqa: E402

try:  # the coverage check (every figure cited or marked) is new; older checkouts have no detector
    from commdata.domain.detect import find_figures
except ImportError:  # pragma: no cover
    find_figures = None
try:  # a growth figure's direction is newer still
    from commdata.domain.detect import figure_reading
except ImportError:  # pragma: no cover
    figure_reading = None

DEFAULT_PER_MEETING = (100, 300)

# --------------------------------------------------------------------------------------------------
# Vocabulary. Names never end in a numeral or a bound word, so a figure after them stands at a number
# boundary and only the bound words we place touch it.

SYLLABLES = [("云", "yun"), ("湖", "hu"), ("青", "qing"), ("山", "shan"), ("江", "jiang"), ("河", "he"),
             ("石", "shi"), ("林", "lin"), ("安", "an"), ("平", "ping"), ("宁", "ning"), ("东", "dong"),
             ("西", "xi"), ("南", "nan"), ("金", "jin"), ("玉", "yu"), ("泉", "quan"), ("阳", "yang"),
             ("桥", "qiao"), ("原", "yuan"), ("川", "chuan"), ("溪", "xi"), ("松", "song"), ("梅", "mei"),
             ("兰", "lan"), ("昌", "chang"), ("盛", "sheng"), ("德", "de"), ("华", "hua"), ("海", "hai")]
SURNAMES = "李王张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "明华建国志强伟军平东海涛斌磊勇杰峰宏晓玉丽红霞文彬"

# (indicator, English gloss, unit, multipliers, low, high, decimals, verb between name and figure)
QUANTITIES = [
    ("地区生产总值", "gross regional product", "元", ("亿",), 300, 9000, 1, "达到"),
    ("全市经济总量", "total economic output", "元", ("万亿",), 1, 3, 2, "达到"),
    ("一般公共预算收入", "general public budget revenue", "元", ("亿",), 20, 900, 1, "完成"),
    ("社会消费品零售总额", "total retail sales of consumer goods", "元", ("亿",), 100, 4000, 1, "达到"),
    ("外贸进出口总额", "total foreign trade", "元", ("亿",), 50, 3000, 1, "达到"),
    ("实际使用外资", "foreign investment actually used", "美元", ("亿",), 1, 90, 2, "达到"),
    ("新增城镇就业", "new urban jobs", "人", ("万",), 1, 12, 2, ""),
    ("新增经营主体", "new business entities", "户", ("万",), 1, 20, 1, ""),
    ("打通断头路", "dead-end roads connected", "条", (None,), 5, 90, 0, ""),
    ("新续建市政道路", "municipal roads built or continued", "条", (None,), 10, 120, 0, ""),
    ("新续建中小学、幼儿园", "schools and kindergartens built or continued", "所", (None,), 5, 80, 0, ""),
    ("新建口袋公园和社区游园", "pocket parks and community gardens built", "个", (None,), 20, 400, 0, ""),
    ("建成城市绿道", "urban greenways built", "公里", (None,), 10, 300, 0, ""),
    ("完成营造林", "afforestation completed", "亩", ("万",), 1, 150, 1, ""),
    ("新建高标准农田", "high-standard farmland built", "亩", ("万",), 1, 60, 1, ""),
    ("粮食产量", "grain output", "吨", ("万",), 20, 700, 1, "达到"),
    # Written 1200万人次 or 1200万余人次; records take number, multiplier and unit from parse_figure.
    ("接待国内外游客", "tourist visits", "人次", ("万",), 300, 9000, 0, ""),
    ("接待过夜游客", "overnight tourist visits", "人次", ("千万",), 1, 9, 1, ""),
    ("实现旅游总收入", "tourism revenue", "元", ("亿",), 50, 2000, 1, ""),
    ("新增高新技术企业", "new high-tech enterprises", "家", (None,), 30, 800, 0, ""),
    ("培育专精特新中小企业", "specialised and innovative SMEs fostered", "家", (None,), 10, 300, 0, ""),
    ("新引进亿元以上项目", "projects of 100 million yuan or more brought in", "个", (None,), 20, 500, 0, ""),
    ("新开工重大项目", "major projects started", "个", (None,), 20, 400, 0, ""),
    ("改造城镇老旧小区", "old urban residential compounds renovated", "个", (None,), 30, 600, 0, ""),
    ("筹建保障性租赁住房", "affordable rental flats raised", "套", ("万",), 1, 8, 2, ""),
    ("新增养老床位", "new elderly-care beds", "张", (None,), 200, 5000, 0, ""),
    ("新建5G基站", "5G base stations built", "个", (None,), 300, 9000, 0, ""),
    ("新增充电桩", "new charging posts", "个", (None,), 500, 20000, 0, ""),
    ("新增新能源装机", "new renewable generating capacity", "千瓦", ("万",), 10, 900, 0, ""),
    ("完成发电量", "electricity generated", "千瓦时", ("亿",), 10, 900, 1, ""),
    ("港口集装箱吞吐量", "port container throughput", "标准箱", ("万",), 10, 900, 1, "达到"),
    ("高速公路通车里程", "expressway length open to traffic", "公里", (None,), 100, 1500, 0, "达到"),
    ("治理水土流失面积", "soil erosion area treated", "平方公里", (None,), 50, 900, 0, ""),
    ("新增城市供热面积", "new urban heated floor area", "平方米", ("万",), 50, 900, 0, ""),
    ("发放创业担保贷款", "start-up guaranteed loans issued", "元", ("亿",), 1, 30, 2, ""),
    ("吸引高校毕业生留城就业", "graduates staying to work", "名", ("万",), 1, 9, 1, ""),
    ("完成农村户厕改造", "rural household toilets upgraded", "户", (None,), 1000, 50000, 0, ""),
    ("新开通公交线路", "new bus routes", "条", (None,), 5, 60, 0, ""),
    ("新增停车泊位", "new parking spaces", "个", ("万",), 1, 9, 1, ""),
    ("开行中欧班列", "China-Europe freight train runs", "车次", (None,), 100, 2000, 0, ""),
    ("完成货物运输量", "freight transported", "吨", ("亿",), 1, 9, 2, ""),
    ("新增固定宽带用户", "new fixed broadband users", "户", ("万",), 1, 50, 1, ""),
]
# (indicator ending in 增长/下降…, gloss, unit, low, high, decimals)
GROWTHS = [
    ("地区生产总值增长", "GDP growth", "%", 3, 9, 1),
    ("规模以上工业增加值增长", "growth of value added of industry above designated size", "%", 3, 15, 1),
    ("固定资产投资增长", "fixed-asset investment growth", "%", 2, 20, 1),
    ("社会消费品零售总额增长", "retail sales growth", "%", 2, 12, 1),
    ("一般公共预算收入增长", "budget revenue growth", "%", 2, 15, 1),
    ("外贸进出口总额增长", "foreign trade growth", "%", 2, 40, 1),
    ("单位地区生产总值能耗下降", "fall in energy use per unit of GDP", "%", 1, 5, 1),
    ("数字经济核心产业增加值增长", "growth of the core digital economy", "%", 5, 30, 1),
    ("实际使用外资增长", "growth of foreign investment used", "倍", 1, 4, 1),
    ("居民收入增速高于经济增速", "income growth above GDP growth", "个百分点", 0.2, 2, 1),
]
# Two figures in one clause: one quote, two records.
PAIRS = [
    ("城镇、农村居民人均可支配收入分别增长", ("城镇居民人均可支配收入增长", "urban per-capita disposable income growth"),
     ("农村居民人均可支配收入增长", "rural per-capita disposable income growth")),
    ("接待国内游客人数、实现国内旅游收入分别增长", ("国内游客人数增长", "growth of domestic tourist numbers"),
     ("国内旅游收入增长", "growth of domestic tourism revenue")),
    ("进口、出口分别增长", ("进口增长", "import growth"), ("出口增长", "export growth")),
]
# (indicator, gloss, words before the figure, low, high, decimals, target bound words)
SHARES = [
    ("城镇调查失业率", "surveyed urban unemployment rate", "控制在", 4.5, 5.8, 1, ("以内", "左右")),
    ("森林覆盖率", "forest coverage", "达到", 15, 45, 1, ("以上", "")),
    ("空气质量优良天数比例", "share of days with good air quality", "达到", 70, 95, 1, ("以上", "")),
    ("研发经费投入强度", "R&D spending as a share of GDP", "达到", 1, 3.5, 2, ("以上", "左右")),
    ("常住人口城镇化率", "urbanisation rate", "达到", 50, 80, 1, ("以上", "左右")),
    ("产业集群产值占规模以上工业总产值比重", "share of the industrial clusters in industrial output",
     "产业集群产值占全市规模以上工业总产值的", 40, 95, 0, ("以上", "")),
]
# (indicator, gloss, words before the figure, unit, low, high)
RANKS = [
    ("创新能力指数全国排名", "national rank of the innovation index", "全市创新能力指数上升到全国", "位", 10, 100),
    ("城市综合竞争力全省排名", "provincial rank in urban competitiveness", "城市综合竞争力跃居全省", "位", 1, 12),
    ("营商环境评价全省排名", "provincial rank in the business-environment evaluation", "营商环境评价位列全省", "名", 1, 12),
]
STREAKS = [
    ("粮食产量连丰", "consecutive good grain harvests", "粮食生产实现", "连丰"),
    ("全国文明城市测评连冠", "consecutive wins of the national civilised-city assessment", "蝉联全国文明城市测评", "连冠"),
    ("地方财政收入连增", "consecutive rises in local fiscal revenue", "地方财政收入实现", "连增"),
]
TITLES = [  # designations and goals; 十强 is a figure the detector finds inside a name
    ("国家森林城市", "National Forest City"), ("全国文明城市", "National Civilised City"),
    ("陆港型国家物流枢纽", "dry-port national logistics hub"), ("国家生态园林城市", "National Ecological Garden City"),
    ("国家现代流通战略支点城市", "national strategic pivot city for modern distribution"),
    ("全国供应链创新与应用示范城市", "national supply-chain innovation demonstration city"),
    ("全国民族团结进步示范市", "national model city of ethnic unity"), ("国家卫生城市", "National Hygienic City"),
    ("全国双拥模范城", "national model city for mutual support of army and civilians"),
    ("国家历史文化名城", "national famous historical and cultural city"),
    ("国家全域旅游示范区", "national all-for-one tourism demonstration zone"),
    ("全国旅游集团优选投资十强城市", "top ten cities for tourism-group investment"),
    ("国家综合货运枢纽补链强链城市", "national freight hub chain-strengthening city"),
    ("国家知识产权强市建设示范城市", "national intellectual-property demonstration city"),
]
PROJECTS = [
    ("城市轨道交通一号线", "metro line 1"), ("综合保税区", "comprehensive bonded zone"),
    ("区域医疗中心", "regional medical centre"), ("城市大脑", "city brain platform"),
    ("市民服务中心", "citizen service centre"), ("城市供热环网", "urban heating ring network"),
    ("跨境电商综合试验区", "cross-border e-commerce pilot zone"), ("数据中心集群", "data-centre cluster"),
    ("国际航空货运枢纽", "international air-cargo hub"), ("科创走廊", "science and innovation corridor"),
    ("现代农业产业园", "modern agricultural industrial park"), ("城市新图书馆", "new city library"),
    ("污水处理厂提标改造", "sewage plant upgrade"), ("东部新区路网", "eastern new district road network"),
]
FILLERS = ["强化考核管理", "严防金融风险", "持续优化营商环境", "深入推进作风建设", "压紧压实安全生产责任",
           "扎实推进共同富裕", "着力扩大有效需求", "坚决守住耕地红线", "提升基层治理效能", "营造风清气正的政治生态"]
ACHIEVEMENT_HEADINGS = [
    "全力培育现代产业集群", "全力打造区域科技创新中心", "全力建设宜居宜业和美城市", "全力巩固生态安全屏障",
    "全力推进乡村全面振兴", "全力深化重点领域改革", "全力扩大高水平对外开放", "全力办好民生实事",
    "全力防范化解重大风险", "全力推进城市更新行动", "全力繁荣发展文化事业", "全力推进“五个大起底”行动",
    "全力优化营商环境", "全力推动消费提质扩容",
]
TARGET_HEADINGS = [
    "持之以恒抓科技提升、抓产业集聚", "激发投资效益、消费潜力", "切实把改革动力转化为经济活力",
    "全方位打开开放发展新局面", "牢牢守住不发生系统性风险底线", "全力打造现代农业新模式",
    "推动向现代化区域中心城市目标迈进", "扮靓生态最美底色", "切实保障和改善民生", "加快建设现代化产业体系",
    "着力提升城市能级", "大力推进数字经济发展", "深入实施人才强市战略", "统筹发展和安全",
]
_ALL_HEADINGS = ACHIEVEMENT_HEADINGS + TARGET_HEADINGS
assert not any(a != b and a in b for a in _ALL_HEADINGS for b in _ALL_HEADINGS), "a heading inside another"

BOUND_WORDS = {"以上": "at_least", "左右": "about", "以内": "at_most", "不超过": "at_most", "突破": "more_than",
               "超过": "more_than", "约": "about", "近": "just_under"}
BEFORE = {"不超过", "突破", "超过", "约", "近"}
# Weighted bound styles; "余"/"多" sit inside the figure.
ACHIEVEMENT_QUANTITY_BOUNDS = [("", 70), ("余", 8), ("多", 3), ("近", 5), ("超过", 4), ("突破", 4), ("约", 3), ("以上", 3)]
TARGET_QUANTITY_BOUNDS = [("", 30), ("以上", 30), ("左右", 15), ("突破", 10), ("超过", 5), ("约", 5), ("不超过", 5)]
ACHIEVEMENT_GROWTH_BOUNDS = [("", 85), ("近", 5), ("超过", 5), ("以上", 5)]
TARGET_GROWTH_BOUNDS = [("", 30), ("左右", 35), ("以上", 30), ("约", 5)]
# Clause kinds and their weights per part.
ACHIEVEMENT_CLAUSES = [("quantity", 50), ("growth", 16), ("pair", 6), ("share", 8), ("rank", 4), ("streak", 3),
                       ("designation", 9), ("qualitative", 4)]
TARGET_CLAUSES = [("quantity", 50), ("growth", 16), ("pair", 4), ("share", 8), ("rank", 3),
                  ("qualitative", 19)]

CN_DIGITS = "零一二三四五六七八九"

# Newer models want an indicator code from a codebook (data/indicators.yaml) on every measured figure;
# older ones refuse the field. Follow whichever model is installed.
WITH_CODES = "indicator_code" in FigureRecord.model_fields
MEASURED = {"quantity", "share", "growth", "rank", "streak"}


TO_DATE = "to_date"  # the code of a quantity written with 累计: a stock, not the year's flow
MEASURES = {"quantity": "flow", TO_DATE: "stock", "growth": "growth", "share": "share", "rank": "rank",
            "streak": "count"}


def _code(kind: str, gloss: str) -> str:
    """A codebook code (area.measure, ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$) from the English gloss."""
    slug = re.sub(r"[^a-z0-9]+", "_", gloss.lower()).strip("_")
    return f"{kind}.{'n' + slug if slug[0].isdigit() else slug}"


def _codebook() -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, indicator) → codebook entry, with every unit the grammar can read off its figures."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}

    def add(kind: str, name: str, gloss: str, units: list[str]) -> None:
        canonical, *others = list(dict.fromkeys(units))
        entries[(kind, name)] = {"code": _code(kind, gloss), "name": name, "name_en": gloss,
                                 "measure": MEASURES[kind], "unit": canonical,
                                 "also_written": sorted(set(others)), "definition": f"{gloss} ({kind}), as written",
                                 "definition_zh": f"{name}（合成数据）",
                                 "kept_unused": "a synthetic codebook holds every indicator the generator can write"}
        if kind == "rank":
            entries[(kind, name)]["ranking"] = {"publisher": "合成数据研究所", "title": "合成排名"}

    for name, gloss, unit, multipliers, *_ in QUANTITIES:
        units = [unit] + [parse_figure(f"12{m or ''}{approx}{unit}").unit for m in multipliers for approx in ("", "余")]
        add("quantity", name, gloss, units)
        add(TO_DATE, name, f"{gloss} to date", units)  # 累计…: a level to date, another indicator
    for name, gloss, unit, *_ in GROWTHS:
        add("growth", name, gloss, [unit])
    for _, *pair in PAIRS:
        for name, gloss in pair:
            add("growth", name, gloss, ["%"])
    for name, gloss, *_ in SHARES:
        add("share", name, gloss, ["%"])
    for name, gloss, _, unit, *_ in RANKS:
        add("rank", name, gloss, [unit])
    for name, gloss, _, unit in STREAKS:
        add("streak", name, gloss, [unit])
    assert len({entry["code"] for entry in entries.values()}) == len(entries), "two indicators share a code"
    return entries


CODEBOOK = _codebook()


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (十三, 二十一), as in 第十三届 and 二是."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _number(rng: random.Random, low: float, high: float, decimals: int) -> str:
    text = f"{rng.uniform(low, high):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _decimal_text(value: Any) -> str:
    """An exact decimal as plain text without exponent or trailing zeros (12600, 5.63)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=200_000)
def _parsed(figure: str) -> tuple[str, str | None, str | None, str]:
    """(number, multiplier, unit, value) as commdata's grammar reads the figure: the source of truth."""
    quantity = parse_figure(figure)
    return _decimal_text(quantity.number), quantity.multiplier, quantity.unit, _decimal_text(quantity.value)


# --------------------------------------------------------------------------------------------------
# One meeting: its source text and records.

@dataclass(frozen=True)
class MeetingSpec:
    """Everything the plan decides about a meeting; the rest comes from its own random stream."""

    seed: int
    index: int
    admin_code: str
    place: str
    place_en: str
    slug: str
    term: int
    plenary: int
    year: int
    month: int
    day: int
    achievements: int
    targets: int

    @property
    def meeting_id(self) -> str:
        return f"{self.admin_code}-cpc-c{self.term:02d}-p{self.plenary:02d}"


@dataclass
class Doc:
    """A generated meeting: the YAML content as ordered dicts, and the source bytes and canonical text.

    Record dicts keep private keys starting with "_" (figure start, shared quote) for inject.py; the
    renderers skip them. inject.py may also set the *_mode fields and ``yaml_hooks``."""

    spec: MeetingSpec
    source: dict[str, Any]
    meeting: dict[str, Any]
    achievements: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    not_recorded: list[dict[str, Any]]
    raw: bytes
    text: str
    draft: bool = False
    file_mode: str = "file"  # file, directory (unreadable), empty, large
    source_mode: str = "file"  # file, symlink (leaves the data folder)
    yaml_hooks: list[Callable[[list[str]], list]] = field(default_factory=list)  # edits of the emitted lines
    used: set = field(default_factory=set)  # (part, index) already injected

    @property
    def file_name(self) -> str:
        return f"meetings/{self.spec.meeting_id}.yaml"


class _Text:
    """The canonical text under construction, with the offset of everything appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.titles: set[str] = set()  # designations and projects named so far: a meeting names each once

    def add(self, piece: str) -> int:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start

    def value(self) -> str:
        return "".join(self.parts)


class _Writer:
    """Writes the clauses of one part: the text, and a record for every figure or result in it."""

    def __init__(self, rng: random.Random, text: _Text, spec: MeetingSpec, part: str, period: int) -> None:
        self.rng, self.text, self.spec, self.part, self.period = rng, text, spec, part, period
        self.records: list[dict[str, Any]] = []
        self.letter = "a" if part == "achievements" else "t"
        self.is_target = part == "targets"

    def clauses(self, count: int, section: str | None) -> list[str]:
        """Clauses holding ``count`` records (plus a few exhortations that hold none)."""
        rng, pieces, left = self.rng, [], count
        while left > 0:
            if rng.random() < 0.12:
                pieces.append(rng.choice(FILLERS))
                continue
            kind = _weighted(rng, TARGET_CLAUSES if self.is_target else ACHIEVEMENT_CLAUSES)
            if kind == "pair" and left < 2:
                kind = "growth"
            pieces.append((kind, section))
            left -= 2 if kind == "pair" else 1
        return pieces

    def emit(self, pieces: list, separator: str = "，") -> None:
        """Append the clauses to the text, joined by ，, creating their records at the right offsets."""
        for position, piece in enumerate(pieces):
            if position:
                self.text.add(separator)
            if isinstance(piece, str):
                self.text.add(piece)
            else:
                getattr(self, "_" + piece[0])(piece[1])

    # Each clause writer appends its text and its record(s).
    def _record(self, section: str | None, indicator: str, indicator_en: str, kind: str, quote: str, start: int,
                figure: str | None = None, figure_offset: int = 0, bound: str | None = None,
                shared: bool = False) -> None:
        record: dict[str, Any] = {"id": f"{self.spec.meeting_id}-{self.letter}{len(self.records) + 1:03d}"}
        if section is not None:
            record["section"] = section
        record["period"] = self.period
        record["indicator"] = indicator
        record["indicator_en"] = indicator_en
        if WITH_CODES and kind in MEASURED:
            to_date = kind == "quantity" and "累计" in quote
            record["indicator_code"] = CODEBOOK[(TO_DATE if to_date else kind, indicator)]["code"]
        record["kind"] = kind
        if figure is not None:
            number, multiplier, unit, value = _parsed(figure)
            record["figure"] = figure
            record["number"] = number
            if multiplier is not None:
                record["multiplier"] = multiplier
            if unit is not None:
                record["unit"] = unit
            record["value"] = value
            record["bound"] = bound
        if "累计" in quote:
            record["cumulative"] = True
        if self.is_target and ("力争" in quote or "争取" in quote or "争创" in quote):
            record["aspirational"] = True
        record["quote"] = quote
        record["quote_start"] = start
        record["quote_end"] = start + len(quote)
        record["_figure_start"] = start + figure_offset if figure is not None else None
        record["_shared"] = shared
        self.records.append(record)

    def _lead(self) -> str:
        """累计 or 力争/争取 in front of a clause, now and then."""
        roll = self.rng.random()
        if not self.is_target:
            return "累计" if roll < 0.08 else ""
        return "力争" if roll < 0.12 else "争取" if roll < 0.18 else ""

    def _quantity(self, section: str | None) -> None:
        rng = self.rng
        name, gloss, unit, multipliers, low, high, decimals, verb = rng.choice(QUANTITIES)
        multiplier = rng.choice(multipliers) or ""
        word = _weighted(rng, TARGET_QUANTITY_BOUNDS if self.is_target else ACHIEVEMENT_QUANTITY_BOUNDS)
        integer = word in ("余", "多") and not multiplier
        number = _number(rng, low, high, 0 if integer else decimals)
        if not multiplier and "." not in number and int(number) >= 1000 and rng.random() < 0.05:
            number = f"{int(number):,}"  # 1,500: thousands separators occur in some texts
        figure = number + multiplier + (word if word in ("余", "多") else "") + unit
        before = word if word in BEFORE else verb
        after = word if word and word not in BEFORE and word not in ("余", "多") else ""
        head = self._lead() + name + before
        bound = "more_than" if word in ("余", "多") else BOUND_WORDS.get(word, "exact")
        self._clause(section, name, gloss, "quantity", head, figure, after, bound)

    def _growth(self, section: str | None) -> None:
        rng = self.rng
        name, gloss, unit, low, high, decimals = rng.choice(GROWTHS)
        word = _weighted(rng, TARGET_GROWTH_BOUNDS if self.is_target else ACHIEVEMENT_GROWTH_BOUNDS)
        figure = _number(rng, low, high, decimals) + unit
        head = ("力争" if self.is_target and rng.random() < 0.15 else "") + name + (word if word in BEFORE else "")
        after = word if word and word not in BEFORE else ""
        self._clause(section, name, gloss, "growth", head, figure, after, BOUND_WORDS.get(word, "exact"))

    def _share(self, section: str | None) -> None:
        rng = self.rng
        name, gloss, before, low, high, decimals, target_words = rng.choice(SHARES)
        after = rng.choice(target_words) if self.is_target else ""
        figure = _number(rng, low, high, decimals) + "%"
        head = name + before if not before.startswith("产业集群") else before
        self._clause(section, name, gloss, "share", head, figure, after, BOUND_WORDS.get(after, "exact"))

    def _rank(self, section: str | None) -> None:
        rng = self.rng
        name, gloss, before, unit, low, high = rng.choice(RANKS)
        rank = rng.randint(low, high)
        if self.is_target and unit == "名" and rng.random() < 0.5:
            figure, before = f"前{rank}名", before.replace("位列", "进入")
        else:
            figure = "第" + (chinese_number(rank) if rank < 10 and rng.random() < 0.3 else str(rank)) + unit
        self._clause(section, name, gloss, "rank", before, figure, "", "exact")

    def _streak(self, section: str | None) -> None:
        rng = self.rng
        name, gloss, before, unit = rng.choice(STREAKS)
        count = rng.randint(3, 25)
        figure = (chinese_number(count) if rng.random() < 0.5 else str(count)) + unit
        self._clause(section, name, gloss, "streak", before, figure, "", "exact")

    def _clause(self, section: str | None, name: str, gloss: str, kind: str, head: str, figure: str, after: str,
                bound: str) -> None:
        quote = head + figure + after
        start = self.text.add(quote)
        self._record(section, name, gloss, kind, quote, start, figure, len(head), bound)

    def _pair(self, section: str | None) -> None:
        rng = self.rng
        head, (name1, gloss1), (name2, gloss2) = rng.choice(PAIRS)
        first = _number(rng, 3, 30, 1) + "%"
        second = first
        while second == first or second in first or first in second:
            second = _number(rng, 3, 30, 1) + "%"
        quote = f"{head}{first}、{second}"
        start = self.text.add(quote)
        self._record(section, name1, gloss1, "growth", quote, start, first, len(head), "exact", shared=True)
        self._record(section, name2, gloss2, "growth", quote, start, second, len(head) + len(first) + 1, "exact",
                     shared=True)

    def _title(self, choices: list[tuple[str, str]]) -> tuple[str, str]:
        """A designation or project the meeting has not named yet (after a few tries, any)."""
        for _ in range(8):
            title, gloss = self.rng.choice(choices)
            if title not in self.text.titles:
                break
        self.text.titles.add(title)
        return title, gloss

    def _designation(self, section: str | None) -> None:
        title, gloss = self._title(TITLES)
        quote = self.rng.choice(["获批", "入选", "荣获", "获评", "成功创建"]) + title
        self._record(section, title, gloss, "designation", quote, self.text.add(quote))

    def _qualitative(self, section: str | None) -> None:
        rng = self.rng
        if self.is_target and rng.random() < 0.4:
            title, gloss = self._title(TITLES)
            quote = rng.choice(["全力创建", "争创"]) + title
        else:
            title, gloss = self._title(PROJECTS)
            quote = rng.choice(["加快建设", "启动建设", "建成"] if self.is_target else ["建成", "启动建设", "完成"]) + title
        self._record(section, title, gloss, "qualitative", quote, self.text.add(quote))


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    """``total`` split over ``buckets`` unevenly (each at least 1 while there is enough)."""
    if buckets == 0:
        return []
    weights = [rng.uniform(0.5, 1.5) for _ in range(buckets)]
    counts = [int(total * weight / sum(weights)) for weight in weights]
    for index in range(total - sum(counts)):
        counts[index % buckets] += 1
    return counts


def build_meeting(spec: MeetingSpec) -> Doc:
    """Generate one meeting: canonical text, raw source bytes and every record, deterministically."""
    rng = random.Random(f"commdata-bench/{spec.seed}/{spec.index}")
    december = spec.month == 12
    target_year = spec.year + 1 if december else spec.year
    term, plenary = chinese_number(spec.term), chinese_number(spec.plenary)
    body = f"中国共产党{spec.place}第{term}届委员会"
    title = f"{body}第{plenary}次全体会议"
    joint = "暨全市经济工作会议" if december else ""
    secretary = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    mayor = rng.choice(SURNAMES) + rng.choice(GIVEN)

    text = _Text()
    text.add(f"{title}{joint}于{spec.year}年{spec.month}月{spec.day}日{'召开' if december else '举行'}。全会由市委常委会主持。"
             f"市委书记{secretary}代表市委常委会向全会报告工作。市委副书记、市长{mayor}部署{target_year}年经济工作。")
    achievements = _Writer(rng, text, spec, "achievements", spec.year if december else spec.year - 1)
    targets = _Writer(rng, text, spec, "targets", target_year)
    sections: list[dict[str, Any]] = []

    for writer, count, headings, series, opening, items_intro in (
            (achievements, spec.achievements, ACHIEVEMENT_HEADINGS, "achievements",
             "全会充分肯定过去一年的工作，认为", "一致认为，"),
            (targets, spec.targets, TARGET_HEADINGS, "key-tasks",
             f"全会提出，{target_year}年要", "全会强调，要重点抓好以下工作：")):
        if count == 0:
            continue
        numbered = max(1, min(len(headings), rng.randint(4, len(headings)), count // 12))
        intro, *per_section = _spread(count, numbered + 1, rng)
        per_section = [records for records in per_section if records]
        text.add(opening)
        writer.emit(writer.clauses(intro, None) if intro else [rng.choice(FILLERS)])
        text.add("。")
        if per_section:
            text.add(items_intro)
        for number, (heading, records) in enumerate(zip(rng.sample(headings, len(per_section)), per_section), start=1):
            section_id = f"{series}-{number}"
            sections.append({"id": section_id, "part": writer.part, "number": number, "heading": heading})
            text.add(f"{chinese_number(number)}是")
            text.add(heading)
            text.add("，")
            writer.emit(writer.clauses(records, section_id))
            text.add("。")
    text.add("全会号召，全市各级党组织和广大党员干部要更加紧密地团结在以习近平同志为核心的党中央周围，"
             "奋力谱写中国式现代化新篇章。")
    canonical = text.value()
    raw = _pdf_like(canonical, title + "公报", rng)
    # The records' offsets were counted on the text we built: it must be what commdata derives.
    assert canonical_text(raw.decode("utf-8")) == canonical + title + "公报", "canonical text drifted"
    canonical += title + "公报"
    for section in sections:
        assert canonical.find(section["heading"]) >= 0

    source_id = f"{spec.meeting_id}-communique"
    source = {"id": source_id, "title": title + "公报", "issuing_body": body}
    if rng.random() < 0.7:
        source["published_on"] = f"{spec.year}-{spec.month:02d}-{min(spec.day + 1, 28):02d}"
        source["published_in"] = f"https://example.invalid/{spec.slug}/{spec.meeting_id}.html"
    source["file"] = f"sources/{spec.slug}-{spec.meeting_id}-communique.txt"
    source["sha256"] = hashlib.sha256(raw).hexdigest()
    participants = [{"role": "presided", "name": "市委常委会"},
                    {"role": "reported", "name": secretary, "position": "市委书记", "on_behalf_of": "市委常委会"},
                    {"role": "deployed", "name": mayor, "position": "市委副书记、市长", "subject": f"{target_year}年经济工作"}]
    meeting = {"id": spec.meeting_id, "source_id": source_id, "title": title + joint, "body": body,
               "body_en": f"{_ordinal(spec.term)} {spec.place_en} Municipal Committee of the Communist Party of China",
               "admin_code": spec.admin_code, "place": spec.place, "place_en": spec.place_en, "term": spec.term,
               "plenary": spec.plenary, "kind": "plenary_session"}
    if december:
        meeting["held_jointly_with"] = "全市经济工作会议"
        meeting["held_jointly_with_en"] = "municipal economic work conference"
    meeting["date"] = f"{spec.year}-{spec.month:02d}-{spec.day:02d}"
    meeting["participants"] = participants
    meeting["sections"] = sections
    for record in achievements.records + targets.records:
        _finish(record, canonical)
    doc = Doc(spec, source, meeting, achievements.records, targets.records, [], raw, canonical)
    doc.not_recorded = not_recorded_marks(doc)
    return doc


FLAG_WORDS = ("累计", "力争", "争取", "争创")  # a quote holding one must carry its flag (cumulative, aspirational)


def _finish(record: dict[str, Any], canonical: str) -> None:
    """What the whole text decides about a record: a quote found elsewhere in the text (overlapping
    counts) takes in the characters before it until it occurs once (a clause can recur in a long synthetic
    text; the sentence and its section's heading bound it, and so does a word that would change the
    record's flags), else those after it; and a growth figure gets the direction the detector reads (up
    when the text gives none)."""
    quote, start, end = record["quote"], record["quote_start"], record["quote_end"]
    flags = [word in quote for word in FLAG_WORDS]

    def fits(first: int, last: int) -> bool:
        taken = canonical[first:last]
        return [word in taken for word in FLAG_WORDS] == flags and \
            (record.get("figure") is None or taken.count(record["figure"]) == 1)

    while _elsewhere(canonical, canonical[start:end], start) and start > 0 \
            and canonical[start - 1] not in "。：是" and fits(start - 1, end):  # not past a heading
        start -= 1
    while _elsewhere(canonical, canonical[start:end], start) and end < len(canonical) \
            and canonical[end] not in "。；" and fits(start, end + 1):
        end += 1
    record["quote"], record["quote_start"], record["quote_end"] = canonical[start:end], start, end
    if record["kind"] == "growth" and figure_reading is not None:
        read = figure_reading(canonical, record["_figure_start"], record["figure"]).direction
        items = list(record.items())
        at = [key for key, _ in items].index("bound") + 1
        record.clear()
        record.update(items[:at] + [("direction", read.value if read else "up")] + items[at:])


def _elsewhere(canonical: str, quote: str, start: int) -> bool:
    """Whether ``quote`` occurs in ``canonical`` anywhere but at ``start``, overlaps included."""
    return canonical.find(quote) != start or canonical.find(quote, start + 1) != -1


def not_recorded_marks(doc: Doc) -> list[dict[str, Any]]:
    """A mark for every figure the detector finds that no record cites: dates, terms, names…"""
    if find_figures is None:
        return []
    cited = sorted((record["_figure_start"], record["_figure_start"] + len(record["figure"]))
                   for part in (doc.achievements, doc.targets) for record in part if record.get("figure"))
    marks, position = [], 0
    for found in find_figures(doc.text):
        while position < len(cited) and cited[position][1] <= found.start:
            position += 1
        if position < len(cited) and cited[position][0] < found.end:
            continue  # a record's figure overlaps it
        if found.date_like:
            reason = "date"
        elif found.figure.startswith("第") and found.figure.endswith(("届", "次")):
            reason = "meeting_identity"
        elif found.figure in ("一年",):
            reason = "vague"
        else:
            reason = "name"  # 十强城市, “五个大起底”: a number inside a title or slogan
        marks.append({"figure": found.figure, "at": found.start, "reason": reason})
    return marks


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CJK_THEN_DIGIT = re.compile(r"(?<=[\u3400-\u9fff])(?=[0-9])")


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _pdf_like(canonical: str, title: str, rng: random.Random) -> bytes:
    """The text as a PDF extraction gives it: hard line breaks every 18-24 characters (never between
    two ASCII letters or digits, where a break would become a space), blank lines after some
    sentences, a space between a CJK character and a following digit, and the title as the last line."""
    lines, start = [], 0
    while start < len(canonical):
        end = min(len(canonical), start + rng.randint(18, 24))
        while 0 < end < len(canonical) and _is_ascii_alnum(canonical[end - 1]) and _is_ascii_alnum(canonical[end]):
            end += 1
        line = _CJK_THEN_DIGIT.sub(" ", canonical[start:end])
        lines.append(line + ("\n" if line.endswith("。") and rng.random() < 0.5 else ""))
        start = end
    return ("\n".join(lines) + "\n\n" + title + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Rendering: YAML from templates, JSON for the benchmark floor.

# Plain when the first character cannot start YAML syntax and no ": " or " #" can occur; numbers,
# dates and booleans are quoted so that they stay strings.
_PLAIN_SAFE = re.compile(r"^[\u3400-\u9fff\u201c\u3010A-Za-z0-9][^:#\n\"']*$")
_PLAIN_NUMERIC = re.compile(r"^[0-9.,]*$|^[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_RAW_KEYS = {"number", "value", "date", "published_on"}  # exact decimals, and dates as curators write them


@lru_cache(maxsize=100_000)
def _cached_scalar(text: str) -> str:
    return _scalar(text)


def _scalar(text: str) -> str:
    """A YAML scalar: plain when YAML reads it back as the same string, else double-quoted."""
    if _PLAIN_SAFE.match(text) and not _PLAIN_NUMERIC.match(text) and text.lower() not in _YAML_WORDS \
            and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _value(key: str, value: Any, flow: bool = False) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if key in _RAW_KEYS:
        return value
    if flow and any(char in value for char in ",[]{}"):
        return json.dumps(value, ensure_ascii=False)
    # Short strings (names, units, figures) repeat across records and are worth caching; quotes are not.
    return _cached_scalar(value) if len(value) < 24 else _scalar(value)


def _mapping_lines(mapping: dict[str, Any], indent: str, first: str) -> list[str]:
    """Block mapping lines; ``first`` prefixes the first key (``- `` for a list item)."""
    lines, prefix = [], first
    for key, value in mapping.items():
        if key[0] == "_" or isinstance(value, list):
            continue
        lines.append(f"{indent}{prefix}{key}: {_value(key, value)}")
        prefix = " " * len(first)
    return lines


def render_yaml(doc: Doc) -> str:
    """The meeting file as a curator would write it (same layout as the repository's files)."""
    spec, meeting = doc.spec, doc.meeting
    out = [f"# {meeting['title']} ({meeting['date']})",
           f"# Synthetic: generated by benchmarks/corpus.py (seed {spec.seed}); the city, people and figures are invented.",
           "source:", *_mapping_lines(doc.source, "  ", ""), "", "meeting:", *_mapping_lines(meeting, "  ", "")]
    out.append("  participants:")
    for participant in meeting["participants"]:
        out += _mapping_lines(participant, "    ", "- ")
    out.append("  sections:" if meeting["sections"] else "  sections: []")
    for section in meeting["sections"]:
        out += _mapping_lines(section, "    ", "- ")
    for part in ("achievements", "targets"):
        records = getattr(doc, part)
        out += ["", f"{part}:" if records else f"{part}: []"]
        for record in records:
            out += _mapping_lines(record, "  ", "- ")
    out.append("not_recorded:" if doc.not_recorded else "not_recorded: []")
    for mark in doc.not_recorded:
        out.append("  - {" + ", ".join(f"{key}: {_value(key, value, flow=True)}" for key, value in mark.items()) + "}")
    if doc.draft:
        out.append("draft: true")
    return "\n".join(out) + "\n"


def render_codebook() -> str:
    """data/indicators.yaml: every indicator the generator can write."""
    out = ["# Synthetic codebook written by benchmarks/corpus.py.", "indicators:"]
    for entry in sorted(CODEBOOK.values(), key=lambda entry: entry["code"]):
        out += _mapping_lines({key: value for key, value in entry.items() if key not in ("also_written", "ranking")},
                              "  ", "- ")
        if "ranking" in entry:
            out.append("    ranking: {" + ", ".join(f"{key}: {value}" for key, value in entry["ranking"].items()) + "}")
        if entry["also_written"]:
            out.append("    also_written: [" + ", ".join(_value("unit", unit, flow=True) for unit in entry["also_written"]) + "]")
    return "\n".join(out) + "\n"


_JSON_NUMBER = re.compile(r'"(number|value)": "([0-9.]+)"')


def render_json(doc: Doc) -> str:
    """The same meeting file as JSON (numbers as JSON numbers), for the JSON + Pydantic floor."""
    def clean(mapping: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in mapping.items() if key[0] != "_"}

    document = {"source": doc.source, "meeting": doc.meeting, "achievements": [clean(r) for r in doc.achievements],
                "targets": [clean(r) for r in doc.targets], "not_recorded": doc.not_recorded}
    return _JSON_NUMBER.sub(r'"\1": \2', json.dumps(document, ensure_ascii=False))


# --------------------------------------------------------------------------------------------------
# The plan: meetings, cities, admin codes.

def admin_code(city: int, seed: int) -> str:
    """A six-digit code matching ^[1-8][0-9]{5}$, distinct for every city below 800,000: an affine
    map modulo 800,000 with a multiplier coprime to it is a permutation."""
    offset = random.Random(f"commdata-bench/{seed}/admin").randrange(800_000)
    return str(100_000 + (city * 7_919 + offset) % 800_000)


def plan(records: int, seed: int, per_meeting: tuple[int, int] = DEFAULT_PER_MEETING) -> list[MeetingSpec]:
    """Split ``records`` over meetings of ``per_meeting`` records, and the meetings over cities, terms
    and plenaries so that every meeting id is unique."""
    low, high = per_meeting
    if not 1 <= low <= high <= 1998:
        raise ValueError("per-meeting counts must satisfy 1 <= low <= high <= 1998 (ids have three digits)")
    rng = random.Random(f"commdata-bench/{seed}/plan")
    counts, left = [], records
    while left > 0:
        counts.append(min(left, rng.randint(low, high)))
        left -= counts[-1]
    specs: list[MeetingSpec] = []
    city = 0
    while len(specs) < len(counts):
        first, second = rng.sample(SYLLABLES, 2)
        place, place_en = first[0] + second[0] + "市", (first[1] + second[1]).capitalize()
        slug = (first[1] + second[1]).lower()
        code = admin_code(city, seed)
        term, plenary, year = rng.randint(8, 16), rng.randint(1, 4), rng.randint(2014, 2019)
        for _ in range(rng.randint(1, 6)):
            if len(specs) == len(counts):
                break
            total = counts[len(specs)]
            share = rng.uniform(0.35, 0.5) if total > 1 else rng.choice([0.0, 1.0])
            achieved = min(999, round(total * share))
            targets = total - achieved
            if targets > 999:
                achieved, targets = total - 999, 999
            december = rng.random() < 0.6
            specs.append(MeetingSpec(seed, len(specs), code, place, place_en, slug, term, plenary,
                                     year, 12 if december else 1, rng.randint(20, 30) if december else rng.randint(5, 25),
                                     achieved, targets))
            plenary += 1
            year += 1
            if plenary > 9:
                term, plenary = term + 1, 1
        city += 1
    return specs


# --------------------------------------------------------------------------------------------------
# Writing a corpus.

PACKAGE_YAML = """\
name: commdata-synthetic
id: urn:uuid:{uuid}
title: Synthetic communiqué records for benchmarks (seed {seed}, {records} records)
description: Generated by benchmarks/corpus.py; every city, person and figure is invented.
version: 0.1.0
licenses:
  - name: CC0-1.0
    path: https://creativecommons.org/publicdomain/zero/1.0/
    title: CC0 1.0
contributors:
  - title: commdata benchmarks
"""


def _render(spec: MeetingSpec, with_json: bool) -> tuple[int, str, bytes, str, str, str | None]:
    doc = build_meeting(spec)
    return spec.index, doc.file_name, doc.raw, doc.source["file"], render_yaml(doc), render_json(doc) if with_json else None


def _render_star(args: tuple[MeetingSpec, bool]):
    return _render(*args)


@dataclass
class Summary:
    meetings: int = 0
    achievements: int = 0
    targets: int = 0
    not_recorded: int = 0
    yaml_bytes: int = 0
    source_bytes: int = 0
    seconds: float = 0.0


def write_corpus(out: Path, records: int, seed: int = 1, *, per_meeting: tuple[int, int] = DEFAULT_PER_MEETING,
                 jobs: int | None = None, json_path: Path | None = None, inject: list[str] | None = None,
                 manifest_path: Path | None = None) -> Summary:
    """Write the project folder ``out`` (replacing it). With ``inject``, inject those errors (see
    inject.py) and write the manifest of expected problems (default: out/injected.json)."""
    started = time.perf_counter()
    specs = plan(records, seed, per_meeting)
    if out.exists():
        shutil.rmtree(out)
    data = out / "data"
    (data / "meetings").mkdir(parents=True)
    (data / "sources").mkdir()
    uuid = hashlib.sha256(f"commdata-bench/{seed}/{records}".encode()).hexdigest()
    (data / "package.yaml").write_text(PACKAGE_YAML.format(
        uuid=f"{uuid[:8]}-{uuid[8:12]}-4{uuid[13:16]}-8{uuid[17:20]}-{uuid[20:32]}", seed=seed, records=records),
        encoding="utf-8")
    if WITH_CODES:
        (data / "indicators.yaml").write_text(render_codebook(), encoding="utf-8")
    injection = None
    if inject:
        if json_path is not None:
            raise ValueError("--json and --inject do not mix: the JSON copy is the floor for valid corpora")
        from inject import plan_injections, write_injected  # benchmarks/inject.py
        injection = plan_injections(specs, inject, seed)
    summary = Summary(meetings=len(specs), achievements=sum(spec.achievements for spec in specs),
                      targets=sum(spec.targets for spec in specs))
    json_handle = open(json_path, "w", encoding="utf-8") if json_path else None
    try:
        if json_handle:
            json_handle.write("[")
        skip = set(injection.docs) if injection else set()
        for index, file_name, raw, source_file, yaml_text, json_text in _generate(specs, jobs, json_handle is not None,
                                                                                  skip):
            summary.not_recorded += yaml_text.count("\n  - {figure:")
            summary.yaml_bytes += len(yaml_text.encode("utf-8"))
            summary.source_bytes += len(raw)
            (data / source_file).write_bytes(raw)
            with open(data / file_name, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(yaml_text)
            if json_handle:
                json_handle.write(("," if index else "") + "\n" + json_text)
        if json_handle:
            json_handle.write("\n]\n")
    finally:
        if json_handle:
            json_handle.close()
    if injection is not None:
        write_injected(injection, out, manifest_path or out / "injected.json")
    summary.seconds = time.perf_counter() - started
    return summary


def _generate(specs: list[MeetingSpec], jobs: int | None, with_json: bool, skip: set[int]) -> Iterator[tuple]:
    """Rendered meetings in plan order (but those in ``skip``), in worker processes when jobs > 1."""
    todo = [(spec, with_json) for spec in specs if spec.index not in skip]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(todo) < 16:
        yield from map(_render_star, todo)
        return
    with get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_render_star, todo, chunksize=8)


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True, help="total number of achievement and target records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="project folder to write (replaced if it exists)")
    parser.add_argument("--per-meeting", type=_range, default=DEFAULT_PER_MEETING, metavar="LOW-HIGH",
                        help="records per meeting file (default 100-300)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--json", type=Path, help="also write all meeting files as one JSON array here")
    parser.add_argument("--inject", help="CODE[,CODE…] or 'all': inject known errors (see benchmarks/inject.py)")
    parser.add_argument("--manifest", type=Path, help="where the manifest of injected errors goes "
                                                      "(default OUT/injected.json)")
    args = parser.parse_args(argv)
    inject = None
    if args.inject:
        inject = [code.strip() for code in args.inject.split(",") if code.strip()]
    try:
        summary = write_corpus(args.out, args.records, args.seed, per_meeting=args.per_meeting, jobs=args.jobs,
                               json_path=args.json, inject=inject, manifest_path=args.manifest)
    except ValueError as error:  # sizes, unknown variants, too few meetings to inject into
        parser.error(str(error))
    print(f"wrote {summary.meetings} meetings, {summary.achievements} achievements, {summary.targets} targets, "
          f"{summary.not_recorded} not_recorded marks ({summary.yaml_bytes / 1e6:.1f} MB YAML, "
          f"{summary.source_bytes / 1e6:.1f} MB sources) into {args.out} in {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
