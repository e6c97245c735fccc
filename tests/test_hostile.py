"""Bad input never wins: hostile meeting files and folders, through the CLI.

Each case breaks a copy of the made-up second city's records in one way that test_validate_records.py
does not already cover, and asserts exit code 1, a stable code, the file, the line (where there is
one) and the record, with no traceback, within a deadline (nothing may hang or take long: a YAML bomb
must be refused before it is expanded, a FIFO before it is opened for a blocking read).
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from commdata.errors import CATALOGUE

from conftest import SECOND_CITY, SECOND_CITY_FILE, copy_project, edit, make_records, run, run_json

MEETING = Path(SECOND_CITY_FILE).name
SOURCE = "file: sources/yunhu-cpc-c04-p06-communique.txt"
DEADLINE = 15  # seconds for any one case; the slowest takes well under 2

Mutation = Callable[[Path], int | None]  # breaks the project at root; returns the line it broke


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A copy of the second city's records (no generated files: only validation is under test)."""
    return copy_project(SECOND_CITY, tmp_path / "second-city")


class Hung(Exception):
    """Raised by deadline(); not an OSError (as TimeoutError is), so that no `except OSError` swallows it."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (rather than hang the suite) when the block takes longer than ``seconds``."""
    def expire(signum, frame):
        raise Hung(f"took longer than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def problems(root: Path) -> tuple[int, set[tuple[str, str, int | None]]]:
    """Exit code and (file name, code, line) of every problem of validating the records at ``root``."""
    exit_code, report = run_json("validate", root / "data")
    return exit_code, {(Path(p["file"]).name, p["code"], p["line"]) for p in report["problems"]}


def meeting(root: Path) -> Path:
    return root / SECOND_CITY_FILE


def line_of(root: Path, text: str) -> int:
    content = meeting(root).read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def replace(old: str, new: str) -> Mutation:
    """Replace ``old`` by ``new``; the problem is expected on the first line of the replacement."""
    return lambda root: edit(meeting(root), old, new)


def after(anchor: str, inserted: str) -> Mutation:
    """Insert lines after the (one-line) ``anchor``; the problem is expected on the first of them."""
    return lambda root: edit(meeting(root), anchor, anchor + inserted) + 1


def replace_then_line(old: str, new: str, marker: str) -> Mutation:
    """Replace, then expect the problem on the line where ``marker`` stands."""
    def mutate(root: Path) -> int:
        edit(meeting(root), old, new)
        return line_of(root, marker)
    return mutate


def append(text: str) -> Mutation:
    """Append lines to the file; the problem is expected on the first appended line."""
    def mutate(root: Path) -> int:
        data = meeting(root).read_text(encoding="utf-8")
        assert data.endswith("\n")
        meeting(root).write_text(data + text, encoding="utf-8")
        return data.count("\n") + 1
    return mutate


def write(data: bytes, line: int | None = None) -> Mutation:
    def mutate(root: Path) -> int | None:
        meeting(root).write_bytes(data)
        return line
    return mutate


def _bytes_at(old: bytes, new: bytes) -> Mutation:
    """Replace bytes (for encodings a text edit cannot produce); the problem is on their line."""
    def mutate(root: Path) -> int:
        data = meeting(root).read_bytes()
        assert data.count(old) == 1
        meeting(root).write_bytes(data.replace(old, new))
        return data[: data.index(old)].count(b"\n") + 1
    return mutate


def _with_directive(directive: bytes, old: str = "", new: str = "") -> Mutation:
    """Put a YAML directive before the document (and make an edit); the problem is on the edit's line
    (or on line 1)."""
    def mutate(root: Path) -> int:
        line = edit(meeting(root), old, new) if old else -1
        meeting(root).write_bytes(directive + meeting(root).read_bytes())
        return line + directive.count(b"\n") if old else 1
    return mutate


def _billion_laughs() -> str:
    """Nine levels of nine aliases: 9**9 (387 million) values if anything expanded it."""
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    for level in range(1, 10):
        lines.append(f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 9)}]\n")
    return "".join(lines)


def _utf16(root: Path) -> int:
    meeting(root).write_bytes(meeting(root).read_text(encoding="utf-8").encode("utf-16"))
    return 1


