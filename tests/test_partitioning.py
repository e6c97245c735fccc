"""`commdata build --partition-by`: every table again as Hive-partitioned Parquet, read back by DuckDB row
for row, nested, byte-identical, checked by `commdata validate`, and no value can leave its folder."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from commdata import api
from commdata.package.partitions import PartitionError
from commdata.package.specs import TABLES

from conftest import HOHHOT, SECOND_CITY, copy_project, make_records, run, run_json

FOLLOWING = Path(__file__).resolve().parent / "fixtures" / "following-year" / "data"
PARTITIONED = "data/tables/parquet-partitioned"
LINKED = {"sources", "meetings", "participants", "sections", "targets", "achievements"}  # rows with a meeting


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen Hohhot project plus the invented following-year meeting (2023 and 2024)."""
    project = copy_project(HOHHOT, tmp_path_factory.mktemp("two-years") / "project")
    for part in ("meetings", "sources"):
        for path in (FOLLOWING / part).iterdir():
            shutil.copy(path, project / "data" / part / path.name)
    return project


@pytest.fixture(scope="module")
def by_year(two_years: Path) -> Path:
    out = two_years.parent / "by-year"
    result = run("build", two_years, "--out", out, "--partition-by", "year")
    assert result.exit_code == 0, result.output
    return out


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def read_back(out: Path, table: str, hive_types: dict[str, str] | None = None) -> duckdb.DuckDBPyRelation:
    """The partitioned copy of a table as DuckDB reads it: partition columns from the folder names."""
    types = f", hive_types = {hive_types!r}" if hive_types else ""
    return duckdb.sql(f"select * from read_parquet('{out / PARTITIONED / table}/**/*.parquet', "
                      f"hive_partitioning = true{types})")


def single_file(out: Path, table: str) -> duckdb.DuckDBPyRelation:
    return duckdb.sql(f"select * from read_parquet('{out}/data/tables/{table}.parquet')")


def assert_same_rows(out: Path, partition_by: list[str]) -> None:
    """Every row of every table comes back from the partitioned copy, with the table's columns and
    types: the real partition columns from the folder names, the derived ones (year, admin_code) extra."""
    for spec in TABLES:
        original = single_file(out, spec.name)
        types = dict(zip(original.columns, map(str, original.types)))
        real = [column for column in partition_by if column in spec.column_names]
        back = read_back(out, spec.name, {column: types[column] for column in real})
        columns = ", ".join(f'"{column}"' for column in spec.column_names)
        assert back.query("t", f"select {columns} from t").types == original.types, spec.name
        rows = back.query("t", f"select {columns} from t order by all").fetchall()
        assert rows == original.query("t", "select * from t order by all").fetchall(), spec.name
        assert len(rows) == pq.read_metadata(out / f"data/tables/{spec.name}.parquet").num_rows


def test_every_row_of_every_table_comes_back(by_year: Path) -> None:
    assert_same_rows(by_year, ["year"])


def test_year_is_the_year_of_the_rows_meeting(by_year: Path) -> None:
    joins = {"meetings": "t.id = m.id", "sources": "t.id = m.source_id"}
    for table in LINKED:
        back = read_back(by_year, table)
        assert dict(zip(back.columns, map(str, back.types)))["year"] == "BIGINT"
        on = joins.get(table, "t.meeting_id = m.id")
        pairs = duckdb.sql(f"select t.year, year(m.date) from ({back.sql_query()}) t "
                           f"join read_parquet('{by_year}/data/tables/meetings.parquet') m on {on}").fetchall()
        assert len(pairs) == len(back) > 0, table
        assert all(year == meeting_year for year, meeting_year in pairs), table
    assert sorted(read_back(by_year, "meetings").query("t", "select year from t").fetchall()) == [(2023,), (2024,)]
    folders = sorted(p.parent.name for p in (by_year / PARTITIONED / "participants").rglob("*.parquet"))
    assert folders == ["year=2023", "year=2024"]


def test_tables_without_a_meeting_are_one_unpartitioned_file(by_year: Path) -> None:
    for table in ("indicators", "tombstones", "assessments"):
        assert [p.relative_to(by_year / PARTITIONED / table).as_posix()
                for p in (by_year / PARTITIONED / table).rglob("*.parquet")] == ["part-0.parquet"]
        assert "year" not in read_back(by_year, table).columns
    assert len(single_file(by_year, "assessments")) > 0  # the two-year project has assessments to place


