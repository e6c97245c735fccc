"""The canonical schema: Pydantic models for sources, meetings, achievements and targets.

These models are the single source of truth. JSON Schema (``schemas/``), the Frictionless Table
Schemas, the Arrow schemas and the docs are all generated from them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, model_validator

from commdata.domain.periods import span
from commdata.domain.quantities import (MULTIPLIERS, Bound, Direction, QuantityError, fold,
                                        occurrences_at_number_boundary, parse_figure)
from commdata.domain.sources import CANONICAL_FORM
from commdata.domain.versions import SEMVER_PATTERN

ADMIN_CODE_PATTERN = r"^[1-8][0-9]{5}$"
MEETING_ID_PATTERN = r"^[1-8][0-9]{5}-cpc-c[0-9]{2}-p[0-9]{2}$"
RECORD_ID_PATTERN = r"^[1-8][0-9]{5}-cpc-c[0-9]{2}-p[0-9]{2}-[at][0-9]{3}$"
SOURCE_ID_PATTERN = r"^[1-8][0-9]{5}-[a-z0-9]+(?:-[a-z0-9]+)*$"
SOURCE_FILE_PATTERN = r"^sources/[A-Za-z0-9._-]+\.txt$"

# Free text must not start like a spreadsheet formula (=, +, -, @): a CSV opened in a spreadsheet
# would run it. Plain text fields are also stripped of surrounding white space by the curator.
_NO_FORMULA = r"^[^=+\-@\s](?:.*\S)?$"
MAX_TEXT = 5000  # characters: a quote is a clause, a note a few sentences; more is a mistake
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=_NO_FORMULA)]
# A figure may start with its number's printed minus sign (增长-9.4% is written -9.4%), and with
# nothing else a formula starts with. That is safe in a spreadsheet because FigureRecord also requires
# such a figure to parse by the quantity grammar: a sign, digits, a multiplier and a unit from the
# grammar's closed list (no operator, bracket, quote, ! or |), so a spreadsheet can read it only as a
# number or an unknown name, never as a call, a reference to another file or a command.
_NO_FORMULA_BUT_A_SIGN = r"^(?:-[0-9]|[^=+\-@\s])(?:.*\S)?$"
# Whole numbers and flags take only ints and bools (pydantic's strict mode): never "85", 85.0 or true for
# an offset, nor 1 for true. YAML files are held to the same before validation, with messages that say
# how to write the value (records/field_types.py).
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Year = Annotated[Int, Field(ge=1921, le=2200)]


def _number_as_text(value: object) -> object:
    """YAML reads `figure: 12` as a number; a figure is text as written, so take the number's text."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value


FigureText = Annotated[str, BeforeValidator(_number_as_text)]