def _huge_list(root: Path) -> int:
    return edit(meeting(root), "  participants:\n", "  participants: [" + ", ".join(["市委常委会"] * 100_000) + "]\n  old_participants:\n")


def _many_keys(root: Path) -> int:
    before = sum(1 for event in yaml.parse(meeting(root).read_text(encoding="utf-8"))  # nodes on lines 1-19
                 if isinstance(event, yaml.NodeEvent) and event.start_mark.line < line_of(root, "  place_en: Yunhu\n"))
    first = edit(meeting(root), "  place_en: Yunhu\n", "  place_en: Yunhu\n" + "".join(f"  k{i}: 1\n" for i in range(60_000))) + 1
    return first + (100_001 - before - 1) // 2  # two nodes a line: the line of the 100,001st node


def _deep_flow(root: Path) -> int:
    return edit(meeting(root), "  kind: plenary_session\n", "  kind: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n")


def _deep_block(root: Path) -> int:
    nested = "".join("  " * (depth + 2) + "a:\n" for depth in range(2_000)) + "  " * 2_002 + "1\n"
    line = edit(meeting(root), "  kind: plenary_session\n", "  kind:\n" + nested)
    return line + 11  # the 13th level of nesting: root mapping, meeting, kind, then ten a's


def _sparse_gigabyte(root: Path) -> None:
    with open(meeting(root), "r+b") as handle:
        handle.truncate(1 << 30)  # a sparse file: the size limit must be read from stat, not by reading


def _meeting_is_fifo(root: Path) -> None:
    meeting(root).unlink()
    os.mkfifo(meeting(root))


def _meeting_links_outside(root: Path, name: str = MEETING) -> None:
    outside = root.parent / "elsewhere" / name
    outside.parent.mkdir()
    outside.write_bytes(meeting(root).read_bytes())
    meeting(root).unlink()
    meeting(root).symlink_to(outside)


def _meeting_links_to_dev_zero(root: Path) -> None:
    meeting(root).unlink()
    meeting(root).symlink_to("/dev/zero")


def _source_is(kind: str) -> Mutation:
    def mutate(root: Path) -> int:
        path = root / "data/sources/odd.txt"
        os.mkfifo(path) if kind == "fifo" else path.mkdir()
        return edit(meeting(root), SOURCE, "file: sources/odd.txt")
    return mutate


def _quote(text: str) -> str:
    return f"    quote: {text}\n    quote_start: 109\n    quote_end: 121\n"


def _fullwidth_figure_and_quote(root: Path) -> int:
    edit(meeting(root), "    figure: 1.26万人\n", "    figure: １.26万人\n")
    return edit(meeting(root), "    quote: 新增城镇就业1.26万人\n", "    quote: 新增城镇就业１.26万人\n")


A001, A003, A004, MEETING_ID = "539900-cpc-c04-p06-a001", "539900-cpc-c04-p06-a003", "539900-cpc-c04-p06-a004", "539900-cpc-c04-p06"
SOURCE_ID = "539900-cpc-c04-p06-communique"

