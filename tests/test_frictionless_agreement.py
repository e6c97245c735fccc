"""`commdata validate PKG` and frictionless find the same errors in a package's CSV tables, at the same
row and field: one error of each kind frictionless checks, injected into a built package whose
descriptor is then updated (hash, bytes) so that only the row-level error remains.

Rows are counted as frictionless counts them: the header is row 1. commdata's ``line`` is the physical
line in the file, which is the row unless a quoted value above holds a line break: each error in a
table that can take one is checked both ways. benchmarks/compare_errors.py does the same on a
synthetic package of any size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SECOND_CITY, copy_project, run, run_json
from frictionless import validate as frictionless_validate

Rows = list[list[str]]

# frictionless error types and commdata codes, in one vocabulary; constraint errors by their constraint.
FRICTIONLESS_KINDS = {"type-error": "type", "primary-key": "primary-key", "foreign-key": "foreign-key",
                      "extra-cell": "extra-cell", "missing-cell": "missing-cell", "blank-row": "blank-row",
                      "hash-count": "hash", "byte-count": "bytes"}
COMMDATA_KINDS = {"cell-type-error": "type", "primary-key-violation": "primary-key",
                  "foreign-key-violation": "foreign-key", "blank-row": "blank-row", "resource-hash-mismatch": "hash",
                  "resource-bytes-mismatch": "bytes"}
CONSTRAINTS = [("is required", "required"), ("must be one of", "enum"), ("must match", "pattern"),
               ("must be at least", "minimum")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The made-up city's package, built once; each test breaks a copy."""
    from commdata import api

    root = copy_project(SECOND_CITY, tmp_path_factory.mktemp("agreement") / "second-city")
    api.write_schemas(root)
    api.write_docs(root)
    out = root.parent / "package"
    assert run("build", root, "--out", out).exit_code == 0
    return out


@pytest.fixture
def package(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "package"))


def table_path(package: Path, table: str) -> Path:
    return package / "data" / "tables" / f"{table}.csv"