class ClosedModel(BaseModel):
    """A model that refuses unknown fields and cannot be changed once made."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class MeetingKind(StrEnum):
    plenary_session = "plenary_session"


class Role(StrEnum):
    """What a participant did at the meeting."""

    presided = "presided"  # 主持
    reported = "reported"  # 报告工作 (on behalf of a body)
    deployed = "deployed"  # 部署工作 (next year's work)
    guided = "guided"  # 到会指导


class FigureKind(StrEnum):
    quantity = "quantity"  # counts, amounts, areas, lengths
    share = "share"  # 占…的89%
    growth = "growth"  # 增长256%
    rank = "rank"  # 全国第30位
    streak = "streak"  # 十连冠, 连续四年
    designation = "designation"  # 获批, 入选, 荣获, 获评 (an award or title, figure optional)
    qualitative = "qualitative"  # a result or goal with no measurable figure (创建, 建成, 启动)


FIGURE_KINDS_NEEDING_A_FIGURE = {FigureKind.quantity, FigureKind.share, FigureKind.growth,
                                 FigureKind.rank, FigureKind.streak}

Multiplier = StrEnum("Multiplier", {name: name for name in MULTIPLIERS})  # type: ignore[misc]


class Part(StrEnum):
    achievements = "achievements"
    targets = "targets"


class SourceDocument(ClosedModel):
    """A published text the records are drawn from, kept byte for byte."""

    id: Annotated[str, Field(pattern=SOURCE_ID_PATTERN, description="Stable id, starting with the admin code.",
                             examples=["150100-cpc-c13-p07-communique"])]
    title: Annotated[Text, Field(description="Title as printed (中文).")]
    issuing_body: Annotated[Text, Field(description="Body that issued the document (中文).")]
    published_on: Annotated[date | None, Field(description="Date of publication, when known.")] = None
    published_in: Annotated[Text | None, Field(description="Where it was published (outlet or URL), when known.")] = None
    file: Annotated[str, Field(pattern=SOURCE_FILE_PATTERN, description="Path of the text under the data folder.",
                               examples=["sources/hohhot-cpc-c13-p07-communique.txt"])]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file's bytes.")]
    canonical_form: Annotated[Literal["commdata-canonical-v1"], Field(
        description="The canonical text form that quote offsets refer to.")] = CANONICAL_FORM


class Participant(ClosedModel):
    """A person or body with a role at the meeting."""

    role: Annotated[Role, Field(description="What they did: presided, reported, deployed or guided.")]
    name: Annotated[Text, Field(description="Name of the person or body as written (包钢, 市委常委会).")]
    position: Annotated[Text | None, Field(description="Position as written (市委副书记、市长).")] = None
    on_behalf_of: Annotated[Text | None, Field(description="Body they spoke for (常委会).")] = None
    subject: Annotated[Text | None, Field(description="What they reported on or deployed (2024年经济工作).")] = None


SECTION_ID_PATTERN = r"^[a-z]+(?:-[a-z]+)*-[0-9]{1,2}$"
INDICATOR_CODE_PATTERN = r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$"


class Section(ClosedModel):
    """A numbered item of the text (一是…, 二是…) that records stand under."""

    id: Annotated[str, Field(pattern=SECTION_ID_PATTERN, description="Series and number, unique in the meeting.",
                             examples=["achievements-4", "key-tasks-7"])]
    part: Annotated[Part, Field(description="Whether its records are achievements or targets.")]
    number: Annotated[Int, Field(ge=1, le=99, description="The item's number (一是 = 1).")]
    heading: Annotated[Text, Field(description="The item's heading, verbatim from the canonical text.")]


class Meeting(ClosedModel):
    """One plenary session of a CPC committee."""

    id: Annotated[str, Field(pattern=MEETING_ID_PATTERN,
                             description="admin code, 'cpc', term and plenary number: never reused.",
                             examples=["150100-cpc-c13-p07"])]
    source_id: Annotated[str, Field(pattern=SOURCE_ID_PATTERN, description="The source document it is drawn from.")]
    title: Annotated[Text, Field(description="The meeting's name as written.")]
    body: Annotated[Text, Field(description="The committee as written (中国共产党呼和浩特市第十三届委员会).")]
    body_en: Annotated[Text, Field(description="The committee in English.")]
    admin_code: Annotated[str, Field(pattern=ADMIN_CODE_PATTERN,
                                     description="GB/T 2260 code of the administrative division.")]
    place: Annotated[Text, Field(description="The division's name (呼和浩特市).")]
    place_en: Annotated[Text, Field(description="The division's name in English.")]
    term: Annotated[Int, Field(ge=1, le=99, description="Committee term (第十三届 = 13).")]
    plenary: Annotated[Int, Field(ge=1, le=99, description="Plenary number within the term (第七次 = 7).")]
    kind: Annotated[MeetingKind, Field(description="The kind of meeting.")]
    held_jointly_with: Annotated[Text | None, Field(description="A meeting held together with it (全市经济工作会议).")] = None
    held_jointly_with_en: Annotated[Text | None, Field(description="The same in English.")] = None
    date: Annotated[date, Field(description="The day the meeting was held.")]
    participants: Annotated[list[Participant], Field(min_length=1, description="People and bodies with a role, in order of mention.")]
    sections: Annotated[list[Section], Field(description="The numbered items records stand under.")] = []


def meeting_id(admin_code: str, term: int, plenary: int) -> str:
    return f"{admin_code}-cpc-c{term:02d}-p{plenary:02d}"


class FigureRecord(ClosedModel):
    """What achievements and targets share: one figure (or one qualitative item) and its quote."""

    id: Annotated[str, Field(pattern=RECORD_ID_PATTERN, description="meeting id, a (achievement) or t (target), number.")]
    section: Annotated[str | None, Field(pattern=SECTION_ID_PATTERN, description="Id of the section it stands under.")] = None
    period: Annotated[Year, Field(description="Calendar year the figure refers to.")]
    indicator: Annotated[Text, Field(description="What is counted or named, as written (新增城镇就业).")]
    indicator_en: Annotated[Text, Field(description="English gloss of the indicator.")]
    indicator_code: Annotated[str | None, Field(
        pattern=INDICATOR_CODE_PATTERN, description="Code of the indicator in the codebook (data/indicators.yaml), "
        "so that it can be followed across meetings; required for every figure that measures something.",
        examples=["employment.new_urban_jobs"])] = None
    kind: Annotated[FigureKind, Field(description="quantity, share, growth, rank, streak, designation or qualitative.")]
    figure: Annotated[FigureText | None, StringConstraints(min_length=1, pattern=_NO_FORMULA_BUT_A_SIGN),
                      Field(description="The figure exactly as written in the quote (5.63万人, -9.4%).")] = None
    # A number is negative only when the figure prints a minus sign (增长-9.4%: -9.4); a fall written in
    # words (下降7.3%) keeps the number as written, 7.3. Either way `direction` says down.
    number: Annotated[Decimal | None, Field(allow_inf_nan=False, description="The number as written, without "
                                            "multiplier (5.63); negative only when the figure prints a minus sign.")] = None
    multiplier: Annotated[Multiplier | None, Field(description="万, 亿, 万亿… as written.")] = None
    unit: Annotated[Text | None, Field(description="Unit or measure word as written (人, 元, %, 位).")] = None
    value: Annotated[Decimal | None, Field(allow_inf_nan=False, description="Exact value in base units: number "
                                           "times multiplier (negative only when the figure prints a minus sign).")] = None
    bound: Annotated[Bound | None, Field(description="How the figure bounds the value (以上 = at_least).")] = None
    direction: Annotated[Direction | None, Field(
        description="Which way a change went, as the text says: up (增长) or down (下降, 回落, or a printed minus "
        "sign). Every growth figure has one; validation checks it against the text.")] = None
    cumulative: Annotated[Bool, Field(description="累计: a total over several years, not one year's flow.")] = False
    period_start: Annotated[Year | None, Field(
        description="For a figure over several years (a 累计 total since a programme began, a plan-period total "
        "十四五期间, a target for 2024—2026年), the first year; `period` is then the last. Leave it out for "
        "one year.")] = None
    quote: Annotated[str, Field(min_length=1, max_length=MAX_TEXT, description="Verbatim quote from the canonical source text.")]
    quote_start: Annotated[Int, Field(ge=0, description="Offset of the quote's first character (code points).")]
    quote_end: Annotated[Int, Field(ge=1, description="Offset just past the quote's last character.")]
    note: Annotated[Text | None, Field(description="A curator's remark.")] = None

    @model_validator(mode="after")
    def _consistent(self) -> "FigureRecord":
        numeric = (self.number, self.value, self.bound)
        if self.figure is None:
            if any(part is not None for part in (*numeric, self.multiplier, self.unit)):
                raise ValueError("number, multiplier, unit, value and bound need a figure: add figure or remove them")
            if self.kind in FIGURE_KINDS_NEEDING_A_FIGURE:
                raise ValueError(f"kind {self.kind.value} needs a figure")
        elif self.kind in FIGURE_KINDS_NEEDING_A_FIGURE and self.indicator_code is None:
            raise ValueError(f"a {self.kind.value} figure needs an indicator_code from data/indicators.yaml")
        elif any(part is None for part in numeric):
            raise ValueError("a figure needs number, value and bound")
        else:
            self._signed_only_as_printed()
        if self.period_start is not None and self.period_start >= self.period:
            raise ValueError(f"period_start {self.period_start} must be before period {self.period}, the span's last "
                             "year (leave period_start out for a figure of one year)")
        # quote_start and quote_end are checked against the source text (records/record_checks.py), which
        # can say where the quote really stands: checked here, a typo would only say they disagree.
        return self

    def _signed_only_as_printed(self) -> None:
        """A negative number is one the figure prints with a minus sign, and such a figure follows the
        grammar (which is what makes its leading minus safe in a spreadsheet: see _NO_FORMULA_BUT_A_SIGN)."""
        assert self.figure is not None
        signed = fold(self.figure).startswith("-")  # -, − or －
        if signed:
            try:
                parse_figure(self.figure)
            except QuantityError as error:
                raise ValueError(f"a figure that starts with a minus sign must be a signed number: {error}") from None
        negative = any(part is not None and part < 0 for part in (self.number, self.value))
        if negative and not signed:
            raise ValueError("number and value are negative only when the figure prints a minus sign (-9.4%); "
                             "a fall written in words (下降7.3%) keeps the number as written, with direction: down")

    @property
    def period_span(self) -> tuple[int, int]:
        """(first year, last year) the figure refers to: (period, period) for one year."""
        return span(self.period, self.period_start)

    @property
    def figure_span(self) -> tuple[int, int] | None:
        """Where the figure stands in the canonical text: its first place in the quote at a number
        boundary (validation proves there is exactly one)."""
        if self.figure is None:
            return None
        places = occurrences_at_number_boundary(self.quote, self.figure)
        if not places:
            return None
        start = self.quote_start + places[0]
        return start, start + len(self.figure)


class Verdict(StrEnum):
    """Whether an outcome fulfilled its target."""

    met = "met"
    exceeded = "exceeded"
    missed = "missed"
    not_comparable = "not_comparable"


class Achievement(FigureRecord):
    """What the past year delivered."""

    outcome_of: Annotated[str | None, Field(
        pattern=RECORD_ID_PATTERN, description="The earlier target this figure reports the outcome of.")] = None
    verdict: Annotated[Verdict | None, Field(
        description="A verdict set by hand, overriding the computed one (needs verdict_reason).")] = None
    verdict_reason: Annotated[Text | None, Field(description="Why the verdict is set by hand.")] = None

    @model_validator(mode="after")
    def _achievement_id(self) -> "Achievement":
        if re.search(r"-a[0-9]{3}$", self.id) is None:
            raise ValueError("an achievement's id ends in -a and three digits")
        if (self.verdict is None) != (self.verdict_reason is None):
            raise ValueError("a verdict set by hand needs a verdict_reason, and a verdict_reason needs a verdict")
        if self.verdict is not None and self.outcome_of is None:
            raise ValueError("a verdict needs outcome_of: the target it judges")
        return self


class Target(FigureRecord):
    """What the coming period must deliver."""

    aspirational: Annotated[Bool, Field(description="Aspirational wording (争取达到, 力争, 争创).")] = False

    @model_validator(mode="after")
    def _target_id(self) -> "Target":
        if re.search(r"-t[0-9]{3}$", self.id) is None:
            raise ValueError("a target's id ends in -t and three digits")
        return self


class NotRecordedReason(StrEnum):
    date = "date"  # 2023年12月28日
    meeting_identity = "meeting_identity"  # 第十三届, 第七次: the committee's term, the plenary number
    item_count = "item_count"  # 9项重点工作, 五个关键点: the text counting its own items
    name = "name"  # part of a name, slogan or title: 两个确立, 十强城市, “2023中国最具幸福感城市”
    vague = "vague"  # 一批, 一年来: no measured quantity
    other = "other"  # say why in note


class NotRecorded(ClosedModel):
    """A figure in the source that is deliberately not a record, and why."""

    figure: Annotated[FigureText, Field(min_length=1, description="The figure as the detector finds it (2023年, 第七次).")]
    at: Annotated[Int, Field(ge=0, description="Its offset in the canonical text.")]
    reason: Annotated[NotRecordedReason, Field(description="Why it is not recorded.")]
    note: Annotated[Text | None, Field(description="More about why; required when reason is other.")] = None

    @model_validator(mode="after")
    def _other_needs_a_note(self) -> "NotRecorded":
        if self.reason == NotRecordedReason.other and self.note is None:
            raise ValueError("reason other needs a note that says why")
        return self


class MeetingFile(ClosedModel):
    """One curated YAML file: a meeting, its source, and every achievement and target in it."""

    source: Annotated[SourceDocument, Field(description="The document the records are drawn from.")]
    meeting: Annotated[Meeting, Field(description="The meeting.")]
    achievements: Annotated[list[Achievement], Field(description="What the past year delivered.")] = []
    targets: Annotated[list[Target], Field(description="What the coming year must deliver.")] = []
    not_recorded: Annotated[list[NotRecorded], Field(
        description="Figures in the source that are deliberately not records (dates, names…), with the reason.")] = []
    draft: Annotated[Bool, Field(description="Written by `commdata draft` and not yet reviewed: validation refuses "
                                             "it and build never publishes it until a curator removes this.")] = False


class Contributor(ClosedModel):
    title: Text
    roles: list[Annotated[str, Field(pattern=r"^[a-z]+$")]] = ["creator"]
    email: str | None = None


class License(ClosedModel):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9.\-]+$", examples=["CC-BY-4.0"])]
    path: str
    title: Text


PACKAGE_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"  # it names release folders and archives: no / and no ..


class PackageInfo(ClosedModel):
    """The package's own metadata (``data/package.yaml``): what the descriptor says about the dataset."""

    name: Annotated[str, Field(pattern=PACKAGE_NAME_PATTERN)]
    id: Annotated[str, Field(description="A globally unique identifier of the dataset (a URN or URL).")]
    title: Text
    description: Text
    version: Annotated[str, Field(pattern=SEMVER_PATTERN,
                                  description="SemVer of the data.")]
    homepage: str | None = None
    keywords: list[Text] = []
    licenses: Annotated[list[License], Field(min_length=1)]
    contributors: Annotated[list[Contributor], Field(min_length=1)]


