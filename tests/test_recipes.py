"""The loading recipes in docs/recipes.md run against a freshly built package, and every Parquet file
reads with the right types in DuckDB, pandas and Polars, its Chinese text unchanged."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from commdata.records.loading import load_meeting_file

from conftest import HOHHOT, HOHHOT_FILE, REPO, run

BLOCKS = re.findall(r"```python\n(.*?)```", (REPO / "docs/recipes.md").read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("recipes") / "package"
    assert run("build", HOHHOT, "--out", out).exit_code == 0
    return out


def test_there_are_recipes_for_each_tool() -> None:
    text = "\n".join(BLOCKS)
    assert len(BLOCKS) >= 5 and all(tool in text for tool in ("duckdb", "pandas", "polars", "frictionless"))


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block-{n}" for n in range(1, len(BLOCKS) + 1)])
def test_recipe_runs(block: str, package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(package)
    exec(compile(block, "docs/recipes.md", "exec"), {})


def test_types_in_duckdb_pandas_and_polars(package: Path) -> None:
    path = str(package / "data/tables/targets.parquet")
    types = {row[0]: row[1] for row in duckdb.sql(f"describe select * from '{path}'").fetchall()}
    assert (types["period"], types["period_start"], types["period_end"], types["value"], types["cumulative"],
            types["quote_start"], types["direction"]) == (
        "BIGINT", "BIGINT", "BIGINT", "DECIMAL(38,6)", "BOOLEAN", "BIGINT", "VARCHAR")
    frame = pd.read_parquet(path)
    assert str(frame["period"].dtype) == "int64" and str(frame["kind"].dtype) == "category"
    assert str(frame["period_start"].dtype) == "int64" and str(frame["direction"].dtype) == "category"
    assert isinstance(frame["value"].dropna().iloc[0], Decimal)
    polars = pl.read_parquet(path)
    assert polars.schema["period"] == pl.Int64 and polars.schema["value"] == pl.Decimal(38, 6)
    assert polars.schema["kind"] == pl.Categorical and polars.schema["aspirational"] == pl.Boolean
    meetings = pd.read_parquet(package / "data/tables/meetings.parquet")
    assert str(meetings["date"].iloc[0]) == "2023-12-28"
    assert pl.read_parquet(package / "data/tables/meetings.parquet").schema["date"] == pl.Date


def test_categories_are_dictionary_encoded(package: Path) -> None:
    schema = pq.read_schema(package / "data/tables/achievements.parquet")
    for name in ("kind", "bound", "multiplier"):
        assert str(schema.field(name).type).startswith("dictionary"), name


def test_chinese_text_survives_unchanged(package: Path) -> None:
    curated = load_meeting_file(HOHHOT / HOHHOT_FILE).model
    expected = {record.id: (record.indicator, record.quote) for record in curated.targets}
    for reader in (lambda p: pd.read_parquet(p).to_dict("records"), lambda p: pl.read_parquet(p).to_dicts(),
                   lambda p: duckdb.sql(f"select * from '{p}'").df().to_dict("records")):
        rows = reader(str(package / "data/tables/targets.parquet"))
        assert {row["id"]: (row["indicator"], row["quote"]) for row in rows} == expected
    csv_rows = pd.read_csv(package / "data/tables/targets.csv", dtype=str).to_dict("records")
    assert {row["id"]: (row["indicator"], row["quote"]) for row in csv_rows} == expected


def test_wheel_and_sdist_build_and_install(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, env={**os.environ, "PIP_NO_INPUT": "1"})
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as zipped:
        names = zipped.namelist()
        assert "commdata/cli/__init__.py" in names
        assert {f"commdata/release/templates/{name}" for name in ("index.html.j2", "page.js", "page.css")} <= set(names)
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "commdata = commdata.cli:main" in zipped.read(entry_points).decode()
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", "import commdata.cli, sys; print(commdata.cli.__file__)"],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(target)}, cwd=tmp_path)
    assert result.returncode == 0 and str(target) in result.stdout
    import tarfile
    with tarfile.open(sdist) as archive:
        assert any(name.endswith("src/commdata/domain/models.py") for name in archive.getnames())