CASES: list[tuple[str, str, Mutation, str | None]] = [
    # (test id, error code, mutation, record id expected on the problem)
    # YAML structure
    ("billion-laughs", "yaml-alias", append(_billion_laughs()), None),
    ("merge-key", "yaml-alias", replace("  place_en: Yunhu\n", "  <<: {place_en: Yunhu}\n"), None),
    ("anchor-without-alias", "yaml-alias", replace("  place_en: Yunhu\n", "  place_en: &city Yunhu\n"), None),
    ("anchored-key-then-alias", "yaml-alias", replace("  place_en: Yunhu\n", "  &k place_en: Yunhu\n  held_jointly_with: *k\n"), None),
    ("two-documents", "yaml-syntax", append("---\nsource: {}\n"), None),
    ("top-level-list", "invalid-value", write(b"- source\n- meeting\n", 1), None),
    ("top-level-scalar", "invalid-value", write(b"just a sentence\n", 1), None),
    ("integer-key", "unknown-field", after("  place_en: Yunhu\n", "  1: x\n"), MEETING_ID),
    ("null-key", "unknown-field", after("  place_en: Yunhu\n", "  ~: x\n"), MEETING_ID),
    ("list-as-key", "yaml-syntax", after("  place_en: Yunhu\n", "  [a]: b\n"), None),
    ("explicit-str-tag", "yaml-tag", replace("    quote_start: 85\n", "    quote_start: !!str 85\n"), None),
    ("bool-tag-on-nonsense", "yaml-tag", replace("    cumulative: true\n", "    cumulative: !!bool maybe\n"), None),
    ("null-tag-on-text", "yaml-tag", replace("  place_en: Yunhu\n", "  place_en: !!null Yunhu\n"), None),
    ("tag-directive", "yaml-tag", _with_directive(b"%TAG ! tag:evil.example,2000:\n---\n", "  place_en: Yunhu\n",
                                                  "  place_en: !x Yunhu\n"), None),
    ("yaml-2.0-directive", "yaml-syntax", _with_directive(b"%YAML 2.0\n---\n"), None),
    # Size and depth: refused fast, before anything is expanded or validated value by value
    ("megabyte-line", "invalid-value", replace('  admin_code: "539900"\n', '  admin_code: "' + "5" * (1 << 20) + '"\n'), MEETING_ID),
    ("hundred-thousand-list", "file-too-large", _huge_list, None),
    ("sixty-thousand-keys", "file-too-large", _many_keys, None),
    ("deep-flow-mappings", "yaml-too-deep", _deep_flow, None),
    ("deep-block-mappings", "yaml-too-deep", _deep_block, None),
    ("sparse-gigabyte", "file-too-large", _sparse_gigabyte, None),
    # Encoding and characters
    ("utf-16", "file-encoding", _utf16, None),
    ("overlong-utf-8", "file-encoding", _bytes_at(b"place_en: Yunhu", b"place_en: Yunhu\xc0\xaf"), None),
    ("escaped-lone-surrogate", "yaml-syntax", replace("  place_en: Yunhu\n", '  place_en: "Yun\\ud800hu"\n'), None),
    ("escaped-bell", "invalid-value", replace("  place_en: Yunhu\n", '  place_en: "Yun\\ahu"\n'), MEETING_ID),
    ("escaped-escape-in-quote", "invalid-value", replace(_quote("新增城镇就业1.26万人"), _quote('"新增城镇就业1.26\\e万"')), A003),
    ("zero-width-space-in-quote", "quote-not-in-source", replace_then_line(
        _quote("新增城镇就业1.26万人"), _quote("新增城镇就业1.26\u200b万"), "    quote: 新增城镇就业1.26\u200b万"), A003),
    ("full-width-digit", "quote-not-in-source", _fullwidth_figure_and_quote, A003),
    ("full-width-percent", "figure-not-in-quote", replace("    figure: 5.8%\n", "    figure: 5.8％\n"), A001),
    ("full-width-admin-code", "invalid-value", replace('  admin_code: "539900"\n', '  admin_code: "５３９９００"\n'), MEETING_ID),
    ("arabic-indic-admin-code", "invalid-value", replace('  admin_code: "539900"\n', '  admin_code: "٥٣٩٩٠٠"\n'), MEETING_ID),
    ("id-with-trailing-space", "invalid-value", replace(f"  - id: {A001}\n", f"  - id: '{A001} '\n"), A001 + " "),
    # Scalars of the wrong YAML type (Pydantic's lax mode took several of these)
    ("yes-for-text", "invalid-value", replace("  place_en: Yunhu\n", "  place_en: yes\n"), MEETING_ID),
    ("off-for-text", "invalid-value", replace("  place_en: Yunhu\n", "  place_en: off\n"), MEETING_ID),
    ("NO-for-text", "invalid-value", replace("  place_en: Yunhu\n", "  place_en: NO\n"), MEETING_ID),
    ("octal-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 0o125\n"), A001),
    ("hex-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 0x55\n"), A001),
    ("sexagesimal-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 1:25\n"), A001),
    ("leading-zero-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 085\n"), A001),
    ("float-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 85.0\n"), A001),
    ("quoted-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: '85'\n"), A001),
    ("bool-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: true\n"), A001),
    ("offset-10-to-the-30", "quote-out-of-range", replace_then_line(
        "    quote_start: 85\n    quote_end: 97\n", f"    quote_start: {10**30}\n    quote_end: {10**30 + 12}\n",
        "    quote_end: 1000"), A001),
    ("five-thousand-digit-offset", "invalid-value", replace("    quote_start: 85\n", "    quote_start: 1" + "0" * 5000 + "\n"), None),
    ("overflowing-value", "invalid-value", replace("    value: 12600\n", "    value: 1.0e+999999999\n"), None),
    ("zero-with-a-huge-exponent", "invalid-value", replace("    value: 12600\n", "    value: 0.0e+999999999\n"), None),
    ("quoted-number", "invalid-value", replace("    number: 1.26\n", "    number: '1.26'\n"), A003),
    ("number-for-flag", "invalid-value", replace("    cumulative: true\n", "    cumulative: 1\n"), A004),
    ("timestamp-with-zone", "invalid-value", replace("  date: 2025-01-15\n", "  date: 2025-01-15T10:00:00+08:00\n"), MEETING_ID),
    ("midnight-utc-timestamp", "invalid-value", replace("  date: 2025-01-15\n", "  date: 2025-01-15T00:00:00Z\n"), MEETING_ID),
    ("unix-time-for-date", "invalid-value", replace("  date: 2025-01-15\n", "  date: 1736899200\n"), MEETING_ID),
    ("five-digit-year", "invalid-value", replace("  date: 2025-01-15\n", "  date: 12025-01-15\n"), MEETING_ID),
    # Files that are not what they seem
    ("meeting-is-a-fifo", "file-unreadable", _meeting_is_fifo, None),
    ("meeting-links-outside", "file-unreadable", _meeting_links_outside, None),
    ("meeting-links-to-dev-zero", "file-unreadable", _meeting_links_to_dev_zero, None),
    ("source-is-a-folder", "source-missing", _source_is("folder"), SOURCE_ID),
    ("source-is-a-fifo", "source-missing", _source_is("fifo"), SOURCE_ID),
    ("source-path-with-nul", "invalid-value", replace(SOURCE, 'file: "sources/yunhu\\0.txt"'), SOURCE_ID),
]


