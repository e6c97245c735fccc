"""README.md of a release folder: what a downloader reads first."""

from __future__ import annotations

from typing import Any

from commdata.layout import REPOSITORY


def release_readme(descriptor: dict[str, Any], released: str, citation: str, row_counts: dict[str, int]) -> str:
    """README.md of a release folder, for people who only download it."""
    name, version = descriptor["name"], descriptor["version"]
    licenses = ", ".join(f"{item['title']} ({item['path']})" for item in descriptor.get("licenses", []))
    sources = "\n".join(f"- {source['title']}" + (f" ({source['path']})" if source.get("path") else "")
                        for source in descriptor.get("sources", []))
    tables = "\n".join(f"| `{table}` | {count} |" for table, count in row_counts.items())
    return f"""# {descriptor['title']}: release {version}

{descriptor['description']}

Released {released}. Every figure comes with the exact quote it was taken from and that quote's
character offsets in the canonical text of its source, which the `sources` table publishes in full.

## What is in this folder

- `datapackage.json`: the Frictionless Data Package (v2) descriptor: every table's fields, types,
  constraints and keys, and the SHA-256 of every file.
- `data/tables/NAME.csv` and `data/tables/NAME.parquet`: each table in CSV (UTF-8, header row) and
  in Parquet (zstd; exact decimals, dates, dictionary-encoded categories), with the same rows.
- `CODEBOOK.md`: every table and field, in English and Chinese.
- `index.html`: a page to browse the records, each figure's quote highlighted in its source text, and
  a chart per indicator (open it in a browser; it needs no network).
- `load.duckdb.sql`: builds a DuckDB database of every table with keys and comments
  (`duckdb commdata.duckdb < load.duckdb.sql`, run in this folder).
- `CHANGELOG.md`: what changed in each release.
- `CITATION.cff`: how to cite this release.

| table | rows |
| --- | --- |
{tables}

## Where it comes from

{sources}

The source texts are official publications of the bodies that issued them; the records were curated
by hand and checked by `commdata validate` against the source texts.

## License

{licenses}

## How to cite

{citation.strip()}

## How to load it

```python
import duckdb
duckdb.sql("select indicator, figure, bound, value from 'data/tables/targets.parquet'").show()

import pandas as pd
targets = pd.read_parquet("data/tables/targets.parquet")      # value: exact decimal.Decimal

import polars as pl
achievements = pl.read_parquet("data/tables/achievements.parquet")
```

## How to check it

```sh
sha256sum -c SHA256SUMS          # in the folder holding {name}-{version}.zip
pip install "commdata @ git+{REPOSITORY}@v{version}"
commdata validate datapackage.json   # in this folder
```

commdata is installed from its repository at this release's tag: the tool that made this release.
The release page on {REPOSITORY}/releases also carries its wheel (`pip install commdata-*.whl`).
"""
