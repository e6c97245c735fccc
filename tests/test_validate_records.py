"""`commdata validate` on broken records: one case per error code, each asserting the code, the file,
the line and the record, through the CLI's JSON output. The made-up second city is the base."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from commdata.errors import CATALOGUE

from conftest import SECOND_CITY_FILE, edit, run, run_json

Mutation = Callable[[Path], int | None]  # breaks the project at root; returns the line it broke


def _in_meeting(old: str, new: str) -> Mutation:
    return lambda root: edit(root / SECOND_CITY_FILE, old, new)


def _write_meeting(data: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        (root / SECOND_CITY_FILE).write_bytes(data)
    return mutate


def _meeting_bytes(root: Path) -> bytes:
    return (root / SECOND_CITY_FILE).read_bytes()


def _next_line(mutation: Mutation) -> Mutation:
    """For edits whose problem sits on the line after the edit's first line."""
    return lambda root: mutation(root) + 1


def _line_of(root: Path, text: str) -> int:
    content = (root / SECOND_CITY_FILE).read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def _at_record(record: str, old: str, new: str) -> Mutation:
    """An edit whose problem concerns the record as a whole: it is reported at the record's first line."""
    return _at_text(f"  - id: {record}\n", old, new)


def _at_text(marker: str, old: str, new: str) -> Mutation:
    """An edit whose problem is reported at the line where ``marker`` stands after the edit."""
    def mutate(root: Path) -> int:
        edit(root / SECOND_CITY_FILE, old, new)
        return _line_of(root, marker)
    return mutate


def _in_codebook(old: str, new: str) -> Mutation:
    return lambda root: edit(root / "data/indicators.yaml", old, new)


def _wrong_section(root: Path) -> int:
    edit(root / SECOND_CITY_FILE, "  sections:\n", "  sections:\n    - id: review-2\n      part: achievements\n"
         "      number: 2\n      heading: 全会提出\n")
    return edit(root / SECOND_CITY_FILE, "    section: review-1\n    period: 2024\n    indicator: 地区生产总值增长\n",
                "    section: review-2\n    period: 2024\n    indicator: 地区生产总值增长\n")


def _append(text: str) -> Mutation:
    def mutate(root: Path) -> int:
        path = root / SECOND_CITY_FILE
        content = path.read_text(encoding="utf-8")
        path.write_text(content + text, encoding="utf-8")
        return content.count("\n") + 1
    return mutate


def _prepend(text: str) -> Mutation:
    def mutate(root: Path) -> int:
        path = root / SECOND_CITY_FILE
        path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")
        return 1
    return mutate


def _bom(root: Path) -> int:
    (root / SECOND_CITY_FILE).write_bytes(b"\xef\xbb\xbf" + _meeting_bytes(root))
    return 1


def _crlf(root: Path) -> int:
    (root / SECOND_CITY_FILE).write_bytes(_meeting_bytes(root).replace(b"\n", b"\r\n"))
    return 1


def _nul(root: Path) -> int:
    data = _meeting_bytes(root)
    (root / SECOND_CITY_FILE).write_bytes(data.replace(b"kind: growth", b"kind: gro\x00wth", 1))
    return data[: data.index(b"kind: growth")].count(b"\n") + 1


def _latin1(root: Path) -> int:
    data = _meeting_bytes(root)
    (root / SECOND_CITY_FILE).write_bytes(data.replace("GDP growth".encode(), "PIB croissance \xe9".encode("latin-1"), 1))
    return data[: data.index(b"GDP growth")].count(b"\n") + 1


def _too_large(root: Path) -> None:
    (root / SECOND_CITY_FILE).write_bytes(_meeting_bytes(root) + b"#" * (10 * 1024 * 1024))


def _too_deep(root: Path) -> int:
    return edit(root / SECOND_CITY_FILE, "  kind: plenary_session\n", "  kind: " + "[" * 30 + "]" * 30 + "\n")


