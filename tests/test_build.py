"""`commdata build` end to end: a package frictionless accepts, identical CSV and Parquet, the declared
types in DuckDB, records that round-trip, byte-identical rebuilds, and nothing written on failure."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from commdata import api
from commdata.records.loading import load_meeting_file
from commdata.domain.models import Achievement, Target
from commdata.package.specs import TABLES

from conftest import SECOND_CITY_FILE, edit, run, run_json

DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DECIMAL(38,6)", "date": "DATE",
                "boolean": "BOOLEAN"}


@pytest.fixture(params=["second_city", "hohhot"])
def built(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    """(project, package folder) for the made-up city and for the repository's own data."""
    project = request.getfixturevalue(request.param)
    out = tmp_path / "package"
    result = run("build", project, "--out", out)
    assert result.exit_code == 0, result.output
    return project, out


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_accepts_the_package(built: tuple[Path, Path]) -> None:
    from frictionless import validate

    report = validate(str(built[1] / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_commdata_accepts_the_package(built: tuple[Path, Path]) -> None:
    exit_code, report = run_json("validate", built[1])
    assert exit_code == 0, report
    assert report["kind"] == "package"
    assert report["counts"]["resources"] == 2 * len(TABLES)


def test_descriptor_is_frictionless_v2_with_keys_and_hashes(built: tuple[Path, Path]) -> None:
    package = descriptor(built[1])
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for key in ("name", "id", "title", "version", "created", "licenses", "sources", "contributors"):
        assert package[key], key
    for resource in package["resources"]:
        data = (built[1] / resource["path"]).read_bytes()
        import hashlib
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["type"] == "table" and resource["schema"]["primaryKey"]
        if resource["format"] == "csv":
            assert resource["bytes"] == len(data)
        else:
            assert "bytes" not in resource  # frictionless 5 misreads Parquet sizes; commdata checks them
    targets = next(r for r in package["resources"] if r["name"] == "targets-parquet")
    assert {"fields": ["meeting_id"], "reference": {"resource": "meetings-parquet", "fields": ["id"]}} in \
        targets["schema"]["foreignKeys"]
    bound = next(f for f in targets["schema"]["fields"] if f["name"] == "bound")
    assert bound["categories"] == bound["constraints"]["enum"] == [
        "exact", "at_least", "more_than", "about", "at_most", "just_under"]


def test_csv_and_parquet_hold_the_same_rows(built: tuple[Path, Path]) -> None:
    connection = duckdb.connect()
    for spec in TABLES:
        base = built[1] / "data" / "tables" / spec.name
        types = {f["name"]: DUCKDB_TYPES[f["type"]] for f in next(
            r for r in descriptor(built[1])["resources"] if r["name"] == f"{spec.name}-csv")["schema"]["fields"]}
        from_csv = connection.execute(
            f"select * from read_csv('{base}.csv', header=true, columns={types!r}) order by all").fetchall()
        from_parquet = connection.execute(f"select * from read_parquet('{base}.parquet') order by all").fetchall()
        assert from_csv == from_parquet, spec.name
        assert len(from_parquet) == pq.read_metadata(f"{base}.parquet").num_rows


def test_duckdb_reads_the_declared_types(built: tuple[Path, Path]) -> None:
    connection = duckdb.connect()
    for resource in descriptor(built[1])["resources"]:
        if resource["format"] != "parquet":
            continue
        described = connection.execute(f"describe select * from read_parquet('{built[1] / resource['path']}')").fetchall()
        assert [(row[0], row[1]) for row in described] == [
            (field["name"], DUCKDB_TYPES[field["type"]]) for field in resource["schema"]["fields"]]


def test_parquet_files_carry_package_metadata_and_dictionary_categories(built: tuple[Path, Path]) -> None:
    package = descriptor(built[1])
    table = pq.read_table(built[1] / "data/tables/targets.parquet")
    metadata = table.schema.metadata
    assert metadata[b"commdata.package"].decode() == package["name"]
    assert metadata[b"commdata.version"].decode() == package["version"]
    assert str(table.schema.field("kind").type).startswith("dictionary")
    assert str(table.schema.field("value").type) == "decimal128(38, 6)"
    assert pq.ParquetFile(built[1] / "data/tables/targets.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_records_round_trip_through_the_package(built: tuple[Path, Path]) -> None:
    project, out = built
    models = [load_meeting_file(path).model for path in sorted((project / "data/meetings").glob("*.yaml"))]
    for part, model_class in (("achievements", Achievement), ("targets", Target)):
        rows = pq.read_table(out / f"data/tables/{part}.parquet").to_pylist()
        expected = [record for model in models for record in getattr(model, part)]
        rebuilt = []
        for row in rows:
            section = row.pop("section_id")
            meeting = row.pop("meeting_id")
            for derived in ("bound_word", "figure_start"):
                row.pop(derived)
            assert row.pop("period_end") == row["period"] and row["period_start"] <= row["period"]
            if row["period_start"] == row["period"]:  # a figure of one year: the record leaves it out
                row["period_start"] = None
            row["section"] = section.removeprefix(meeting + "-") if section else None
            rebuilt.append(model_class.model_validate({k: v for k, v in row.items() if v is not None}))
        assert rebuilt == expected
    chinese = pq.read_table(out / "data/tables/sources.parquet").column("text").to_pylist()
    assert all("全会" in text or "全体会议" in text for text in chinese)


def test_rebuilds_are_byte_identical(second_city: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", second_city, "--out", first).exit_code == 0
    assert run("build", second_city, "--out", second).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_created_comes_from_the_data_or_source_date_epoch(second_city: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run("build", second_city, "--out", tmp_path / "a").exit_code == 0
    assert descriptor(tmp_path / "a")["created"] == "2025-01-15T00:00:00Z"  # the meeting date in the fixture
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("build", second_city, "--out", tmp_path / "b").exit_code == 0
    assert descriptor(tmp_path / "b")["created"] == "2023-11-14T22:13:20Z"


def test_csv_writes_exact_decimals_and_booleans(second_city: Path, tmp_path: Path) -> None:
    assert run("build", second_city, "--out", tmp_path / "p").exit_code == 0
    lines = (tmp_path / "p/data/tables/targets.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    budget = next(line.split(",") for line in lines if "一般公共预算收入" in line)
    assert budget[header.index("value")] == "10000000000"
    assert budget[header.index("number")] == "100"
    assert budget[header.index("aspirational")] == "false"
    jobs = next(line.split(",") for line in lines if "1.3万人" in line)
    assert Decimal(jobs[header.index("number")]) == Decimal("1.3") and jobs[header.index("number")] == "1.3"


def test_invalid_records_build_nothing(second_city: Path, tmp_path: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 12601\n")
    out = tmp_path / "never"
    result = run("build", second_city, "--out", out)
    assert result.exit_code == 1
    assert "value-mismatch" in result.output and "nothing was written" in result.output
    assert not out.exists()


def test_invalid_records_leave_the_previous_package_untouched(second_city: Path) -> None:
    before = {p: p.read_bytes() for p in second_city.rglob("*") if p.is_file() and "meetings" not in p.parts}
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 12601\n")
    assert run("build", second_city).exit_code == 1
    after = {p: p.read_bytes() for p in second_city.rglob("*") if p.is_file() and "meetings" not in p.parts}
    assert after == before


def test_build_refuses_a_folder_that_is_not_a_package(second_city: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "thesis.tex").write_text("precious")
    result = run("build", second_city, "--out", occupied)
    assert result.exit_code == 2
    assert (occupied / "thesis.tex").read_text() == "precious"
    assert not (occupied / "datapackage.json").exists()


def test_build_replaces_an_earlier_package_completely(second_city: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    assert run("build", second_city, "--out", out).exit_code == 0
    (out / "data/tables/stale.csv").write_text("old")
    assert run("build", second_city, "--out", out).exit_code == 0
    assert not (out / "data/tables/stale.csv").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".commdata")]
    assert run("validate", out).exit_code == 0


def test_build_refreshes_the_project_package(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    indicator_en: GDP growth\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%",
         "    indicator_en: growth of gross regional product\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%")
    assert run("validate", second_city).exit_code == 1  # committed package is stale now
    assert run("build", second_city).exit_code == 0
    assert run("validate", second_city).exit_code == 0
    assert "growth of gross regional product" in (second_city / "data/tables/achievements.csv").read_text()


def test_library_build_returns_a_result(second_city: Path, tmp_path: Path) -> None:
    result = api.build(second_city, tmp_path / "lib")
    assert result.report.ok and result.out == tmp_path / "lib"
    assert result.files["datapackage.json"] == (tmp_path / "lib/datapackage.json").stat().st_size
