"""Releases: the bump rule, reproducible archives, stable ids with tombstones, and `commdata diff`."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from commdata.release.diff import diff_folders

from conftest import SECOND_CITY_FILE, edit, run, run_json

NEW_TARGET = """  - id: 539900-cpc-c04-p06-t006
    period: 2025
    indicator: 新增城镇就业（重复引用）
    indicator_en: new urban jobs (second record on the same clause)
    kind: qualitative
    quote: 新增城镇就业1.3万人以上
    quote_start: 205
    quote_end: 218
"""


def release(project: Path, *args: str):
    return run("release", project, "--date", "2026-11-28", "--dist", project / "dist", *args)


@pytest.fixture
def released(second_city: Path) -> Path:
    """The made-up city after its first release (1.2.3, the version in its package.yaml)."""
    result = release(second_city, "--bump", "minor", "--note", "First release")
    assert result.exit_code == 0, result.output
    return second_city


def add_target(project: Path) -> None:
    path = project / SECOND_CITY_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("not_recorded:\n", NEW_TARGET + "not_recorded:\n"), encoding="utf-8")


def test_first_release_writes_folder_archive_and_checksums(released: Path) -> None:
    dist = released / "dist"
    folder, archive = dist / "commdata-fixture-1.2.3", dist / "commdata-fixture-1.2.3.zip"
    assert {p.name for p in folder.iterdir()} == {"datapackage.json", "data", "README.md", "CODEBOOK.md",
                                                  "CHANGELOG.md", "load.duckdb.sql", "index.html"}
    database = dist / "commdata-fixture-1.2.3.duckdb"
    sums = (dist / "SHA256SUMS").read_text(encoding="utf-8")  # checked with sha256sum below
    assert [line.split("  ")[1] for line in sums.splitlines()] == [database.name, archive.name]
    connection = duckdb.connect(str(database), read_only=True)
    assert connection.execute("select count(*) from targets").fetchone()[0] == 5
    comment = connection.execute("select comment from duckdb_columns() where table_name = 'targets' "
                             "and column_name = 'value'").fetchone()[0]
    assert "Exact value in base units" in comment and "精确数值" in comment
    script = (folder / "load.duckdb.sql").read_text(encoding="utf-8")  # as a user runs it, from the folder
    subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect('own.duckdb').execute(sys.stdin.read())"],
                   input=script, text=True, cwd=folder, check=True)
    assert duckdb.connect(str(folder / "own.duckdb"), read_only=True).execute(
        "select count(*) from achievements").fetchone()[0] == 6
    (folder / "own.duckdb").unlink()
    assert connection.execute("select data_type from duckdb_columns() where table_name = 'targets' "
                          "and column_name = 'bound'").fetchone()[0].startswith("ENUM")
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True).returncode == 0
    assert run("validate", folder).exit_code == 0
    assert json.loads((folder / "datapackage.json").read_text())["version"] == "1.2.3"
    metadata = pq.read_schema(folder / "data/tables/targets.parquet").metadata
    assert metadata[b"commdata.version"] == b"1.2.3"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "release 1.2.3" in readme and "How to cite" in readme and "CC0 1.0" in readme
    with zipfile.ZipFile(archive) as zipped:
        assert "commdata-fixture-1.2.3/datapackage.json" in zipped.namelist()
    assert (released / "data/releases/1.2.3.json").exists()
    changelog = (released / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.2.3] - 2026-11-28" in changelog and "- First release" in changelog


def test_rebuilding_a_release_is_byte_identical(released: Path, tmp_path: Path) -> None:
    other = tmp_path / "rebuilt"
    result = run("release", released, "--rebuild", "--dist", other)
    assert result.exit_code == 0, result.output
    original = released / "dist"
    names = sorted(p.relative_to(original) for p in original.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    # DuckDB files are not byte-reproducible (DuckDB writes an identifier of its own into each), so
    # SHA256SUMS differs in their line only; everything else is byte-identical, and the databases hold
    # the same rows.
    reproducible = [name for name in names if ".duckdb" not in name.name and name.name != "SHA256SUMS"]
    assert all((original / name).read_bytes() == (other / name).read_bytes() for name in reproducible)
    sums = [(original / "SHA256SUMS").read_text().splitlines(), (other / "SHA256SUMS").read_text().splitlines()]
    assert [line for line in sums[0] if ".duckdb" not in line] == [line for line in sums[1] if ".duckdb" not in line]
    database = "commdata-fixture-1.2.3.duckdb"
    rows = ["select * from targets order by id", "select * from tombstones", "select * from meetings"]
    for query in rows:
        assert duckdb.connect(str(original / database), read_only=True).sql(query).fetchall() == \
            duckdb.connect(str(other / database), read_only=True).sql(query).fetchall()


def test_a_release_is_never_overwritten(released: Path) -> None:
    before = (released / "dist/commdata-fixture-1.2.3.zip").read_bytes()
    result = run("release", released, "--rebuild", "--dist", released / "dist")
    assert result.exit_code == 1 and "never overwritten" in result.output
    (released / "dist/commdata-fixture-1.2.4").mkdir()
    result = release(released, "--bump", "patch")
    assert result.exit_code == 1 and "exists already" in result.output
    assert (released / "dist/commdata-fixture-1.2.3.zip").read_bytes() == before


def test_release_is_refused_for_invalid_data(second_city: Path) -> None:
    edit(second_city / SECOND_CITY_FILE, "    value: 12600\n", "    value: 12601\n")
    version_before = (second_city / "data/package.yaml").read_text()
    result = release(second_city, "--bump", "minor")
    assert result.exit_code == 1 and "validation fails" in result.output
    assert not (second_city / "dist").exists() and not (second_city / "data/releases").exists()
    assert (second_city / "data/package.yaml").read_text() == version_before


def test_a_bump_smaller_than_the_changes_is_refused(released: Path) -> None:
    add_target(released)
    assert run("build", released).exit_code == 0
    result = release(released, "--bump", "patch")
    assert result.exit_code == 1 and "need a minor release" in result.output
    assert not (released / "data/releases/1.2.4.json").exists()
    result = release(released, "--bump", "minor", "--note", "A second record")
    assert result.exit_code == 0, result.output
    changelog = (released / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## [1.3.0]") < changelog.index("## [1.2.3]")
    assert "`targets`: 1 record added" in changelog
    assert "version: 1.3.0" in (released / "data/package.yaml").read_text()


def test_a_corrected_value_needs_a_patch(released: Path) -> None:
    edit(released / SECOND_CITY_FILE, "indicator_en: GDP growth\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%",
         "indicator_en: growth of gross regional product\n    indicator_code: economy.gdp_growth\n    kind: growth\n    figure: 5.8%")
    assert run("build", released).exit_code == 0
    result = release(released, "--bump", "patch")
    assert result.exit_code == 0, result.output
    assert "`achievements`: 1 record changed" in result.output


def test_a_vanished_id_fails_until_it_has_a_tombstone(released: Path) -> None:
    edit(released / SECOND_CITY_FILE, """  - id: 539900-cpc-c04-p06-t005
    period: 2025
    indicator: 全国文明城市
    indicator_en: National Civilised City
    kind: qualitative
    quote: 全力创建全国文明城市
    quote_start: 234
    quote_end: 244
