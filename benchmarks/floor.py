"""The floor: the least work that could do what commdata does, timed the same way (a child process).

    python benchmarks/floor.py records FILE.json   # parse all meeting files from JSON, validate with Pydantic
    python benchmarks/floor.py tables PACKAGE_DIR  # read every table of a built package with pyarrow

`records` is what `commdata validate` on records could cost if YAML parsing, line tracking and the
cross-record checks were free: one JSON document (corpus.py --json) validated by a
TypeAdapter(list[MeetingFile]) in pydantic-core. `tables` is what package validation could cost if
no check ran: pyarrow.csv.read_csv and pyarrow.parquet.ParquetFile.read of every resource. Each prints
what it read and its own time without interpreter start-up and imports.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def records(path: Path) -> str:
    from pydantic import TypeAdapter

    from commdata.domain.models import MeetingFile

    adapter = TypeAdapter(list[MeetingFile])
    started = time.perf_counter()
    files = adapter.validate_json(path.read_bytes())
    seconds = time.perf_counter() - started
    count = sum(len(model.achievements) + len(model.targets) for model in files)
    return f"{len(files)} meeting files, {count} records validated in {seconds:.3f} s (after imports)"


def tables(folder: Path) -> str:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    rows = 0
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        # ParquetFile.read, not read_table: read_table imports pyarrow.dataset (~0.5 s) on first use.
        table = pacsv.read_csv(path) if resource["format"] == "csv" else pq.ParquetFile(path).read()
        rows += table.num_rows
    seconds = time.perf_counter() - started
    return f"{len(descriptor['resources'])} resources, {rows} rows read in {seconds:.3f} s (after imports)"


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("records", "tables"):
        sys.exit(__doc__)
    print((records if sys.argv[1] == "records" else tables)(Path(sys.argv[2])))
