"""The one way into a built package on disk: every command that reads a package (validate, info, diff,
site, a release) finds and reads its descriptor here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from commdata.errors import PackageReadError
from commdata.layout import DESCRIPTOR_PATH


def descriptor_file(path: Path) -> Path:
    """The descriptor of the package at ``path``: a package folder or its datapackage.json."""
    return path / DESCRIPTOR_PATH if path.is_dir() else path


def read_descriptor(path: Path) -> Any:
    """The parsed JSON of a descriptor file (any JSON value: the package check says what is wrong with
    it). PackageReadError when it cannot be read or parsed, with ``reason`` saying why."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PackageReadError(f"cannot read {path}: {error}", reason=str(error)) from error


def descriptor_object(path: Path) -> dict[str, Any]:
    """read_descriptor for commands that use the descriptor's properties: it must be a JSON object."""
    descriptor = read_descriptor(path)
    if not isinstance(descriptor, dict):
        raise PackageReadError(f"{path} is not a package descriptor: it holds no JSON object",
                               reason="not a JSON object")
    return descriptor
