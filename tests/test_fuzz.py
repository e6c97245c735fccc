"""Fuzzing: random and mutated YAML never makes commdata raise, trace back or hang, and random text
never makes the quantity grammar do anything but parse or refuse.

Every property runs derandomized (the same examples on every run, no example database), so CI is
stable; every example has a deadline, and the numbers of examples keep the file to seconds.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commdata.errors import CATALOGUE
from commdata.records.loading import LoadedFile, load_meeting_file
from commdata.domain.quantities import Quantity, QuantityError, parse_figure

from conftest import SECOND_CITY, SECOND_CITY_FILE, copy_project, run

FUZZ = settings(derandomize=True, database=None, deadline=timedelta(seconds=2), print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

ORIGINAL = (SECOND_CITY / SECOND_CITY_FILE).read_bytes()
LINES = ORIGINAL.splitlines(keepends=True)

# What a mutation writes: YAML's syntax characters, white space and line ends of every kind, digits
# (ASCII and full-width), CJK, controls, a byte that is never UTF-8, and fragments of YAML.
CHARACTERS = list(":-?,[]{}#&*!|>'\"%@`~ \t\n\r\x00\x07\x1b\x85\u2028\ufeff\u200b") + list("0123456789.+eE_x") + \
    list("０５％万亿人第届以上约é")
FRAGMENTS = [b": ", b"- ", b"---\n", b"...\n", b"&a ", b"*a", b"<<: ", b"!!python/object:os.system ", b"!tag ",
             b"? ", b"[", b"]", b"{", b"}", b"'", b'"', b"|\n", b">-\n", b"\\x00", b'"\\ud800"', b".nan", b"-.inf",
             b"0x1F", b"0o17", b"1:30", b"1e999999999", b"1.0e+999999999", b"9" * 5000, b"~", b"null", b"yes",
             b"2025-02-30", b"2025-01-15T00:00:00Z", b"\xef\xbb\xbf", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\r\n", b"\t",
             b"  " * 40, b"[" * 200, b"{a: " * 50]


# Values a field may be given instead of its own: other YAML types, numbers too large or too small to
# compute with, dates as timestamps, escapes, and syntax that starts something else.
SCALARS_WRITTEN = [b"9" * 5000, b"1.0e+999999999", b"1.0e-999999999", b"1" + b"0" * 40, b".nan", b"-.inf", b"0x1F",
                   b"0o17", b"017", b"1:30", b"85.0", b"'85'", b"-1", b"true", b"yes", b"NO", b"~", b"''",
                   b"2025-01-15T00:00:00Z", b"1736899200", b"2025-02-30", b'"\\x07"', b'"\\ud800"', b'"\\0"', b"[]",
                   b"{}", b"[1, [2, [3]]]", b"!!str 1", b"!!binary aGk=", b"&a 1", b"*a", b"|", b">", b'"', b"'", b"@x",
                   b"`x", b"%x", b"? x", b"=1+1", b"sources/../../x.txt", b"/dev/zero", "５３９９００".encode(),
                   "１.26万人".encode(), "5.8％".encode(), "第3位".encode(), "3000余个".encode()]
_FIELD_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+: ?)(.*)$", re.DOTALL)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The second city's meeting file after one to six random byte and line mutations."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["value", "value", "delete", "duplicate", "swap", "character", "insert",
                                          "truncate", "indent"]))
        index = draw(st.integers(0, len(lines) - 1))
        if operation == "value" and (field := _FIELD_LINE.match(lines[index])):
            lines[index] = field.group(1).rstrip(b" ") + b" " + draw(st.sampled_from(SCALARS_WRITTEN)) + b"\n"
        elif operation == "delete" and len(lines) > 1:
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "character":
            line = lines[index]
            position = draw(st.integers(0, max(len(line) - 1, 0)))
            lines[index] = line[:position] + draw(st.sampled_from(CHARACTERS)).encode("utf-8", "surrogatepass") + line[position + 1:]
        elif operation == "insert":
            line = lines[index]
            position = draw(st.integers(0, len(line)))
            lines[index] = line[:position] + draw(st.sampled_from(FRAGMENTS)) + line[position:]
        elif operation == "truncate":
            lines = lines[: index + 1]
        elif operation == "indent":
            lines[index] = draw(st.sampled_from([b" ", b"  ", b"\t", b""])) + lines[index].lstrip(b" ")
    return b"".join(lines)


FIELD_NAMES = ["source", "meeting", "achievements", "targets", "not_recorded", "draft", "id", "file", "sha256",
               "title", "date", "term", "plenary", "participants", "role", "name", "sections", "quote", "quote_start",
               "quote_end", "figure", "number", "multiplier", "unit", "value", "bound", "period", "kind", "at"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), st.text(max_size=20),
                    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["2025-01-15", "about", "万", "5.8%"]))
STRUCTURES = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=5), st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=6)), max_leaves=40)


@st.composite
def random_yaml(draw: st.DrawFn) -> bytes:
    """Plausible YAML (a random structure over the models' field names, dumped), or text that is barely YAML."""
    if draw(st.booleans()):
        return yaml.safe_dump(draw(STRUCTURES), allow_unicode=True).encode("utf-8", "surrogatepass")
    pieces = st.sampled_from(CHARACTERS + list("abcdefghijklmnopqrstuvwxyz") + ["source:", "meeting:", "\n  - "])
    return "".join(draw(st.lists(pieces, max_size=200))).encode("utf-8")


def assert_sound(loaded: LoadedFile, display: str) -> None:
    """Either a valid model and no problems, or problems with a catalogued code and the file."""
    if loaded.model is not None and not loaded.problems:
        return
    assert loaded.problems, "an invalid file must say why"
    for problem in loaded.problems:
        assert problem.code in CATALOGUE
        assert problem.file == display
        assert problem.line is None or 1 <= problem.line
        assert problem.message


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(SECOND_CITY, tmp_path_factory.mktemp("fuzz") / "second-city")


def test_the_unmutated_file_is_valid(records: Path) -> None:
    """The mutations start from a valid file, so what they find is theirs."""
    loaded = load_meeting_file(records / SECOND_CITY_FILE, "m.yaml")
    assert loaded.model is not None and not loaded.problems, loaded.problems


@settings(FUZZ, max_examples=800)
@given(data=st.one_of(mutated(), random_yaml()))
def test_load_meeting_file_never_raises(records: Path, data: bytes) -> None:
    path = records / "loose" / "fuzzed.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    started = time.monotonic()
    loaded = load_meeting_file(path, "fuzzed.yaml")
    assert time.monotonic() - started < 2
    assert_sound(loaded, "fuzzed.yaml")


@settings(FUZZ, max_examples=300)
@given(data=mutated())
def test_validate_never_traces_back(records: Path, data: bytes) -> None:
    """Through the CLI, with the cross-record checks (source, quotes, figures) on whatever loads."""
    (records / SECOND_CITY_FILE).write_bytes(data)
    try:
        result = run("validate", records / "data", "--format", "json")
    finally:
        (records / SECOND_CITY_FILE).write_bytes(ORIGINAL)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    report = json.loads(result.output)
    assert report["valid"] == (result.exit_code == 0) == (not report["problems"])
    for problem in report["problems"]:
        assert problem["code"] in CATALOGUE
        assert problem["file"]


FIGURE_CHARACTERS = list("0123456789.,%第前首余多个人元年万亿千百十零〇一二两三四五六七八九连冠丰增位次亩") + \
    list("０１２٣𝟏²⑤Ⅻ\x00\n -+eE_") + ["万亿", "个百分点", "平方公里", "千瓦时"]


@settings(FUZZ, max_examples=1000)
@given(text=st.one_of(st.lists(st.sampled_from(FIGURE_CHARACTERS), max_size=20).map("".join), st.text(max_size=30),
                      st.text(st.sampled_from(list("0123456789,.")), min_size=200, max_size=2000)))
def test_parse_figure_parses_or_refuses(text: str) -> None:
    started = time.monotonic()
    try:
        quantity = parse_figure(text)
    except QuantityError:
        pass
    else:
        assert isinstance(quantity, Quantity)
        assert quantity.figure == text
    assert time.monotonic() - started < 1


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                     st.sampled_from(["1.5", "0x1F", "017", "1:30", "yes", "~", "2024-01-02", "<<", "&a", "*a"]))
_DOCUMENTS = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                          max_leaves=30)
_HOSTILE = ["a: &x 1\nb: *x\n", "a: !!python/object 1\n", "a: 1\na: 2\n", "? [1]\n: 2\n", "a: 1\n---\nb: 2\n",
            "<<: {a: 1}\n", "a: " + "[" * 14 + "]" * 14 + "\n", "", "# only a comment\n", "a: 1e99999\n",
            "a: [" + ",".join(["1"] * 100_001) + "]\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS, st.sampled_from([None, "flow", "block"]))
def test_the_fast_reading_gives_what_the_located_reading_gives(document: object, style: str | None) -> None:
    """load.py reads a file first without lines, and again with lines when that reading stops: both
    must agree on every value, and the fast one must stop wherever the located one refuses."""
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style={"flow": True, "block": False}.get(style))
    _same_reading(text)


@pytest.mark.parametrize("text", _HOSTILE)
def test_the_fast_reading_hands_every_refusal_to_the_located_reading(text: str) -> None:
    _same_reading(text)


def _same_reading(text: str) -> None:
    from commdata.records.yaml_reading import NodeError, fast_values, located_values

    try:
        located = located_values(text, {})
    except (NodeError, yaml.YAMLError) as error:
        with pytest.raises((NodeError, yaml.YAMLError)):
            fast_values(text)
        assert not isinstance(error, NodeError) or error.code != "unusual"
        return
    try:
        fast = fast_values(text)
    except NodeError as error:  # it may stop where the located reading goes on (it is cautious)
        assert error.code == "unusual" or error.code == "invalid-value"
        return
    assert fast == located
