"""The release page: one self-contained index.html (styles, script and data inline; no network) with
the package's summary, each table's fields, a searchable list of records where clicking a figure
shows its quote highlighted in the full source text, and a chart per indicator of achievements
against targets. It is generated from a built package, so it shows exactly what was published."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from commdata.domain.quantities import jsonable
from commdata.errors import PackageRefusedError, Problem
from commdata.layout import RELEASE_PAGE
from commdata.package.gate import descriptor_file, open_package, resource_format

TEMPLATE = "index.html.j2"  # in release/templates/, with the page's own script and style beside it
SCRIPT, STYLE = "page.js", "page.css"
# The tables the page shows, and the columns it looks rows up by: a package without them has no page.
NEEDED = {"meetings": ("id", "source_id", "place", "place_en"), "achievements": ("meeting_id",), "targets": ("meeting_id",),
          "sources": ("id", "title", "text"), "indicators": ("code",)}


def page_data(folder: Path) -> dict[str, Any]:
    """What the page shows, from the package at ``folder``: only a package that passes every check
    (the gate, then the package check) has a page (PackageRefusedError otherwise)."""
    from commdata.package.check import check_package  # pyarrow: the page is made from the checked tables

    report = check_package(descriptor_file(folder))
    if report.problems:
        raise PackageRefusedError(report.descriptor_path, report.problems)
    package = open_package(folder)  # checked just now: the descriptor as the check read it
    descriptor = package.descriptor
    assert descriptor is not None
    parquet = {resource["name"].removesuffix("-parquet"): resource for resource in package.resources
               if resource_format(resource) == "parquet"}
    for table, columns in NEEDED.items():
        fields = [field["name"] for field in parquet[table]["schema"]["fields"]] if table in parquet else []
        missing = [column for column in columns if column not in fields]
        if missing:
            raise PackageRefusedError(report.descriptor_path, [Problem(
                "field-mismatch", f"the release page needs the Parquet table {table} with the columns "
                f"{', '.join(columns)}; it has {', '.join(fields) or 'none'}", file=str(report.descriptor_path))])

    def rows(table: str) -> list[dict[str, Any]]:
        typed = report.tables.get(f"{table}-parquet") if table in parquet else None
        return [] if typed is None else [{key: jsonable(value) for key, value in row.items()} for row in typed.to_pylist()]

    meetings = {row["id"]: row for row in rows("meetings")}
    records = []
    for part in ("achievements", "targets"):
        for row in rows(part):
            meeting = meetings.get(row["meeting_id"], {})
            records.append({**row, "part": part, "source_id": meeting.get("source_id"), "place": _place(meeting)})
    return {
        "package": {key: descriptor.get(key) for key in ("name", "title", "description", "version", "created")},
        "licenses": descriptor.get("licenses", []),
        "tables": [{"name": name, "description": resource.get("description", ""),
                    "fields": [{"name": f["name"], "type": f["type"], "description": f.get("description", "")}
                               for f in resource["schema"]["fields"]]} for name, resource in parquet.items()],
        "meetings": list(meetings.values()),
        "sources": {row["id"]: {"title": row["title"], "text": row["text"]} for row in rows("sources")},
        "indicators": {row["code"]: row for row in rows("indicators")},
        "assessments": rows("assessments"),
        "records": records,
    }


def _place(meeting: dict[str, Any]) -> str | None:
    """How the page names a record's place (its charts draw one series per place): 呼和浩特市 (Hohhot)."""
    if not meeting:
        return None
    return f"{meeting['place']} ({meeting['place_en']})" if meeting.get("place_en") else meeting.get("place")


def script_json(data: Any) -> str:
    """``data`` as JSON that can stand inside a <script> element: ``<``, ``>`` and ``&`` are escaped
    (\\u003c …), so no text (``</script>``, ``<!--<script>``) can end the element or change how the HTML
    parser reads it, and JSON.parse gives the text back unchanged."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _inline() -> tuple[str, str, str]:
    """The page's script and style (each after a line break, as the page shows them), and the
    Content-Security-Policy that allows exactly those two by their SHA-256 and nothing else: no
    other script, style, image, font, frame or connection, whatever the data holds."""
    loader = _environment().loader
    assert loader is not None
    script, style = ("\n" + loader.get_source(_environment(), name)[0] for name in (SCRIPT, STYLE))
    policy = (f"default-src 'none'; script-src {_digest(script)}; style-src {_digest(style)}; "
              "base-uri 'none'; form-action 'none'")
    return script, style, policy


def page_html(data: dict[str, Any]) -> str:
    """The page for ``data`` (page_data): the template, with the data as JSON in a script element."""
    script, style, policy = _inline()
    template = _environment().get_template(TEMPLATE)
    return template.render(title=f"{data['package']['title']} {data['package']['version']}", policy=policy,
                           data_json=Markup(script_json(data)), script=Markup(script), style=Markup(style))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # Autoescape: every value put into the page is escaped unless it says it is markup (the JSON, escaped
    # by script_json; the page's own script and style).
    return jinja2.Environment(loader=jinja2.PackageLoader("commdata.release", "templates"), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def write_site(package: Path, out: Path) -> Path:
    html = page_html(page_data(package))  # refused before the folder is made
    out.mkdir(parents=True, exist_ok=True)
    target = out / RELEASE_PAGE
    target.write_text(html, encoding="utf-8")
    return target
