"""The codebook: a Markdown data dictionary of every table and field, generated from the table specs
(which come from the models), with a Chinese description beside each English one."""

from __future__ import annotations

from commdata.package.codebook_rules import rules_markdown
from commdata.package.descriptor import field_descriptor
from commdata.package.specs import TABLES, Column, TableSpec
from commdata.package.types import frictionless_type

# Chinese descriptions. A column name means the same in every table, except where (table, column)
# says otherwise.
ZH: dict[str | tuple[str, str], str] = {
    ("sources", "id"): "来源文件的稳定标识，以行政区划代码开头",
    ("meetings", "id"): "会议的稳定标识：行政区划代码、届次和全会次数，永不重复使用",
    ("sections", "id"): "条目的标识：会议标识加上条目在会议中的标识",
    ("achievements", "id"): "成绩记录的稳定标识：会议标识、a 和三位编号",
    ("targets", "id"): "目标记录的稳定标识：会议标识、t 和三位编号",
    ("tombstones", "id"): "已撤回或被取代的记录标识",
    ("sources", "title"): "文件标题（原文）",
    ("meetings", "title"): "会议名称（原文）",
    ("meetings", "kind"): "会议类型",
    "kind": "类别：数量、比重、增长、排名、连续、称号或定性",
    "issuing_body": "发布机关（原文）",
    "published_on": "发布日期（如已知）",
    "published_in": "发布媒体或网址（如已知）",
    "file": "数据目录下的原文文件路径",
    "sha256": "原文文件字节的 SHA-256",
    "canonical_form": "引文偏移所依据的规范文本形式",
    "canonical_sha256": "规范文本（UTF-8）的 SHA-256",
    "characters": "规范文本的字符数（Unicode 码位）",
    "text": "规范文本，引文偏移以此为准",
    "source_id": "会议所依据的来源文件",
    "body": "委员会名称（原文）",
    "body_en": "委员会英文名称",
    "admin_code": "行政区划代码（GB/T 2260）",
    "place": "行政区划名称",
    "place_en": "行政区划英文名称",
    "term": "委员会届次（第十三届 = 13）",
    "plenary": "全会次数（第七次 = 7）",
    "held_jointly_with": "合并召开的会议（如全市经济工作会议）",
    "held_jointly_with_en": "合并召开的会议（英文）",
    "date": "会议召开日期",
    "meeting_id": "所属会议",
    "seq": "在原文中出现的顺序，从 1 开始",
    "role": "职责：主持、报告工作、部署工作或到会指导",
    "name": "人员或机构名称（原文）",
    "position": "职务（原文）",
    "on_behalf_of": "代表的机构（原文）",
    "subject": "报告或部署的内容（如 2024年经济工作）",
    "local_id": "条目在会议中的标识（如 key-tasks-7）",
    "part": "条目下的记录是成绩还是目标",
    "number": "数字（不含万、亿等倍数单位）",
    ("sections", "number"): "条目编号（一是 = 1）",
    "heading": "条目标题（原文）",
    "section_id": "所在条目",
    "period": "数据所指的公历年份",
    "indicator": "指标或事项（原文）",
    "indicator_en": "指标或事项的英文释义",
    "figure": "原文中的数字表述（如 5.63万人）",
    "multiplier": "倍数单位（万、亿、万亿等）",
    "unit": "计量单位或量词（人、元、%、位）",
    "value": "以基本单位表示的精确数值：数字乘以倍数单位",
    "bound": "数值界限：精确、以上、超过、左右、以内、近",
    "bound_word": "原文中设定界限的词（以上、突破、左右等）",
    "cumulative": "是否为累计数（累计）",
    "aspirational": "是否为争取性表述（争取、力争、争创）",
    "quote": "原文引文",
    "quote_start": "引文在规范文本中的起始偏移",
    "quote_end": "引文在规范文本中的结束偏移（不含）",
    "figure_start": "数字表述在规范文本中的起始偏移",
    "note": "整理者备注",
    "indicator_code": "指标代码（见 indicators 表），用于跨会议、跨年份、跨城市追踪同一指标",
    ("indicators", "code"): "指标的稳定代码",
    ("indicators", "name"): "指标中文名称",
    "name_en": "指标英文名称",
    ("indicators", "unit"): "标准计量单位或量词",
    "also_written": "原文中同一指标使用的其他单位（逗号分隔）",
    "definition": "指标定义（英文）",
    "definition_zh": "指标定义（中文）",
    "measure": "计量类型：流量、存量、累计、计数、增长、比重或排名",
    "nbs_indicator": "对应的国家统计局指标名称（如有）",
    "official_note": "官方统计口径说明：由谁统计，或与哪项官方指标相关",
    "ranking_publisher": "排名的发布机构（原文未注明时为空）",
    "ranking_title": "排名或报告的名称",
    "ranking_order": "位次方向：越小越好或越大越好",
    "ranking_note": "关于该排名的说明",
    "components": "同一地区同期相加等于本指标的指标代码（逗号分隔）",
    "see_also": "易混淆的相关指标代码（逗号分隔）",
    "kept_unused": "无记录使用时保留该指标的理由",
    "direction": "变化方向：上升（增长）或下降（下降、回落或负号）",
    "period_start": "数据所指期间的起始年份（单一年份时等于 period）",
    "period_end": "数据所指期间的结束年份（等于 period）",
    ("assessments", "period_start"): "目标所定期间及完成情况所报期间的起始年份",
    ("assessments", "period_end"): "该期间的结束年份",
    "outcome_of": "本记录报告其完成情况的早先目标",
    "verdict": "评定：达成、超额、未达成或不可比",
    "verdict_reason": "人工评定的理由",
    "target_id": "目标记录",
    "outcome_id": "报告完成情况的后续记录",
    "target_bound": "目标的数值界限",
    "target_value": "目标值（基本单位）",
    "outcome_value": "实际完成值（基本单位）",
    "curated": "评定是否由整理者人工设定",
    ("assessments", "reason"): "评定依据，或人工评定的理由",
    ("assessments", "unit"): "两个数值共同的计量单位",
    ("assessments", "aspirational"): "目标是否为争取性表述（争取、力争）",
    ("assessments", "indicator_code"): "目标所属指标",
    "status": "状态：撤回或被取代",
    "reason": "撤回或取代的原因",
    "superseded_by": "取代它的记录标识",
    "withdrawn_in": "撤回或取代生效的版本",
}