def _unreadable(root: Path) -> None:
    (root / "data/meetings/extra.yaml").mkdir()


def _symlinked_source(root: Path) -> int:
    outside = root.parent / "outside.txt"
    outside.write_bytes((root / "data/sources/yunhu-cpc-c04-p06-communique.txt").read_bytes())
    (root / "data/sources/link.txt").symlink_to(outside)
    return edit(root / SECOND_CITY_FILE, "file: sources/yunhu-cpc-c04-p06-communique.txt",
                "file: sources/link.txt")


def _source_not_utf8(root: Path) -> int:
    import hashlib
    data = "云湖".encode("gb18030") + b"\xff"
    (root / "data/sources/yunhu-cpc-c04-p06-communique.txt").write_bytes(data)
    return edit(root / SECOND_CITY_FILE, "sha256: 7ea5821791bd804b9e614b0c1e5272527b68ad6a7689c64ee478e94fb04f1924",
                f"sha256: {hashlib.sha256(data).hexdigest()}") - 1  # the problem points at source.file


CASES: list[tuple[str, str, Mutation, str | None]] = [
    # (test id, error code, mutation, record id expected on the problem)
    ("unreadable", "file-unreadable", _unreadable, None),
    ("bom", "file-encoding", _bom, None),
    ("crlf", "file-encoding", _crlf, None),
    ("nul", "file-encoding", _nul, None),
    ("latin-1", "file-encoding", _latin1, None),
    ("empty", "file-empty", _write_meeting(b""), None),
    ("blank", "file-empty", _write_meeting(b"\n\n  \n"), None),
    ("comment-only", "file-empty", _write_meeting(b"# nothing yet\n"), None),
    ("too-large", "file-too-large", _too_large, None),
    # An unclosed bracket is noticed on the next line; the message names the line it opened on.
    ("syntax", "yaml-syntax", lambda root: _in_meeting("  term: 4\n", "  term: [4\n")(root) + 1, None),
    ("duplicate-key", "yaml-duplicate-key", _next_line(_in_meeting("  plenary: 6\n", "  plenary: 6\n  plenary: 7\n")), None),
    ("alias", "yaml-alias", _in_meeting("  place_en: Yunhu\n", "  place_en: &p Yunhu\n  held_jointly_with: *p\n"), None),
    ("python-tag", "yaml-tag", _in_meeting("  place_en: Yunhu\n", "  place_en: !!python/object:os.system echo\n"), None),
    ("custom-tag", "yaml-tag", _in_meeting("  place_en: Yunhu\n", "  place_en: !secret Yunhu\n"), None),
    ("too-deep", "yaml-too-deep", _too_deep, None),
    ("nan", "yaml-not-a-number", _in_meeting("    value: 5.8\n", "    value: .nan\n"), None),
    ("infinity", "yaml-not-a-number", _in_meeting("    value: 5.8\n", "    value: -.inf\n"), None),
    ("missing", "missing-field", _at_record("539900-cpc-c04-p06-a001", "    indicator_en: GDP growth\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%\n",
                                             "    kind: growth\n    figure: 5.8%\n"), "539900-cpc-c04-p06-a001"),
    ("typo", "unknown-field", _next_line(_in_meeting("    bound: more_than\n    cumulative: true\n",
                                          "    bound: more_than\n    cumulativ: true\n")), "539900-cpc-c04-p06-a004"),
    ("impossible-date", "invalid-value", _in_meeting("  date: 2025-01-15\n", "  date: 2025-02-30\n"), "539900-cpc-c04-p06"),
    ("wrong-type", "invalid-value", _in_meeting("    period: 2024\n    indicator: 粮食产量连丰\n",
                                                "    period: last year\n    indicator: 粮食产量连丰\n"), "539900-cpc-c04-p06-a002"),
    ("negative-count", "inconsistent-record", _at_record("539900-cpc-c04-p06-a003", "    value: 12600\n",
                                                         "    value: -12600\n"), "539900-cpc-c04-p06-a003"),
    ("negative-offset", "invalid-value", _in_meeting("    quote_start: 85\n", "    quote_start: -85\n"), "539900-cpc-c04-p06-a001"),
    ("unknown-enum", "invalid-value", _in_meeting("    bound: about\n", "    bound: roughly\n"), "539900-cpc-c04-p06-t001"),
    ("formula", "invalid-value", _in_meeting("    indicator_en: new urban jobs\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人",
                                             "    indicator_en: =HYPERLINK(\"x\")\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人"),
     "539900-cpc-c04-p06-t003"),
    ("source-outside", "invalid-value", _in_meeting("file: sources/yunhu-cpc-c04-p06-communique.txt",
                                                    "file: sources/../../../etc/passwd.txt"), "539900-cpc-c04-p06-communique"),
    ("absolute-source", "invalid-value", _in_meeting("file: sources/yunhu-cpc-c04-p06-communique.txt",
                                                     "file: /etc/passwd"), "539900-cpc-c04-p06-communique"),
    ("offsets-disagree", "quote-not-in-source", _at_text("    quote: 地区生产总值增长5.8%", "    quote_end: 97\n", "    quote_end: 98\n"), "539900-cpc-c04-p06-a001"),
    ("figure-without-value", "inconsistent-record", _at_record("539900-cpc-c04-p06-a003", "    value: 12600\n", ""), "539900-cpc-c04-p06-a003"),
    ("meeting-id", "id-mismatch", _in_meeting("  id: 539900-cpc-c04-p06\n", "  id: 539900-cpc-c04-p07\n"), "539900-cpc-c04-p07"),
    ("duplicate-id", "duplicate-id", _in_meeting("  - id: 539900-cpc-c04-p06-t002\n", "  - id: 539900-cpc-c04-p06-t001\n"),
     "539900-cpc-c04-p06-t001"),
    ("duplicate-section", "duplicate-id", _at_text("    - id: review-1\n      part: achievements", "  sections:\n", "  sections:\n    - id: review-1\n      part: targets\n"
                                                      "      number: 2\n      heading: 全会提出\n"), "539900-cpc-c04-p06"),
    ("foreign-id", "id-mismatch", _in_meeting("  - id: 539900-cpc-c04-p06-a006\n", "  - id: 110000-cpc-c04-p06-a006\n"),
     "110000-cpc-c04-p06-a006"),
    ("source-reference", "unresolved-reference", _in_meeting("  source_id: 539900-cpc-c04-p06-communique\n",
                                                             "  source_id: 539900-cpc-c04-p06-report\n"), "539900-cpc-c04-p06"),
    ("section-reference", "unresolved-reference", _in_meeting("    section: review-1\n    period: 2024\n    indicator: 国家森林城市",
                                                              "    section: review-2\n    period: 2024\n    indicator: 国家森林城市"),
     "539900-cpc-c04-p06-a006"),
    ("symlinked-source", "source-path", _symlinked_source, "539900-cpc-c04-p06-communique"),
    ("source-missing", "source-missing", _in_meeting("file: sources/yunhu-cpc-c04-p06-communique.txt",
                                                     "file: sources/yunhu.txt"), "539900-cpc-c04-p06-communique"),
    ("source-hash", "source-hash-mismatch", _in_meeting("sha256: 7ea58", "sha256: 8ea58"), "539900-cpc-c04-p06-communique"),
    ("source-not-utf8", "file-encoding", _source_not_utf8, "539900-cpc-c04-p06-communique"),
    ("quote-past-end", "quote-out-of-range", _next_line(_in_meeting("    quote_start: 234\n    quote_end: 244\n",
                                                         "    quote_start: 934\n    quote_end: 944\n")), "539900-cpc-c04-p06-t005"),
    ("quote-shifted", "quote-not-in-source", _at_text("    quote: 地区生产总值增长5.8%", "    quote_start: 85\n    quote_end: 97\n",
                                                      "    quote_start: 86\n    quote_end: 98\n"), "539900-cpc-c04-p06-a001"),
    ("quote-traditional", "quote-not-in-source", _in_meeting("    quote: 新增城镇就业1.26万人\n", "    quote: 新增城鎮就業1.26萬人\n"),
     "539900-cpc-c04-p06-a003"),
    ("quote-pinyin", "quote-not-in-source", _in_meeting("    quote: 新增城镇就业1.26万人\n    quote_start: 109\n    quote_end: 121\n",
                                                        "    quote: 新增城镇jiuye1.26万人\n    quote_start: 109\n    quote_end: 124\n"),
     "539900-cpc-c04-p06-a003"),
    ("wrong-section", "section-mismatch", _wrong_section, "539900-cpc-c04-p06-a001"),
    ("heading", "heading-not-in-source", _in_meeting("      heading: 过去一年全市经济运行稳中向好\n",
                                                     "      heading: 过去一年全市经济运行稳中有进\n"), "539900-cpc-c04-p06"),
    ("figure-absent", "figure-not-in-quote", _in_meeting("    figure: 1.26万人\n", "    figure: 1.27万人\n"), "539900-cpc-c04-p06-a003"),
    ("figure-inside-number", "figure-not-in-quote", _in_meeting("    figure: 1.26万人\n", "    figure: .26万人\n"),
     "539900-cpc-c04-p06-a003"),
    ("figure-unparseable", "figure-unparseable", _in_meeting("    figure: 3000余个\n", "    figure: 5G\n"), "539900-cpc-c04-p06-a004"),
    ("unit", "value-mismatch", _in_meeting("    unit: 人\n    value: 12600\n", "    unit: 名\n    value: 12600\n"),
     "539900-cpc-c04-p06-a003"),
    ("value", "value-mismatch", _in_meeting("    value: 12600\n", "    value: 126000\n"), "539900-cpc-c04-p06-a003"),
    ("number", "value-mismatch", _in_meeting("    number: 1.26\n", "    number: 1.62\n"), "539900-cpc-c04-p06-a003"),
    ("placeholder", "placeholder-left", _in_meeting("    indicator_en: new urban jobs\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人",
                                                    "    indicator_en: \"TODO: English gloss\"\n    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.3万人"),
     "539900-cpc-c04-p06-t003"),
    ("placeholder-code", "placeholder-left", _in_meeting("    indicator_code: telecom.base_stations_5g_total\n",
                                                         "    indicator_code: todo.indicator\n"), "539900-cpc-c04-p06-a004"),
    ("placeholder-date", "placeholder-left", _in_meeting("  date: 2025-01-15\n", "  date: TODO\n"), "539900-cpc-c04-p06"),
    ("bound", "bound-mismatch", _next_line(_in_meeting("    value: 13000\n    bound: at_least\n", "    value: 13000\n    bound: exact\n")),
     "539900-cpc-c04-p06-t003"),
    ("bound-yu", "bound-mismatch", _next_line(_in_meeting("    value: 3000\n    bound: more_than\n", "    value: 3000\n    bound: exact\n")),
     "539900-cpc-c04-p06-a004"),
    ("cumulative", "flag-mismatch", _in_meeting("    cumulative: true\n", "    cumulative: false\n"), "539900-cpc-c04-p06-a004"),
    ("aspirational", "flag-mismatch", _in_meeting("    aspirational: true\n", "    aspirational: false\n"), "539900-cpc-c04-p06-t001"),
    ("kind-share-for-count", "kind-mismatch", _in_meeting("    kind: quantity\n    figure: 1.26万人\n",
                                                          "    kind: share\n    figure: 1.26万人\n"), "539900-cpc-c04-p06-a003"),
    ("kind-count-for-percent", "kind-mismatch", _in_meeting("    kind: growth\n    figure: 5.8%\n",
                                                            "    kind: quantity\n    figure: 5.8%\n"), "539900-cpc-c04-p06-a001"),
    ("unit-of-indicator", "unit-mismatch", _at_text("    unit: 人\n    value: 12600", "    indicator_code: employment.new_urban_jobs\n    kind: quantity\n    figure: 1.26万人",
                                                       "    indicator_code: economy.gdp_growth\n    kind: quantity\n    figure: 1.26万人"),
     "539900-cpc-c04-p06-a003"),
    ("unknown-indicator", "unresolved-reference", _in_meeting("    indicator_code: telecom.base_stations_5g_total\n",
                                                              "    indicator_code: telecom.base_stations\n"), "539900-cpc-c04-p06-a004"),
    ("period", "period-mismatch", _in_meeting("    period: 2024\n    indicator: 地区生产总值增长\n",
                                              "    period: 2023\n    indicator: 地区生产总值增长\n"), "539900-cpc-c04-p06-a001"),
    ("uncited", "uncited-figure", _at_text("not_recorded:", "  - {figure: 1, at: 27, reason: date}\n", ""),
     "539900-cpc-c04-p06"),
    ("mark-elsewhere", "mark-not-found", _in_meeting("  - {figure: 1, at: 27, reason: date}\n",
                                                     "  - {figure: 1, at: 26, reason: date}\n"), "539900-cpc-c04-p06"),
    ("mark-cited", "mark-cited", _append("  - {figure: 5.8%, at: 93, reason: other, note: duplicate}\n"),
     "539900-cpc-c04-p06"),
    ("draft", "draft-not-reviewed", _prepend("draft: true\n"), "539900-cpc-c04-p06"),
    ("quote-twice", "quote-ambiguous", _in_meeting("    quote: 成功创建国家森林城市\n    quote_start: 152\n    quote_end: 162\n",
                                                   "    quote: 创建\n    quote_start: 154\n    quote_end: 156\n"),
     "539900-cpc-c04-p06-a006"),
    ("direction", "direction-mismatch", _next_line(_in_meeting("    bound: exact\n    direction: up\n    quote: 地区生产总值增长5.8%",
                                                               "    bound: exact\n    direction: down\n    quote: 地区生产总值增长5.8%")),
     "539900-cpc-c04-p06-a001"),
    ("measure", "measure-mismatch", _at_text("    cumulative: true\n    quote: 累计建成5G基站3000余个",
                                             "    indicator_code: telecom.base_stations_5g_total\n",
                                             "    indicator_code: investment.projects_100m_count\n"),
     "539900-cpc-c04-p06-a004"),
    ("unused-code", "indicator-unused", _in_codebook("  - code: telecom.base_stations_5g_total\n",
                                                     "  - code: telecom.base_stations_4g_total\n    name: 4G基站数\n"
                                                     "    name_en: 4G base stations\n    measure: stock\n    unit: 个\n"
                                                     "    definition: 4G base stations at the end of the period.\n"
                                                     "    definition_zh: 期末4G基站数量。\n"
                                                     "  - code: telecom.base_stations_5g_total\n"),
     "telecom.base_stations_4g_total"),
    ("city-in-codebook", "codebook-city-wording", _in_codebook(
        "    definition: Urban employment created in the period,", "    definition: Urban employment created in 云湖 in the period,"),
     "employment.new_urban_jobs"),
    ("target-period", "period-mismatch", _in_meeting("    period: 2025\n    indicator: 全国文明城市\n",
                                                     "    period: 2027\n    indicator: 全国文明城市\n"), "539900-cpc-c04-p06-t005"),
]


