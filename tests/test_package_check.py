"""`commdata validate` on a built package catches tampering, each kind with its own code."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import run, run_json


@pytest.fixture
def package(second_city: Path, tmp_path: Path) -> Path:
    out = tmp_path / "package"
    assert run("build", second_city, "--out", out).exit_code == 0
    return out


def problems(package: Path) -> list[dict]:
    exit_code, report = run_json("validate", package / "datapackage.json")
    assert exit_code == 1
    return report["problems"]


def codes(package: Path) -> set[str]:
    exit_code, report = run_json("validate", package / "datapackage.json")
    assert exit_code == (0 if report["valid"] else 1)
    return {problem["code"] for problem in report["problems"]}


def rewrite_csv(package: Path, table: str, change) -> None:
    """Change a CSV and update its hash and size in the descriptor, so only the content check can object."""
    path = package / f"data/tables/{table}.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == f"{table}-csv")
    data = path.read_bytes()
    resource["hash"], resource["bytes"] = f"sha256:{hashlib.sha256(data).hexdigest()}", len(data)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_untouched_package_is_valid(package: Path) -> None:
    assert codes(package) == set()


def test_a_changed_byte_in_any_table(package: Path) -> None:
    for path in sorted((package / "data/tables").iterdir()):
        original = path.read_bytes()
        for position in (0, len(original) // 3, len(original) // 2, len(original) - 1):
            data = bytearray(original)
            data[position] ^= 0x01
            path.write_bytes(bytes(data))
            assert "resource-hash-mismatch" in codes(package), (path.name, position)
        path.write_bytes(original)
    assert codes(package) == set()


def test_a_row_removed(package: Path) -> None:
    path = package / "data/tables/targets.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert {"resource-hash-mismatch", "resource-bytes-mismatch", "csv-parquet-mismatch"} <= codes(package)


def test_a_column_reordered(package: Path) -> None:
    def swap_first_two(text: str) -> str:
        rows = [line.split(",") for line in text.splitlines()]
        return "".join(",".join([row[1], row[0], *row[2:]]) + "\n" for row in rows)
    rewrite_csv(package, "meetings", swap_first_two)
    [problem] = problems(package)
    assert (problem["code"], problem["record"], problem["field"]) == ("field-mismatch", "meetings-csv", "schema.fields")
    assert problem["file"].endswith("datapackage.json")


def test_a_parquet_file_swapped_for_another(package: Path) -> None:
    tables = package / "data/tables"
    (tables / "meetings.parquet").write_bytes((tables / "sources.parquet").read_bytes())
    assert {"resource-hash-mismatch", "field-mismatch"} <= codes(package)


def test_a_missing_file(package: Path) -> None:
    (package / "data/tables/sections.parquet").unlink()
    missing = [p for p in problems(package) if p["code"] == "resource-missing"]
    assert [(p["record"], p["field"]) for p in missing] == [("sections-parquet", "path")]


def test_a_descriptor_that_is_not_json(package: Path) -> None:
    (package / "datapackage.json").write_text("{not json", encoding="utf-8")
    assert codes(package) == {"descriptor-invalid"}


def test_a_descriptor_edited_by_hand(package: Path) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    del descriptor["version"]
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert codes(package) == {"descriptor-invalid", "path-outside-package"}


def test_a_duplicated_primary_key(package: Path) -> None:
    rewrite_csv(package, "participants", lambda text: text + text.splitlines()[1] + "\n")
    assert {"primary-key-violation", "csv-parquet-mismatch"} <= codes(package)


def test_a_foreign_key_that_resolves_nowhere(package: Path) -> None:
    rewrite_csv(package, "targets", lambda text: text.replace("539900-cpc-c04-p06,", "539900-cpc-c04-p09,", 1))
    found = [p for p in problems(package) if p["code"] == "foreign-key-violation"]
    assert [(p["record"], p["field"]) for p in found] == [("targets-csv", "meeting_id")]
    assert "row 2" in found[0]["message"]


def test_an_empty_required_cell_and_a_value_outside_the_enum(package: Path) -> None:
    rewrite_csv(package, "targets", lambda text: text.replace(",about,", ",roughly,", 1).replace(",新增城镇就业,", ",,", 1))
    exit_code, report = run_json("validate", package)
    messages = [p["message"] for p in report["problems"] if p["code"] == "constraint-violation"]
    assert exit_code == 1
    assert any("bound must be one of" in m and "row 2" in m for m in messages)
    assert any("indicator is required" in m for m in messages)


def test_a_cell_that_is_not_a_number(package: Path) -> None:
    """The cell is reported at its row, the rest of the table is still checked (frictionless does the same)."""
    rewrite_csv(package, "targets", lambda text: text.replace(",10000000000,", ",ten billion,", 1))
    found = [p for p in problems(package) if p["code"] != "csv-parquet-mismatch"]
    assert [(p["code"], p["record"], p["field"], p["line"]) for p in found] == [("cell-type-error", "targets-csv", "value", 3)]
    assert found[0]["file"].endswith("data/tables/targets.csv") and "'ten billion'" in found[0]["message"]


def test_a_csv_that_is_not_utf8(package: Path) -> None:
    path = package / "data/tables/targets.csv"
    path.write_bytes(path.read_bytes().replace("新增城镇就业".encode(), b"\xff\xfe", 1))
    assert "table-unreadable" in codes(package)


def test_package_errors_never_trace_back(package: Path) -> None:
    (package / "datapackage.json").write_bytes(b"\xff\xfe\x00garbage")
    result = run("validate", package)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "descriptor-invalid" in result.output
