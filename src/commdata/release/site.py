"""The release page: one self-contained index.html (styles, script and data inline; no network) with
the package's summary, each table's fields, a searchable list of records where clicking a figure
shows its quote highlighted in the full source text, and a chart per indicator of achievements
against targets. It is generated from a built package, so it shows exactly what was published."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from commdata.domain.quantities import jsonable
from commdata.layout import RELEASE_PAGE
from commdata.package.gate import descriptor_file, descriptor_object

TEMPLATE = "index.html.j2"  # in release/templates/


def _table(folder: Path, descriptor: dict[str, Any], name: str) -> list[dict[str, Any]]:
    resource = next((r for r in descriptor["resources"] if r["name"] == f"{name}-parquet"), None)
    if resource is None:
        return []
    import pyarrow.parquet as pq  # a third of a second: only where the page is made

    return [{key: jsonable(value) for key, value in row.items()}
            for row in pq.read_table(folder / resource["path"]).to_pylist()]


def page_data(folder: Path) -> dict[str, Any]:
    descriptor = descriptor_object(descriptor_file(folder))
    meetings = {row["id"]: row for row in _table(folder, descriptor, "meetings")}
    records = []
    for part in ("achievements", "targets"):
        for row in _table(folder, descriptor, part):
            records.append({**row, "part": part, "source_id": meetings[row["meeting_id"]]["source_id"]})
    return {
        "package": {key: descriptor.get(key) for key in ("name", "title", "description", "version", "created")},
        "licenses": descriptor.get("licenses", []),
        "tables": [{"name": r["name"].removesuffix("-parquet"), "description": r.get("description", ""),
                    "fields": [{"name": f["name"], "type": f["type"], "description": f.get("description", "")}
                               for f in r["schema"]["fields"]]}
                   for r in descriptor["resources"] if r["format"] == "parquet"],
        "meetings": list(meetings.values()),
        "sources": {row["id"]: {"title": row["title"], "text": row["text"]} for row in _table(folder, descriptor, "sources")},
        "indicators": {row["code"]: row for row in _table(folder, descriptor, "indicators")},
        "assessments": _table(folder, descriptor, "assessments"),
        "records": records,
    }


def page_html(data: dict[str, Any]) -> str:
    """The page for ``data`` (page_data): the template, with the data as JSON in a script element."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    template = _environment().get_template(TEMPLATE)
    return template.render(title=f"{data['package']['title']} {data['package']['version']}", data_json=Markup(payload))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Autoescape: every value put into the page is escaped unless it says it is markup (the JSON).
    return jinja2.Environment(loader=jinja2.PackageLoader("commdata.release", "templates"), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def write_site(package: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / RELEASE_PAGE
    target.write_text(page_html(page_data(package)), encoding="utf-8")
    return target