def read_rows(package: Path, table: str) -> Rows:
    with open(table_path(package, table), encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(package: Path, table: str, rows: Rows, update_descriptor: bool = True) -> None:
    """Write a table as commdata does (an empty list is an empty line) and, unless told otherwise,
    its hash and size into the descriptor."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    table_path(package, table).write_bytes(data)
    if update_descriptor:
        descriptor_path = package / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resource = next(r for r in descriptor["resources"] if r["name"] == f"{table}-csv")
        resource["hash"], resource["bytes"] = f"sha256:{hashlib.sha256(data).hexdigest()}", len(data)
        descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def frictionless_errors(package: Path) -> set[tuple]:
    """(kind, resource, row, field) of every error frictionless finds in the CSV resources; a row with
    cells missing counts once, at its first missing field."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["format"] == "csv"]
    keys = {r["name"]: ",".join(r["schema"].get("primaryKey", [])) for r in descriptor["resources"]}
    csv_only = package / "datapackage-csv.json"
    csv_only.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    found: dict[tuple, tuple] = {}
    for task in frictionless_validate(str(csv_only)).tasks:
        for error in task.errors:
            kind = FRICTIONLESS_KINDS.get(error.type, error.type)
            if error.type == "constraint-error":
                kind = re.match(r'constraint "(\w+)"', error.note)[1]
            field = getattr(error, "field_name", None) or None
            if error.type == "primary-key":
                field = keys[task.name]
            elif error.type == "foreign-key":
                field = ",".join(error.field_names)
            row = getattr(error, "row_number", None)
            key = (kind, task.name, row) if kind == "missing-cell" else (kind, task.name, row, field)
            if key not in found:
                found[key] = (kind, task.name, row, field)
    return set(found.values())


def commdata_errors(package: Path) -> tuple[set[tuple], list[dict]]:
    """commdata's problems as (kind, resource, row, field), the row read from the message, and the
    problems themselves; the CSV-Parquet comparison, which frictionless does not make, left out."""
    exit_code, report = run_json("validate", package)
    assert exit_code == (0 if report["valid"] else 1)
    found, problems = set(), []
    for problem in report["problems"]:
        if problem["code"] == "csv-parquet-mismatch":
            continue
        kind = COMMDATA_KINDS.get(problem["code"], problem["code"])
        if problem["code"] == "constraint-violation":
            kind = next(name for words, name in CONSTRAINTS if words in problem["message"])
        elif problem["code"] == "row-length-mismatch":
            kind = "extra-cell" if "belong to no field" in problem["message"] else "missing-cell"
        row = re.match(r"row (\d+)", problem["message"])
        found.add((kind, problem["record"], int(row[1]) if row else None, problem["field"]))
        problems.append(problem)
    return found, problems


def set_cell(table: str, field: str, value: str) -> Callable[[Rows, int], None]:
    def change(rows: Rows, row: int) -> None:
        rows[row - 1][rows[0].index(field)] = value
    return change


def copy_key(table: str, fields: list[str], from_row: int) -> Callable[[Rows, int], None]:
    def change(rows: Rows, row: int) -> None:
        for field in fields:
            column = rows[0].index(field)
            rows[row - 1][column] = rows[from_row - 1][column]
    return change


def extra_cell(rows: Rows, row: int) -> None:
    rows[row - 1].append("extra")


def missing_cell(rows: Rows, row: int) -> None:
    assert rows[row - 1][-1] == ""  # the last cell was empty: its absence is the only error
    rows[row - 1].pop()


def blank(rows: Rows, row: int) -> None:
    rows[row - 1] = []


# (name, table, row as frictionless counts it, change, expected errors at that row as (kind, field))
CASES = [
    ("integer", "targets", 4, set_cell("targets", "period", "20x4"), {("type", "period")}),
    ("number", "achievements", 5, set_cell("achievements", "value", "1.2.3"), {("type", "value")}),
    ("date", "meetings", 2, set_cell("meetings", "date", "2024-02-30"), {("type", "date")}),
    ("boolean", "targets", 6, set_cell("targets", "cumulative", "yes"), {("type", "cumulative")}),
    ("required", "targets", 4, set_cell("targets", "indicator", ""), {("required", "indicator")}),
    ("pattern", "sections", 2, set_cell("sections", "local_id", "Key Points"), {("pattern", "local_id")}),
    ("enum", "targets", 3, set_cell("targets", "kind", "amount"), {("enum", "kind")}),
    ("minimum-offset", "achievements", 4, set_cell("achievements", "quote_start", "-1"), {("minimum", "quote_start")}),
    ("minimum-integer", "meetings", 2, set_cell("meetings", "term", "0"), {("minimum", "term")}),
    ("primary-key", "targets", 5, copy_key("targets", ["id"], 3), {("primary-key", "id")}),
    ("primary-key-of-two-columns", "participants", 3, copy_key("participants", ["meeting_id", "seq"], 2),
     {("primary-key", "meeting_id,seq")}),
    ("foreign-key", "targets", 4, set_cell("targets", "meeting_id", "539900-cpc-c04-p09"),
     {("foreign-key", "meeting_id")}),
    ("extra-cell", "targets", 5, extra_cell, {("extra-cell", None)}),
    ("missing-cell", "achievements", 6, missing_cell, {("missing-cell", "note")}),
    ("blank-row", "achievements", 3, blank, {("blank-row", None), ("primary-key", "id")}),
]
# Tables with a free-text column to put a line break in, at row 2: the errors below it move a line down.
LINE_BREAK = {"targets": "note", "achievements": "note"}
PARAMS = [pytest.param(*case, False, id=case[0]) for case in CASES] + \
    [pytest.param(*case, True, id=f"{case[0]}-after-a-line-break") for case in CASES if case[1] in LINE_BREAK]


@pytest.mark.parametrize(("name", "table", "row", "change", "expected", "line_break"), PARAMS)
def test_both_find_the_error_at_the_same_row_and_field(package: Path, name: str, table: str, row: int,
                                                      change: Callable[[Rows, int], None], expected: set[tuple],
                                                      line_break: bool) -> None:
    rows = read_rows(package, table)
    assert len(rows) >= row, f"{table} has no row {row}"
    if line_break:
        rows[1][rows[0].index(LINE_BREAK[table])] = "a note\non two lines"
    change(rows, row)
    write_rows(package, table, rows)
    want = {(kind, f"{table}-csv", row, field) for kind, field in expected}

    assert frictionless_errors(package) == want
    found, problems = commdata_errors(package)
    assert found == want
    for problem in problems:  # each names the CSV, its line and the row
        assert problem["file"].endswith(f"data/tables/{table}.csv"), problem
        assert problem["line"] == row + line_break, problem
        assert problem["message"].startswith(f"row {row}" + (f" (line {row + 1})" if line_break else "")), problem


def test_a_line_break_in_a_value_is_no_error_for_either(package: Path) -> None:
    rows = read_rows(package, "targets")
    rows[2][rows[0].index("note")] = "first line\r\nsecond line\nthird"
    write_rows(package, "targets", rows)
    assert frictionless_errors(package) == set()
    assert commdata_errors(package)[0] == set()
    _, report = run_json("validate", package)
    assert [(p["code"], p["line"], p["field"]) for p in report["problems"]] == [("csv-parquet-mismatch", 3, "note")]


def test_several_errors_in_one_table_each_at_its_row(package: Path) -> None:
    rows = read_rows(package, "targets")
    rows[1][rows[0].index("note")] = "a note\non two lines"
    set_cell("targets", "kind", "amount")(rows, 3)
    extra_cell(rows, 4)  # set aside by the reader, then put back in its place
    set_cell("targets", "period", "twenty")(rows, 5)
    set_cell("targets", "meeting_id", "539900-cpc-c04-p09")(rows, 6)
    write_rows(package, "targets", rows)
    want = {("enum", "targets-csv", 3, "kind"), ("extra-cell", "targets-csv", 4, None),
            ("type", "targets-csv", 5, "period"), ("foreign-key", "targets-csv", 6, "meeting_id")}
    assert frictionless_errors(package) == want
    found, problems = commdata_errors(package)
    assert found == want
    assert sorted(p["line"] for p in problems) == [4, 5, 6, 7]


def test_both_find_a_changed_file_whose_descriptor_was_not_updated(package: Path) -> None:
    rows = read_rows(package, "targets")
    column = rows[0].index("quote")
    rows[2][column] = "X" + rows[2][column][1:]  # a CJK character (three bytes) becomes one byte
    write_rows(package, "targets", rows, update_descriptor=False)
    want = {("hash", "targets-csv", None, None), ("bytes", "targets-csv", None, None)}
    assert {(kind, resource, row, None) for kind, resource, row, _ in frictionless_errors(package)} == want
    found, _ = commdata_errors(package)
    assert {(kind, resource, row, None) for kind, resource, row, _ in found} == want
