"""The descriptor against the Data Package v2 and Table Schema profiles, by frictionless's own
descriptor checks (the validator users run on our packages): its JSON Schema profiles and the rules
it adds to them (unique names, keys that name fields, constraints that fit their field's type, safe
paths, a valid `created`).

Two things are done first, because frictionless would act on them: a ``profile`` or a ``$schema``
other than the v2 standard ones makes it fetch that profile (over the network, or from a file
outside the package). commdata refuses both before frictionless sees the descriptor.

Where the official 2.0 JSON profiles and the standard's text disagree (``fieldsMatch``, the ``list``
type), frictionless follows the text, and so does commdata; it then refuses both beyond their
defaults, since it does not honour them (rules.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

PROFILES = {"package": "https://datapackage.org/profiles/2.0/datapackage.json",
            "resource": "https://datapackage.org/profiles/2.0/dataresource.json",
            "schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "dialect": "https://datapackage.org/profiles/2.0/tabledialect.json"}
MAX_NOTE = 300  # characters of a frictionless note in a message (some quote a whole list of fields)

Add = Callable[..., None]


def _fetches(descriptor: dict[str, Any], add: Add) -> bool:
    """Whether the descriptor names a profile frictionless would fetch; each is a problem."""
    found = False

    def look(value: Any, level: str, where: str) -> None:
        nonlocal found
        if not isinstance(value, dict):
            return
        if "profile" in value:
            add("property-unsupported", f"{where}profile {value['profile']!r}: a v1 profile is not read by commdata "
                "(v2 packages name their standard in $schema)", field=f"{where}profile")
            found = True
        if "$schema" in value and value["$schema"] != PROFILES[level]:
            add("descriptor-invalid" if level == "package" else "property-unsupported",
                f"{where}$schema must be {PROFILES[level]}", field=f"{where}$schema")
            found = True

    look(descriptor, "package", "")
    if "$schema" not in descriptor:
        add("descriptor-invalid", f"the descriptor has no $schema: commdata reads {PROFILES['package']}", field="$schema")
        found = True
    resources = descriptor.get("resources")
    for index, resource in enumerate(resources if isinstance(resources, list) else []):
        look(resource, "resource", f"resources.{index}.")
        if isinstance(resource, dict):
            look(resource.get("schema"), "schema", f"resources.{index}.schema.")
            look(resource.get("dialect"), "dialect", f"resources.{index}.dialect.")
    return found


def check_profile(descriptor: dict[str, Any], add: Add) -> None:
    """Add a problem (descriptor-invalid) for each note of frictionless's descriptor check."""
    if _fetches(descriptor, add):
        return
    for note in _notes(json.dumps(descriptor, sort_keys=True, ensure_ascii=False)):
        shown = note if len(note) <= MAX_NOTE else note[:MAX_NOTE] + "…"
        add("descriptor-invalid", f"the Data Package v2 profile: {shown}")


@lru_cache(maxsize=8)
def _notes(text: str) -> tuple[str, ...]:
    """frictionless's notes on the descriptor whose JSON is ``text`` (sorted keys): a release checks the
    same descriptor several times in one process, and the check takes a few tenths of a second."""
    from frictionless import Package  # frictionless: half a second to import, only where a package is read

    try:
        return tuple(error.note for error in Package.metadata_validate(json.loads(text)))
    except Exception as error:  # noqa: BLE001 - a third party's checker on hostile input: its failure is a refusal
        return (f"frictionless cannot check it ({type(error).__name__})",)