def test_partition_files_keep_the_types_metadata_and_row_order_of_the_table(by_year: Path) -> None:
    table = pq.read_table(by_year / "data/tables/targets.parquet")
    part_files = sorted((by_year / PARTITIONED / "targets").rglob("*.parquet"))
    parts = [pq.read_table(path, partitioning=None) for path in part_files]
    assert [p.schema for p in parts] == [table.schema] * len(parts)  # dictionaries, decimal128, metadata
    assert parts[0].schema.metadata[b"commdata.table"] == b"targets"
    ids = [row for part in parts for row in part.column("id").to_pylist()]
    assert ids == table.column("id").to_pylist()  # targets are 2023 only: one file, in the table's order
    options = pq.ParquetFile(part_files[0]).metadata.row_group(0).column(0)
    assert options.compression == "ZSTD"


def test_the_standard_package_is_unchanged(two_years: Path, by_year: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    assert run("build", two_years, "--out", plain).exit_code == 0
    partitioned = files(by_year)
    standard = {path: data for path, data in partitioned.items() if not path.startswith(PARTITIONED + "/")}
    assert standard.keys() == files(plain).keys()
    assert all(data == files(plain)[path] for path, data in standard.items() if path != "datapackage.json")
    declared = descriptor(by_year)
    manifest = declared.pop("commdata:partitioned")
    assert declared == descriptor(plain)
    listed = {file["path"]: file for table in manifest["tables"] for file in table["files"]}
    assert listed.keys() == partitioned.keys() - standard.keys()
    for path, file in listed.items():
        assert file["bytes"] == len(partitioned[path])
        assert file["hash"] == "sha256:" + hashlib.sha256(partitioned[path]).hexdigest()
        assert file["rows"] == pq.read_metadata(by_year / path).num_rows
    assert manifest["partitionBy"] == ["year"]
    assert {table["name"]: table["partitionBy"] for table in manifest["tables"]} == {
        spec.name: ["year"] if spec.name in LINKED else [] for spec in TABLES}


def test_two_columns_nest_and_admin_code_comes_from_the_meeting(two_years: Path, tmp_path: Path) -> None:
    out = tmp_path / "nested"
    result = api.build(two_years, out, partition_by=("year", "admin_code"))
    assert result.report.ok
    assert f"{PARTITIONED}/sections/year=2023/admin_code=150100/part-0.parquet" in result.files
    assert f"{PARTITIONED}/meetings/year=2024/admin_code=150100/part-0.parquet" in result.files
    meetings_file = pq.read_table(out / PARTITIONED / "meetings/year=2024/admin_code=150100/part-0.parquet",
                                  partitioning=None)
    assert "admin_code" not in meetings_file.column_names  # a real partition column leaves the file, as in Hive
    assert_same_rows(out, ["year", "admin_code"])
    back = read_back(out, "achievements", {"admin_code": "VARCHAR"})
    matching = duckdb.sql(f"select count(*) from ({back.sql_query()}) t join read_parquet('{out}/data/tables/"
                          "meetings.parquet') m on t.meeting_id = m.id where t.admin_code = m.admin_code "
                          "and t.year = year(m.date)").fetchall()[0][0]
    assert matching == len(back) > 0
    assert run("validate", out).exit_code == 0


def test_real_columns_nest_and_nulls_go_to_the_hive_default_partition(two_years: Path, tmp_path: Path) -> None:
    out = tmp_path / "verdicts"
    result = run("build", two_years, "--out", out, "--partition-by", "verdict", "--partition-by", "period")
    assert result.exit_code == 0, result.output
    achievements = out / PARTITIONED / "achievements"
    assert (achievements / "verdict=__HIVE_DEFAULT_PARTITION__/period=2023/part-0.parquet").is_file()
    assert (achievements / "verdict=met/period=2024/part-0.parquet").is_file()
    assert [p.relative_to(out / PARTITIONED / "targets").as_posix()
            for p in sorted((out / PARTITIONED / "targets").rglob("*.parquet"))] == ["period=2024/part-0.parquet"]
    assert sorted(p.parent.name for p in (out / PARTITIONED / "assessments").rglob("*.parquet")) == [
        "verdict=exceeded", "verdict=met", "verdict=missed", "verdict=not_comparable"]
    nulls = read_back(out, "achievements").query("t", "select count(*) from t where verdict is null").fetchall()[0][0]
    assert nulls == single_file(out, "achievements").query("t", "select count(*) from t where verdict is null").fetchall()[0][0] > 0
    assert_same_rows(out, ["verdict", "period"])
    assert run("validate", out).exit_code == 0


def test_an_unknown_column_is_a_usage_error_and_nothing_is_written(two_years: Path, by_year: Path,
                                                                   tmp_path: Path) -> None:
    result = run("build", two_years, "--out", tmp_path / "out", "--partition-by", "year", "--partition-by", "yaer")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "'yaer'" in result.output and all(name in result.output for name in ("year", "admin_code", "period", "verdict"))
    assert not (tmp_path / "out").exists()
    assert run("build", two_years, "--out", tmp_path / "out", "--partition-by", "year", "--partition-by",
               "year").exit_code == 2
    assert not (tmp_path / "out").exists()
    existing = tmp_path / "existing"
    shutil.copytree(by_year, existing)
    before = files(existing)
    with pytest.raises(PartitionError, match="yaer"):
        api.build(two_years, existing, partition_by=("yaer",))
    assert files(existing) == before


def test_a_value_too_long_for_a_folder_name_is_a_usage_error(two_years: Path, tmp_path: Path) -> None:
    result = run("build", two_years, "--out", tmp_path / "out", "--partition-by", "text")
    assert result.exit_code == 2
    assert "too long for a folder name" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_partitioned_builds_are_byte_identical(two_years: Path, by_year: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("build", two_years, "--out", again, "--partition-by", "year").exit_code == 0
    assert files(again) == files(by_year)


def test_a_build_without_partitions_removes_the_partitioned_copy(by_year: Path, two_years: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(by_year, out)
    assert run("build", two_years, "--out", out).exit_code == 0
    assert not (out / PARTITIONED).exists()
    assert "commdata:partitioned" not in descriptor(out)
    assert run("validate", out).exit_code == 0


def test_validate_accepts_the_partitioned_package(by_year: Path) -> None:
    exit_code, report = run_json("validate", by_year)
    assert exit_code == 0, report
    assert report["kind"] == "package"


def test_frictionless_accepts_the_partitioned_package(by_year: Path) -> None:
    from frictionless import validate

    report = validate(str(by_year / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def broken(by_year: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the partitioned package, and its 2024 participants file."""
    out = tmp_path / "broken"
    shutil.copytree(by_year, out)
    return out, out / PARTITIONED / "participants/year=2024/part-0.parquet"


def codes(out: Path) -> set[tuple[str, str | None]]:
    exit_code, report = run_json("validate", out)
    assert exit_code == 1
    return {(problem["code"], problem["record"]) for problem in report["problems"]}


def test_validate_finds_an_altered_partition_file(by_year: Path, tmp_path: Path) -> None:
    out, path = broken(by_year, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes
    path.write_bytes(bytes(data))
    assert ("resource-hash-mismatch", "participants") in codes(out)


def test_validate_finds_a_partition_file_swapped_for_another_table(by_year: Path, tmp_path: Path) -> None:
    out, path = broken(by_year, tmp_path)
    path.write_bytes((out / PARTITIONED / "sections/year=2023/part-0.parquet").read_bytes())
    found = codes(out)
    assert {("resource-hash-mismatch", "participants"), ("resource-bytes-mismatch", "participants"),
            ("field-mismatch", "participants"), ("partition-mismatch", "participants")} <= found


def test_validate_finds_a_deleted_partition_file(by_year: Path, tmp_path: Path) -> None:
    out, path = broken(by_year, tmp_path)
    path.unlink()
    assert codes(out) == {("partition-missing", "participants")}


def test_validate_finds_a_link_in_place_of_a_partition_file(by_year: Path, tmp_path: Path) -> None:
    out, path = broken(by_year, tmp_path)
    path.unlink()
    path.symlink_to(by_year / PARTITIONED / "participants/year=2024/part-0.parquet")  # same bytes, outside
    assert codes(out) == {("partition-missing", "participants")}


def test_validate_finds_an_undeclared_partition_file(by_year: Path, tmp_path: Path) -> None:
    out, path = broken(by_year, tmp_path)
    extra = path.parent.parent / "year=2025" / "part-0.parquet"
    extra.parent.mkdir()
    shutil.copy(path, extra)
    assert codes(out) == {("partition-mismatch", None)}


def test_validate_finds_rows_that_do_not_add_up(by_year: Path, tmp_path: Path) -> None:
    out, _ = broken(by_year, tmp_path)
    package = descriptor(out)
    participants = next(t for t in package["commdata:partitioned"]["tables"] if t["name"] == "participants")
    participants["rows"] += 1
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert codes(out) == {("partition-mismatch", "participants")}


def test_validate_refuses_a_declared_path_that_leaves_the_folder(by_year: Path, tmp_path: Path) -> None:
    out, _ = broken(by_year, tmp_path)
    package = descriptor(out)
    participants = next(t for t in package["commdata:partitioned"]["tables"] if t["name"] == "participants")
    participants["files"][0]["path"] = f"{PARTITIONED}/participants/year=2023/../../../../../datapackage.json"
    (out / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert ("descriptor-invalid", "participants") in codes(out)


def test_a_project_built_with_partitions_validates_and_stays_current(two_years: Path, tmp_path: Path) -> None:
    project = copy_project(two_years, tmp_path / "project")
    api.write_docs(project)  # the committed docs may predate this checkout's error codes
    assert run("build", project, "--partition-by", "year").exit_code == 0
    assert (project / PARTITIONED / "meetings/year=2024/part-0.parquet").is_file()
    exit_code, report = run_json("validate", project)
    assert exit_code == 0, report
    (project / PARTITIONED / "meetings/year=2024/part-0.parquet").unlink()
    exit_code, report = run_json("validate", project)
    assert exit_code == 1
    assert [(p["code"], Path(p["file"]).parent.name) for p in report["problems"]] == [("generated-missing", "year=2024")]


@pytest.fixture
def hostile_notes(tmp_path: Path) -> Path:
    """A project whose achievements carry notes that look like paths."""
    quotes = ["全力创建全国文明城市", "深化改革开放", "加强生态保护", "推进乡村振兴"]
    notes = ["../../../escaped", "a/b", "..", None]
    folder = make_records(tmp_path / "project/data", "。".join(quotes) + "。", [
        {"quote": quote, "kind": "qualitative", **({"note": note} if note else {})} for quote, note in zip(quotes, notes)])
    (folder / "package.yaml").write_bytes((SECOND_CITY / "data/package.yaml").read_bytes())
    return tmp_path / "project"


def test_no_value_can_leave_its_folder(hostile_notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = sorted(tmp_path.rglob("*"))
    result = run("build", hostile_notes, "--out", out, "--partition-by", "note")
    assert result.exit_code == 0, result.output
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert all(path == out or out in path.parents for path in created)
    achievements = out / PARTITIONED / "achievements"
    assert sorted(path.name for path in achievements.iterdir()) == [
        "note=..", "note=..%2F..%2F..%2Fescaped", "note=__HIVE_DEFAULT_PARTITION__", "note=a%2Fb"]
    assert all(path.is_dir() and not path.is_symlink() for path in achievements.iterdir())
    back = read_back(out, "achievements").query("t", "select note from t order by id").fetchall()
    assert back == [("../../../escaped",), ("a/b",), ("..",), (None,)]
    assert run("validate", out).exit_code == 0


def test_a_value_spelled_like_the_null_folder_is_refused(hostile_notes: Path, tmp_path: Path) -> None:
    meeting = next((hostile_notes / "data/meetings").glob("*.yaml"))
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("note: a/b", "note: __HIVE_DEFAULT_PARTITION__"),
                       encoding="utf-8")
    result = run("build", hostile_notes, "--out", tmp_path / "out", "--partition-by", "note")
    assert result.exit_code == 2, result.output
    assert "reads back as null" in result.output
    assert not (tmp_path / "out").exists()