# Cases whose fix the text determines: the problem says exactly what to write.
CONCRETE = {"offsets-disagree", "quote-shifted", "quote-past-end", "quote-traditional", "value", "number", "unit",
            "bound", "bound-yu", "cumulative", "aspirational", "period", "target-period", "meeting-id", "foreign-id",
            "source-reference", "source-hash", "wrong-section", "section-reference", "mark-elsewhere", "mark-cited",
            "uncited", "draft", "kind-share-for-count", "kind-count-for-percent", "figure-absent", "figure-inside-number",
            "direction", "city-in-codebook", "quote-twice", "unused-code"}


@pytest.mark.parametrize(("case", "code", "mutate", "record"), CASES, ids=[case[0] for case in CASES])
def test_each_mistake_is_one_problem_with_code_location_and_fix(second_city: Path, case: str, code: str,
                                                                mutate: Mutation, record: str | None) -> None:
    """One edit, one problem: no knock-on problem for the same mistake (an uncited figure, a vanished
    id), and where the text determines the fix, the fix says exactly what to write."""
    line = mutate(second_city)
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 1
    assert [problem["code"] for problem in report["problems"]] == [code]
    [problem] = report["problems"]
    assert problem["file"].endswith(".yaml")
    if line is not None:
        assert problem["line"] == line
    assert problem["record"] == record
    assert problem["message"]
    if case in CONCRETE:
        assert problem["fix"] != CATALOGUE[code].hint, problem
    else:
        assert problem["fix"]


