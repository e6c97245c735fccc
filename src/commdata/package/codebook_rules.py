"""The codebook's rules as Markdown, for docs/codebook.md: what an indicator is, its measures (from
domain/measures.py, which validation applies), its units, rankings, the same-indicator rule, and how
to add one. The indicators themselves are data (data/indicators.yaml, published as the `indicators`
table); these are the rules every entry and record is held to."""

from __future__ import annotations

from commdata.domain.measures import KINDS, MEANINGS, TAKE_CUMULATIVE
from commdata.domain.models import UNATTRIBUTED_SUFFIX, Measure

_INTRO = """\
## The indicator codebook: rules

`data/indicators.yaml` is the codebook every city's records share; it is published as the `indicators`
table below. A figure that measures something names its indicator by `indicator_code`, so that the
same indicator can be followed across meetings, years and cities. **One code is one concept, one
measure and one canonical unit.** Codes read `area.object_event_qualifier`
(`employment.new_urban_jobs`, `roads.dead_end_roads_opened`) and are never renamed or reused once
published: a rename removes a row of a published table (a major release).

Each entry gives `code`, `name` and `name_en`, `measure`, `unit` with `also_written`, `definition` and
`definition_zh`, and where they apply `nbs_indicator` (the 国家统计局 indicator it is), `official_note`
(who compiles the official figure), `ranking` (for a rank), `components` (codes that add up to it),
`see_also`, and `kept_unused` (why a code with no record stays).
"""

_UNITS = """\
### Units

`unit` is the canonical unit. `also_written` lists the other measure words texts use for **this**
indicator that count the same things one for one: a record's unit must be one of the two
(`unit-mismatch`). Equivalences are declared per indicator, never globally, because one measure word
counts different things: 名 is a person in 新增就业1万名 but a place in 第5名; 个 is a factory for
green factories but a compound for old compounds, where 户 counts households, another indicator.
Common equivalences: 名 = 人 for persons; 个 = 家 (= 户) for enterprises and shops; 所 = 个 for schools;
座 = 个 = 处 for stations and parks; 台 = 个 for charging points; 项 = 个 for projects; 千米 = 公里;
位 = 名 for places in a ranking. Units that need a factor are never equivalents: 公顷 against 亩 (×15),
个百分点 against %. A person indicator never accepts 位, so that 第N位 cannot be read as persons.
"""

_RANKINGS = f"""\
### Rankings

A `rank` indicator names the ranking its places are in: `ranking` gives its `publisher`, `title`,
`order` (`lower_is_better` unless stated) and a `note`. When the texts do not name the ranking, the
ranking has neither publisher nor title and the code ends in `{UNATTRIBUTED_SUFFIX}`: its places compare
with nothing else, neither another city's nor a named ranking's. A named ranking gets its own code,
added with the first record that cites it. Ranks carry no `direction`: a rise in a ranking is a
smaller number.
"""

_WORDING = """\
### Definitions name no city

Neither the names nor the definitions name a city, quote a city's figures or use a city's own
wording (a nickname, a local brand, the city's count of its clusters): they are shared by every
city. Validation fails an entry that names a meeting's place (`codebook-city-wording`). A city's
wording stays in its records' `indicator` (always as written) and `note`. Examples inside a
definition use made-up figures (第5位, 三连冠).
"""

_SAME = """\
### When two wordings are the same indicator

Two wordings share a code when a reader could put their figures side by side without a footnote:
the same object counted, the same event in the period, the same measure, and equal or equivalent
units. Decide in this order:

1. **Object.** Is the same kind of thing counted? 断头路, 道路, 城市绿道 and 中小学、幼儿园 are different
   objects: different codes.
2. **Event.** Verbs of one class are synonyms: *added or built* (新增, 新建, 建成, 完成 for things built
   within the period); *under way* (实施, 新续建, 在建); *continued* (续建); *upgraded* (改造, 提升,
   改造提升); *connected* (打通, 贯通); *recognised* (认定, 入选). 新建 means *construction started* only
   where a text contrasts it with 续建 (新建14所、续建47所): then new, continued and their total are three
   codes, the total listing the other two as `components`.
3. **Measure.** A flow, a stock and a 累计 total of the same thing are different codes (新认定高新技术企业
   is a flow, 高新技术企业达到N家 a stock).
4. **Qualifier.** A qualifier makes another code only when (a) it is part of an official statistical
   category (规模以上, 限额以上, 城镇, the 亿元以上 size class, a designation level 国家级 or 省级), or (b) a
   text gives the qualified and the unqualified figures side by side for one period. Otherwise it is
   drafting and stays in the record's `indicator` while the code is shared: a place (城区, 主城区, 全市),
   a class named in one year only (市政), quotation marks, word order (创业就业 / 就业创业), a verb carried
   from the head of a list, target voice (要, 力争, 争取达到, 达到), a city's nickname.
5. **Unit.** The units are equal or declared equivalent for the code.

When a later text draws a distinction for the first time (新续建道路N条，其中市政道路M条), add the
narrower code then and re-code the records that need it.
"""

_ADDING = """\
### Adding an indicator

1. Check the same-indicator rule against the existing codes: most new wordings are an existing code.
2. Choose the measure (table above).
3. Choose the canonical unit and declare only one-for-one equivalents in `also_written`.
4. Write `definition` and `definition_zh` for any city, with no city's name, figures or wording.
5. Give `nbs_indicator` (the 国家统计局 name) when the indicator is an official one; else leave it out.
6. For a rank, give the `ranking`.
7. Add the record that uses it in the same change: a code no record uses fails (`indicator-unused`)
   unless `kept_unused` says why it stays.

Test data never enters the shared codebook: the test suite's made-up cities carry their own
codebooks under `tests/fixtures/`.
"""


def _measures() -> str:
    lines = ["### Measures", "",
             "Every indicator has one measure; validation checks each record against it (`measure-mismatch`).", "",
             "| measure | what it is | adding two periods gives | record kinds | 累计 (`cumulative: true`) "
             "| `period_start` |", "| --- | --- | --- | --- | --- | --- |"]
    for measure in Measure:
        meaning, added = MEANINGS[measure]
        kinds = ", ".join(sorted(kind.value for kind in KINDS[measure]))
        cumulative = "allowed" if measure in TAKE_CUMULATIVE else "no"
        start = "required" if measure == Measure.cumulative else "no"
        lines.append(f"| `{measure.value}` | {meaning} | {added} | {kinds} | {cumulative} | {start} |")
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """The rules section of docs/codebook.md."""
    return "\n".join((_INTRO, _measures(), _UNITS, _RANKINGS, _WORDING, _SAME, _ADDING))