""", "")
    exit_code, report = run_json("validate", released)
    assert exit_code == 1
    [problem] = report["problems"]
    assert (problem["code"], problem["record"]) == ("id-vanished", "539900-cpc-c04-p06-t005")
    assert problem["file"].endswith("data/tombstones.yaml")
    assert run("build", released).exit_code == 1  # nothing is published while an id is missing
    (released / "data/tombstones.yaml").write_text(
        "tombstones:\n  - id: 539900-cpc-c04-p06-t005\n    status: withdrawn\n"
        "    reason: a duplicate of another record\n    withdrawn_in: 2.0.0\n", encoding="utf-8")
    assert run("build", released).exit_code == 0
    assert run("validate", released).exit_code == 0
    tombstones = pq.read_table(released / "data/tables/tombstones.parquet").to_pylist()
    assert [row["id"] for row in tombstones] == ["539900-cpc-c04-p06-t005"]
    result = release(released, "--bump", "minor")
    assert result.exit_code == 1 and "need a major release" in result.output
    assert release(released, "--bump", "major").exit_code == 0


def test_a_retired_id_is_never_reused(second_city: Path) -> None:
    (second_city / "data/tombstones.yaml").write_text(
        "tombstones:\n  - id: 539900-cpc-c04-p06-t001\n    status: superseded\n    reason: split in two\n"
        "    superseded_by: 539900-cpc-c04-p06-t009\n    withdrawn_in: 1.3.0\n", encoding="utf-8")
    exit_code, report = run_json("validate", second_city / "data")
    assert exit_code == 1
    codes = {(p["code"], p["record"], p["line"]) for p in report["problems"]}
    assert ("id-reused", "539900-cpc-c04-p06-t001", 2) in codes
    assert ("unresolved-reference", "539900-cpc-c04-p06-t001", 5) in codes


# commdata diff on crafted pairs ------------------------------------------------------------------

@pytest.fixture
def pair(second_city: Path, tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    assert run("build", second_city, "--out", old).exit_code == 0
    shutil.copytree(old, new)
    return old, new


def _rewrite(package: Path, table: str, change) -> None:
    """Change a table's Parquet file and schema in a package, and declare its new hash; the CSV twin
    declares the same fields (the gate holds the twins to one schema), its file is left alone: diff
    reads Parquet."""
    path = package / f"data/tables/{table}.parquet"
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == f"{table}-parquet")
    rows = pq.read_table(path)
    rows, fields = change(rows, resource["schema"]["fields"])
    for twin in ("parquet", "csv"):
        next(r for r in descriptor["resources"] if r["name"] == f"{table}-{twin}")["schema"]["fields"] = fields
    pq.write_table(rows, path)
    resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_diff_of_identical_packages_needs_no_bump(pair: tuple[Path, Path]) -> None:
    exit_code = run("diff", *pair).exit_code
    assert exit_code == 0
    assert diff_folders(*pair).required_bump == "none"


def test_diff_names_each_changed_field(pair: tuple[Path, Path]) -> None:
    old, new = pair

    def change(rows: pa.Table, fields):
        values = rows.column("indicator_en").to_pylist()
        values[0] = "gross regional product growth"
        return rows.set_column(rows.schema.get_field_index("indicator_en"), "indicator_en", pa.array(values)), fields
    _rewrite(new, "achievements", change)
    result = run("diff", old, new, "--format", "json")
    report = json.loads(result.output)
    assert report["required_bump"] == "patch"
    [table] = report["tables"]
    assert table["changed"] == {"539900-cpc-c04-p06-a001": {
        "indicator_en": {"old": "GDP growth", "new": "gross regional product growth"}}}
    markdown = run("diff", old, new, "--format", "markdown").output
    assert markdown.startswith("## 1.2.3 → 1.2.3: required bump patch")
    assert "`indicator_en`: 'GDP growth' → 'gross regional product growth'" in markdown


@pytest.mark.parametrize(("change", "bump", "what"), [
    (lambda rows, fields: (rows.slice(1), fields), "major", "removed"),
    (lambda rows, fields: (pa.concat_tables([rows, pa.Table.from_pylist(
        [{**rows.slice(0, 1).to_pylist()[0], "id": "539900-cpc-c04-p06-a099"}], schema=rows.schema)]), fields),
     "minor", "added"),
    (lambda rows, fields: (rows.append_column("confidence", pa.array([1] * rows.num_rows)),
                           fields + [{"name": "confidence", "type": "integer"}]), "minor", "columns_added"),
    (lambda rows, fields: (rows.drop_columns(["note"]), [f for f in fields if f["name"] != "note"]),
     "major", "columns_removed"),
    (lambda rows, fields: (rows.set_column(rows.schema.get_field_index("period"), "period",
                                           rows.column("period").cast(pa.string())),
                           [{**f, "type": "string", "constraints": {}} if f["name"] == "period" else f for f in fields]),
     "major", "columns_retyped"),
], ids=["record-removed", "record-added", "column-added", "column-removed", "column-retyped"])
def test_diff_bump_rule(pair: tuple[Path, Path], change, bump: str, what: str) -> None:
    _rewrite(pair[1], "achievements", change)
    report = json.loads(run("diff", *pair, "--format", "json").output)
    assert report["required_bump"] == bump
    assert report["tables"][0][what]


def test_diff_of_metadata_is_a_patch(pair: tuple[Path, Path]) -> None:
    edit(pair[1] / "datapackage.json", '"title": "A made-up city', '"title": "An invented city')
    assert json.loads(run("diff", *pair, "--format", "json").output)["metadata"]["title"]


def test_diff_between_release_archives(released: Path) -> None:
    add_target(released)
    assert run("build", released).exit_code == 0
    assert release(released, "--bump", "minor").exit_code == 0
    dist = released / "dist"
    report = json.loads(run("diff", dist / "commdata-fixture-1.2.3.zip", dist / "commdata-fixture-1.3.0.zip",
                            "--format", "json").output)
    assert (report["old_version"], report["new_version"], report["required_bump"]) == ("1.2.3", "1.3.0", "minor")
    assert report["tables"][0]["added"] == ["539900-cpc-c04-p06-t006"]


def test_diff_between_git_revisions(second_city: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(second_city), *args], check=True, capture_output=True)
    git("init", "-q")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", "-A")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "one")
    add_target(second_city)
    assert run("build", second_city).exit_code == 0
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qam", "two")
    result = run("diff", "HEAD~1", "HEAD", "--repository", second_city)
    assert result.exit_code == 0, result.output
    assert "required bump minor" in result.output and "539900-cpc-c04-p06-t006" in result.output
    assert run("diff", "no-such-revision", "HEAD", "--repository", second_city).exit_code == 2


def test_diff_refuses_a_zip_slip(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zipped:
        zipped.writestr("../../escaped.txt", "gotcha")
    result = run("diff", evil, pair[0])
    assert result.exit_code == 2 and "zip slip" in result.output
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_diff_refuses_a_zip_bomb(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("x/datapackage.json", b"0" * (64 * 1024 * 1024))
    result = run("diff", bomb, pair[0])
    assert result.exit_code == 2 and "zip bomb" in result.output