class TombstoneStatus(StrEnum):
    withdrawn = "withdrawn"
    superseded = "superseded"


class Tombstone(ClosedModel):
    """A published id that no longer names a record, and why. Ids are never reused."""

    id: Annotated[str, Field(pattern=RECORD_ID_PATTERN.removesuffix("$") + "|" + MEETING_ID_PATTERN.removeprefix("^"),
                             description="The retired id.")]
    status: Annotated[TombstoneStatus, Field(description="withdrawn, or superseded by another record.")]
    reason: Annotated[Text, Field(description="Why it was withdrawn or superseded.")]
    superseded_by: Annotated[str | None, Field(pattern=RECORD_ID_PATTERN, description="The record that replaces it.")] = None
    withdrawn_in: Annotated[str, Field(pattern=SEMVER_PATTERN,
                                       description="The first version without the record.")]

    @model_validator(mode="after")
    def _superseded_needs_a_successor(self) -> "Tombstone":
        if (self.status == TombstoneStatus.superseded) != (self.superseded_by is not None):
            raise ValueError("superseded_by is required when, and only when, status is superseded")
        return self


class TombstoneFile(ClosedModel):
    """``data/tombstones.yaml``: every retired id."""

    tombstones: Annotated[list[Tombstone], Field(description="Retired ids, oldest first.")] = []