@pytest.mark.parametrize(("code", "mutate", "record"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hostile_records_fail_with_code_and_location(records: Path, code: str, mutate: Mutation,
                                                     record: str | None) -> None:
    line = mutate(records)
    started = time.monotonic()
    with deadline(DEADLINE):
        result = run("validate", records / "data", "--format", "json")
    assert result.exit_code == 1, result.output[:2000]
    assert "Traceback" not in result.output
    report = json.loads(result.output)
    matching = [problem for problem in report["problems"] if problem["code"] == code]
    assert matching, f"expected {code}, got {[(p['code'], p['message'][:100]) for p in report['problems']]}"
    if line is not None:
        assert line in [problem["line"] for problem in matching]
        matching = [problem for problem in matching if problem["line"] == line]
    problem = matching[0]
    assert Path(problem["file"]).name == MEETING
    assert problem["record"] == record
    assert problem["message"] and len(problem["message"]) < 500  # a megabyte of input is not echoed back
    assert all(p["code"] in CATALOGUE for p in report["problems"])
    assert time.monotonic() - started < DEADLINE


def test_every_hostile_case_is_distinct() -> None:
    assert len({case[0] for case in CASES}) == len(CASES) >= 25


def test_lone_surrogate_with_the_pure_python_loader(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml, PyYAML decodes "\\ud800" into a string no UTF-8 file can hold: it is refused
    as a value, not written into a CSV (where encoding it would raise)."""
    import commdata.records.yaml_reading

    monkeypatch.setattr(commdata.records.yaml_reading, "Loader", yaml.SafeLoader)
    line = edit(meeting(records), "  place_en: Yunhu\n", '  place_en: "Yun\\ud800hu"\n')
    exit_code, report = run_json("validate", records / "data")
    assert exit_code == 1
    [problem] = [p for p in report["problems"] if p["field"] == "meeting.place_en"]
    assert (problem["code"], problem["line"], problem["field"]) == ("invalid-value", line, "meeting.place_en")
    assert "surrogate" in problem["message"]


@pytest.mark.parametrize("name", ["billion-laughs", "deep-flow-mappings"])
def test_bombs_are_refused_with_the_pure_python_loader(records: Path, monkeypatch: pytest.MonkeyPatch,
                                                       name: str) -> None:
    import commdata.records.yaml_reading

    monkeypatch.setattr(commdata.records.yaml_reading, "Loader", yaml.SafeLoader)
    code, mutate, _ = next(case[1:] for case in CASES if case[0] == name)
    line = mutate(records)
    with deadline(DEADLINE):
        exit_code, report = run_json("validate", records / "data")
    assert exit_code == 1
    assert [(p["code"], p["line"]) for p in report["problems"] if Path(p["file"]).name == MEETING] == [(code, line)]


def test_meetings_folder_reads_yml_and_ignores_other_files(records: Path) -> None:
    """Decision: a meeting file ends in .yaml or .yml, in any case (OLD.YAML is read, never silently
    dropped); hidden files (editor locks such as .#x.yaml, OS litter) and every other file in
    meetings/ (notes, editor backups) are not meeting files and are ignored, so they can neither
    break validation nor slip records into the package."""
    _, before = problems(records)
    folder = records / "data/meetings"
    (folder / "second.yml").write_text("source: [\n", encoding="utf-8")
    (folder / "OLD.YAML").write_bytes(b"\x00\xff")
    for name, data in [("README.md", b"# notes\nsource: [\n"), ("539900-cpc-c04-p06.yaml~", b"source: [\n"),
                       (".#second.yaml", b"source: [\n"), (".DS_Store", b"\x00\x00\x00\x01Bud1"),
                       ("notes.txt", b"\xff\xfe")]:
        (folder / name).write_bytes(data)
    exit_code, after = problems(records)
    assert exit_code == 1
    assert after - before == {("second.yml", "yaml-syntax", 2), ("OLD.YAML", "file-encoding", 1)} and before <= after
    assert run_json("validate", records / "data")[1]["counts"]["files"] == 3


def test_a_refused_value_does_not_hide_the_others(records: Path) -> None:
    """Type refusals are reported with every other problem of the file, each at its own line."""
    _, before = problems(records)
    first = edit(meeting(records), "    quote_start: 85\n", "    quote_start: 85.0\n")
    second = edit(meeting(records), "  place_en: Yunhu\n", '  place_en: "Yun\\x07hu"\n')
    third = edit(meeting(records), "    bound: about\n", "    bound: roughly\n")
    exit_code, after = problems(records)
    assert exit_code == 1
    assert {(code, line) for _, code, line in after - before} == {
        ("invalid-value", first), ("invalid-value", second), ("invalid-value", third)}


def test_values_of_the_right_type_still_pass(records: Path) -> None:
    """What the type checks must not refuse: a quoted date, yes for a flag, an integer for a decimal."""
    _, before = problems(records)
    edit(meeting(records), "  date: 2025-01-15\n", "  date: '2025-01-15'\n")
    edit(meeting(records), "    cumulative: true\n", "    cumulative: yes\n")
    edit(meeting(records), "    number: 100\n", "    number: 100.0\n")
    edit(meeting(records), "    value: 13000\n", "    value: 1.3e+4\n")
    assert problems(records)[1] == before


def test_build_refuses_hostile_records_and_writes_nothing(records: Path, tmp_path: Path) -> None:
    edit(meeting(records), "    quote_start: 85\n", "    quote_start: 85.0\n")
    result = run("build", records, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_symlinked_meeting_file_is_named_by_its_own_path(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The problem names the link in meetings/, not where it points (a bug found here, fixed in api._display)."""
    _meeting_links_outside(records, "elsewhere.yaml")
    monkeypatch.chdir(records.parent)  # the link's target is under the working folder: resolving would name it
    _, report = run_json("validate", records / "data")
    assert [Path(p["file"]).name for p in report["problems"]] == [MEETING]


def test_a_figure_too_large_for_the_package_is_refused(tmp_path: Path) -> None:
    """A figure that the source really writes, but that decimal128(38, 6) cannot hold, is refused by
    validation; build used to trace back in pyarrow (found here, fixed in checks.py)."""
    big = "1" + "0" * 32  # 10**32 yuan: 33 integer digits, one more than decimal128(38, 6) holds
    folder = make_records(tmp_path / "project/data", f"全会指出，一般公共预算收入{big}元。", achievements=[
        {"quote": f"一般公共预算收入{big}元", "figure": f"{big}元", "number": int(big), "unit": "元",
         "value": int(big), "bound": "exact"}])
    (folder / "package.yaml").write_bytes((SECOND_CITY / "data/package.yaml").read_bytes())
    exit_code, report = run_json("validate", folder)
    assert exit_code == 1, "validation must refuse a value that the Parquet decimal cannot hold"
    assert any(p["field"] in ("achievements.0.number", "achievements.0.value") for p in report["problems"])
    result = run("build", tmp_path / "project", "--out", tmp_path / "out")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_a_package_resource_that_is_a_fifo_is_refused_not_waited_for(second_city: Path) -> None:
    """`commdata validate PACKAGE` used to wait forever on a FIFO in data/tables (found here, fixed in
    package_check.py)."""
    table = second_city / "data/tables/sections.csv"
    table.unlink()
    os.mkfifo(table)
    with deadline(3):
        exit_code, report = run_json("validate", second_city / "datapackage.json")
    assert exit_code == 1
    assert any(p["record"] == "sections-csv" for p in report["problems"])


def test_a_source_file_name_too_long_for_the_file_system(records: Path) -> None:
    """A source file name over 255 bytes used to raise ENAMETOOLONG out of the source checks (found
    here, fixed in checks.py)."""
    line = edit(meeting(records), SOURCE, "file: sources/" + "a" * 300 + ".txt")
    exit_code, report = run_json("validate", records / "data")
    assert exit_code == 1
    assert any(p["line"] == line and p["code"] in ("source-missing", "source-path", "invalid-value")
               for p in report["problems"])


def test_a_meeting_over_an_empty_source_is_refused_and_nothing_is_built(tmp_path: Path) -> None:
    """An empty source text would be an empty cell in a column that is never empty: validation refuses
    it by name (build wrote a package that failed its own check before)."""
    folder = make_records(tmp_path / "project/data", " \n")
    (folder / "package.yaml").write_bytes((SECOND_CITY / "data/package.yaml").read_bytes())
    exit_code, report = run_json("validate", folder)
    assert exit_code == 1
    assert [(p["code"], p["field"], p["record"]) for p in report["problems"]] == [("source-empty", "source.file", "539900-test")]
    result = run("build", tmp_path / "project", "--out", tmp_path / "out")
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_a_source_text_of_several_mebibytes_builds(tmp_path: Path) -> None:
    """A whole source text is one row of the sources table: reading the CSV back into Arrow for
    Parquet must take a row longer than the reader's default 1 MiB block (it failed at 2 MiB)."""
    text = "文" * 800_000 + "全年新增城镇就业1.26万人。"  # 2.4 MB of UTF-8 in one CSV row
    folder = make_records(tmp_path / "project/data", text, achievements=[
        {"quote": "新增城镇就业1.26万人", "figure": "1.26万人", "number": "1.26", "multiplier": "万", "unit": "人",
         "value": "12600", "bound": "exact"}])
    (folder / "package.yaml").write_bytes((SECOND_CITY / "data/package.yaml").read_bytes())
    result = run("build", tmp_path / "project", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    sources = pq.read_table(tmp_path / "out/data/tables/sources.parquet").column("text").to_pylist()
    assert sources == [text]
    assert run_json("validate", tmp_path / "out")[0] == 0


def test_the_node_limit_stops_reading_before_a_later_syntax_error(tmp_path: Path) -> None:
    """Over MAX_NODES nodes, then a syntax error: the file is refused for its size, at once, not read
    on to the syntax error (the fast reading once counted nodes only at the end of the file)."""
    path = tmp_path / "data/meetings/m.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("source: [" + ", ".join(["0"] * 100_005) + "]\nmeeting: {a: [}\n", encoding="utf-8")
    _, report = run_json("validate", path)
    assert [(p["code"], p["line"]) for p in report["problems"]] == [("file-too-large", 1)]