def test_every_record_error_code_has_a_case() -> None:
    package_and_generated = {code for code in CATALOGUE if code.startswith(("generated-", "descriptor-", "resource-",
                                                                            "table-", "field-", "constraint-",
                                                                            "primary-", "foreign-", "csv-", "partition-",
                                                                            "row-length-", "blank-row", "cell-type-",
                                                                            # the gate's (test_untrusted_package.py)
                                                                            "path-", "json-", "property-", "hash-",
                                                                            "twin-"))}
    # These need their own source text (test_checks.py, test_hostile.py) or a release (test_releases.py).
    tested_elsewhere = {"figure-ambiguous", "precision-exceeded", "id-vanished", "id-reused", "source-empty"}
    assert {case[1] for case in CASES} == set(CATALOGUE) - package_and_generated - tested_elsewhere


def test_all_problems_are_reported_not_just_the_first(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 126000\n")
    edit(second_city / SECOND_CITY_FILE, "    cumulative: true\n", "    cumulative: false\n")
    edit(second_city / SECOND_CITY_FILE, "    bound: about\n", "    bound: roughly\n")
    _, report = run_json("validate", second_city / "data")
    assert sorted(p["code"] for p in report["problems"]) == ["flag-mismatch", "invalid-value", "value-mismatch"]
    assert [p["line"] for p in report["problems"]] == sorted(p["line"] for p in report["problems"])


def test_errors_in_two_files_are_both_reported(second_city: Path) -> None:
    other = second_city / "data/meetings/broken.yaml"
    other.write_text("source: [\n", encoding="utf-8")
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 126000\n")
    _, report = run_json("validate", second_city / "data")
    assert {p["file"].rsplit("/", 1)[-1] for p in report["problems"]} == {"broken.yaml", "539900-cpc-c04-p06.yaml"}


def test_ids_colliding_across_files(second_city: Path) -> None:
    copy = second_city / "data/meetings/copy.yaml"
    copy.write_bytes((second_city / SECOND_CITY_FILE).read_bytes())
    _, report = run_json("validate", second_city / "data")
    duplicates = [p for p in report["problems"] if p["code"] == "duplicate-id"]
    assert {p["record"] for p in duplicates} >= {"539900-cpc-c04-p06", "539900-cpc-c04-p06-a001"}
    assert all("copy.yaml" in p["file"] or "539900" in p["file"] for p in duplicates)
    assert any("already used at" in p["message"] for p in duplicates)


def test_text_output_names_file_line_record_field_and_fix(second_city: Path) -> None:
    line = edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 126000\n")
    result = run("validate", second_city / "data")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert f"539900-cpc-c04-p06.yaml:{line}: error[value-mismatch] 539900-cpc-c04-p06-a003 achievements.2.value:" in first
    assert result.output.splitlines()[1].strip() == "fix: set value: 12600"
    assert result.output.count("error[") == 1
    assert "Traceback" not in result.output


def test_github_format_annotates_the_line(second_city: Path) -> None:
    line = edit(second_city / SECOND_CITY_FILE, "    bound: about\n", "    bound: roughly\n")
    result = run("validate", second_city / "data", "--format", "github")
    assert result.exit_code == 1
    annotation = result.output.splitlines()[0]
    assert annotation.startswith("::error file=")
    assert f",line={line}," in annotation
    assert "539900-cpc-c04-p06.yaml" in annotation


def test_single_meeting_file_can_be_validated(second_city: Path) -> None:
    result = run("validate", second_city / SECOND_CITY_FILE)
    assert result.exit_code == 0, result.output
    assert "valid records" in result.output


def test_valid_records_report_counts(second_city: Path) -> None:
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 0
    assert report["valid"] is True
    assert report["counts"] == {"files": 1, "meetings": 1, "achievements": 6, "targets": 5}


@pytest.mark.parametrize("args", [["validate", "/nonexistent/path"], ["validate", "--format", "xml"],
                                  ["build", "/nonexistent"], ["validate", "README.md"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_meeting_files_in_any_case_are_read_and_hidden_files_are_not(second_city: Path) -> None:
    meetings = second_city / "data/meetings"
    (meetings / "539900-cpc-c04-p06.yaml").rename(meetings / "539900-cpc-c04-p06.YAML")
    (meetings / ".#539900-cpc-c04-p06.yaml").write_text("not: [yaml", encoding="utf-8")  # an editor's lock file
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 0, report["problems"]
    assert report["counts"]["files"] == 1


def test_many_files_read_in_parallel_give_the_same_report(second_city: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From 32 files on, worker processes read them; the report must not depend on that."""
    meetings = second_city / "data/meetings"
    original = (meetings / "539900-cpc-c04-p06.yaml").read_text(encoding="utf-8")
    for number in range(40):  # copies: every id collides, so there is plenty to report
        text = original if number % 7 else original.replace("    value: 12600\n", "    value: 12601\n")
        (meetings / f"copy-{number:02d}.yaml").write_text(text, encoding="utf-8")
    reports = {}
    # Without the cache, then filling it, then answered by it (keys hashed in threads): all the same.
    for run_name, workers, options in (("1", "1", ["--no-cache"]), ("2", "2", ["--no-cache"]),
                                       ("fill", "2", []), ("cached", "2", [])):
        monkeypatch.setenv("COMMDATA_WORKERS", workers)
        exit_code, reports[run_name] = run_json("validate", second_city / "data", *options)
        assert exit_code == 1
    assert reports["1"] == reports["2"] == reports["fill"] == reports["cached"]
    assert {p["code"] for p in reports["2"]["problems"]} >= {"duplicate-id", "value-mismatch"}
    assert reports["2"]["counts"]["files"] == 41


def test_validating_records_never_imports_pyarrow(second_city: Path) -> None:
    """pyarrow takes a third of a second to import: validating a data folder (CI's job on every change)
    must not pay for it. A fresh interpreter, since the tests themselves import it."""
    import subprocess
    import sys

    script = ("import sys\nfrom commdata.cli import main\ntry:\n    main(['validate', '--no-cache', sys.argv[1]])\n"
              "except SystemExit as done:\n    assert done.code in (0, None), done.code\n"
              "print(sorted(name for name in sys.modules if name.split('.')[0] == 'pyarrow'))")
    result = subprocess.run([sys.executable, "-c", script, str(second_city / "data")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