class Measure(StrEnum):
    """What kind of quantity an indicator is: it says which figures compare and which add up."""

    flow = "flow"  # what happens within the period (added, built, invested): two periods add up
    stock = "stock"  # a level at the end of the period, or a headcount counted afresh each period
    cumulative = "cumulative"  # a running total of a flow from a stated start (period_start) to the period's end
    count = "count"  # type: ignore[assignment]  # (shadows str.count, harmlessly) things under way in the period, overlapping from one period to the next, or a streak
    growth = "growth"  # a change on the previous period, with a direction (up or down)
    share = "share"  # a part as a percentage of a whole
    rank = "rank"  # a place in a named ranking


class RankingOrder(StrEnum):
    lower_is_better = "lower_is_better"  # 第1位 is the best
    higher_is_better = "higher_is_better"


UNATTRIBUTED_SUFFIX = "_unattributed"


class Ranking(ClosedModel):
    """The ranking a rank indicator's places are in: who publishes it and under what title."""

    publisher: Annotated[Text | None, Field(description="Who publishes the ranking (中国科学技术信息研究所); null "
                                                        "when the texts do not say (then the code ends in _unattributed).")] = None
    title: Annotated[Text | None, Field(description="The ranking's or report's title as published.")] = None
    order: Annotated[RankingOrder, Field(description="Whether a lower place is better (第1位) or a higher one.")] = \
        RankingOrder.lower_is_better
    note: Annotated[Text | None, Field(description="What else to know: which edition, what it is not.")] = None