def zh_description(table: str, column: str) -> str:
    description = ZH.get((table, column)) or ZH.get(column)
    if description is None:
        raise KeyError(f"no Chinese description for {table}.{column}: add one to commdata.codebook.ZH")
    return description


def _allowed(column: Column) -> str:
    constraints = field_descriptor(column).get("constraints", {})
    if "enum" in constraints:
        return ", ".join(f"`{value}`" for value in constraints["enum"])
    if "pattern" in constraints:
        return f"pattern `{constraints['pattern']}`"
    if "minimum" in constraints:
        return f"≥ {constraints['minimum']}"
    return ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table_section(spec: TableSpec) -> list[str]:
    lines = [f"### `{spec.name}`: {spec.title}", "", spec.description, "",
             f"Primary key: {', '.join(f'`{k}`' for k in spec.primary_key)}."]
    if spec.foreign_keys:
        lines.append("Foreign keys: " + "; ".join(f"`{k.column}` → `{k.table}.{k.reference}`" for k in spec.foreign_keys) + ".")
    lines += ["", "| field | type | required | allowed values | description | 说明 |", "| --- | --- | --- | --- | --- | --- |"]
    for column in spec.columns:
        kind = frictionless_type(column) + (" (category)" if column.enum else "")
        lines.append(f"| `{column.name}` | {kind} | {'yes' if column.required else ''} | {_cell(_allowed(column))} | "
                     f"{_cell(column.description)} | {_cell(zh_description(spec.name, column.name))} |")
    return lines + [""]


def codebook_markdown() -> str:
    lines = ["# Codebook", "",
             "Generated from the models by `commdata docs`; do not edit by hand. Every table is published as",
             "CSV (`data/tables/NAME.csv`) and Parquet (`data/tables/NAME.parquet`) with the same rows.", "",
             "Types: `string`; `integer` (int64); `number` (exact decimal, `decimal128(38, 6)` in Parquet, written",
             "without exponent in CSV); `date` (ISO 8601); `boolean` (`true`/`false`). A category is a closed",
             "vocabulary, dictionary-encoded in Parquet. Offsets count Unicode code points in `sources.text`.",
             "Values are in base units: `value` is `number` × `multiplier`, in the unit named by `unit`.",
             "A number is negative only where the figure prints a minus sign (增长-9.4% is `-9.4`); a fall written",
             "in words (下降7.3%) keeps the number as written (`7.3`). Either way `direction` is `down`: read the",
             "direction, not the sign, to tell a rise from a fall.",
             "Every record covers the years `period_start` to `period_end` (one year: both are `period`).", "",
             rules_markdown(), "## Tables", ""]
    for spec in TABLES:
        lines += _table_section(spec)
    return "\n".join(lines)
