"""JSON Schema for each model, generated into ``schemas/``."""

from __future__ import annotations

import json

from pydantic import BaseModel

from commdata.domain.models import Achievement, Meeting, MeetingFile, PackageInfo, SourceDocument, Target

SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "meeting-file": MeetingFile,
    "source-document": SourceDocument,
    "meeting": Meeting,
    "achievement": Achievement,
    "target": Target,
    "package-info": PackageInfo,
}


def json_schemas() -> dict[str, str]:
    """File name → JSON text of every model's schema (validation mode: what curators write)."""
    files = {}
    for name, model in SCHEMA_MODELS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$id": f"https://commdata.invalid/schemas/{name}.schema.json",
                  **model.model_json_schema(mode="validation")}
        files[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return files