class Indicator(ClosedModel):
    """One indicator of the codebook: what a figure measures, followed across meetings and cities."""

    code: Annotated[str, Field(pattern=INDICATOR_CODE_PATTERN, description="Stable code: area, then object, event "
                               "and qualifier (area.object_event).", examples=["employment.new_urban_jobs"])]
    name: Annotated[Text, Field(description="Chinese name (城镇新增就业), naming no city.")]
    name_en: Annotated[Text, Field(description="English name, naming no city.")]
    measure: Annotated[Measure, Field(description="flow, stock, cumulative, count, growth, share or rank.")]
    unit: Annotated[Text, Field(description="Canonical unit or measure word (人, 元, %, 个).")]
    also_written: Annotated[list[Text], Field(description="Other measure words the texts use for this indicator "
                                              "that count the same things one for one (名 for 人).")] = []
    definition: Annotated[Text, Field(description="What is counted, in English, naming no city and quoting no "
                                      "city's figures.")]
    definition_zh: Annotated[Text, Field(description="What is counted, in Chinese (指标定义).")]
    nbs_indicator: Annotated[Text | None, Field(description="The official statistical indicator it is, by its "
                                                "国家统计局 name, when it is one.")] = None
    official_note: Annotated[Text | None, Field(description="Who compiles the official figure, or the official "
                                                "series it relates to.")] = None
    ranking: Annotated[Ranking | None, Field(description="For a rank: the ranking its places are in.")] = None
    components: Annotated[list[Annotated[str, Field(pattern=INDICATOR_CODE_PATTERN)]], Field(
        description="Codes whose figures, for one place and period, add up to this one's.")] = []
    see_also: Annotated[list[Annotated[str, Field(pattern=INDICATOR_CODE_PATTERN)]], Field(
        description="Related codes a reader should not confuse with this one.")] = []
    kept_unused: Annotated[Text | None, Field(description="Why the code stays in the codebook though no record "
                                              "uses it (else validation fails with indicator-unused).")] = None

    @model_validator(mode="after")
    def _consistent(self) -> "Indicator":
        if (self.measure == Measure.rank) != (self.ranking is not None):
            raise ValueError("a rank indicator needs a ranking (publisher, title, order), and only a rank has one")
        if self.ranking is not None and self.ranking.publisher is None and self.ranking.title is None \
                and not self.code.endswith(UNATTRIBUTED_SUFFIX):
            raise ValueError(f"a ranking with neither publisher nor title is unattributed: end the code in "
                             f"{UNATTRIBUTED_SUFFIX}, so no one compares its places with a named ranking's")
        if self.unit in self.also_written or len(set(self.also_written)) != len(self.also_written):
            raise ValueError("also_written lists each other unit once, and not the canonical unit")
        if self.code in (*self.components, *self.see_also):
            raise ValueError("an indicator is not its own component nor its own see_also")
        return self


class IndicatorFile(ClosedModel):
    """``data/indicators.yaml``: the indicator codebook."""

    indicators: Annotated[list[Indicator], Field(description="Every indicator, by code.")] = []
