"""The gate: the one way into a package on disk. Every command that reads a package (validate, info,
diff, site, a release, the archive and git routes of diff) opens it here, and reads its files only
through the GatedPackage it gets back.

A downloaded package is hostile until checked. The gate reads the descriptor as a file of the
package (files.py: confined, no link followed, no special file, under a size limit), parses it as
hostile JSON (json_text.py), checks it against the Data Package v2 profiles with frictionless's own
checks (profile.py) and against what commdata reads (rules.py), all before a byte of data is read.
A package with any problem here is refused whole: ``validate`` reports the problems; ``info``,
``diff`` and ``site`` raise PackageRefusedError. Error codes are stable (errors.CATALOGUE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from commdata.errors import PackageReadError, PackageRefusedError, Problem
from commdata.layout import DESCRIPTOR_PATH
from commdata.package.gate.files import (MAX_DESCRIPTOR_BYTES, MAX_TABLE_BYTES, GateError, open_file, path_problem,
                                         read_file)
from commdata.package.gate.json_text import parse_json
from commdata.package.gate.profile import check_profile
from commdata.package.gate.rules import check_rules, limit_value, resource_format, table_stem

__all__ = ["GateError", "GatedPackage", "descriptor_file", "open_package", "require_package", "path_problem",
           "read_file", "parse_json", "limit_value", "resource_format", "table_stem", "MAX_TABLE_BYTES",
           "MAX_DESCRIPTOR_BYTES"]


def descriptor_file(path: Path) -> Path:
    """The descriptor of the package at ``path``: a package folder or its datapackage.json."""
    return path / DESCRIPTOR_PATH if path.is_dir() else path


@dataclass
class GatedPackage:
    """A package as the gate found it: its descriptor (a checked JSON object, or None when it could not
    be read as one) and every problem found before any data was read."""

    descriptor_path: Path  # as given: problems name it
    root: Path  # the package folder, resolved once: every file is read below it
    descriptor: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.descriptor is not None and not self.problems

    @property
    def resources(self) -> list[dict[str, Any]]:
        """The resources (checked: each has a name, a path in the package, a csv or parquet format, a
        hash and a schema of fields commdata reads); empty unless the package passed the gate."""
        return list(self.descriptor["resources"]) if self.ok and self.descriptor is not None else []

    def read(self, relative: str, limit: int = MAX_TABLE_BYTES) -> bytes:
        """The bytes of a file of the package; GateError when it may not be read."""
        return read_file(self.root, relative, limit)

    def open(self, relative: str, limit: int = MAX_TABLE_BYTES) -> BinaryIO:
        """A file of the package opened for reading (for readers that seek: a Parquet footer)."""
        return open_file(self.root, relative, limit)

    def refusal(self, error: GateError, resource: str | None = None) -> PackageRefusedError:
        """The refusal of the whole package for a file the gate would not read."""
        return PackageRefusedError(self.descriptor_path, [Problem(error.code, error.message, file=str(self.descriptor_path),
                                                                  record=resource, field="path")])

    def add(self, code: str, message: str, resource: str | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(code, message, file=str(self.descriptor_path), record=resource, field=field))


def open_package(path: Path) -> GatedPackage:
    """The package at ``path`` (a folder or its datapackage.json) through the gate. Problems of the
    package are in the result; PackageReadError only when there is no package folder at all."""
    descriptor_path = descriptor_file(path)
    folder = descriptor_path.parent
    if not folder.is_dir():
        raise PackageReadError(f"{folder} is not a folder holding a package")
    package = GatedPackage(descriptor_path, folder.resolve(), None)
    try:
        value = parse_json(package.read(descriptor_path.name, MAX_DESCRIPTOR_BYTES), descriptor_path.name)
    except GateError as error:
        code = "descriptor-invalid" if error.code == "resource-missing" else error.code
        package.add(code, f"cannot read the descriptor: {error.message}")
        return package
    if not isinstance(value, dict):
        package.add("descriptor-invalid", f"the descriptor holds a JSON {type(value).__name__}, not an object")
        return package
    check_profile(value, package.add)
    check_rules(value, package.add)
    package.descriptor = value
    return package


def require_package(path: Path) -> GatedPackage:
    """open_package for the commands that only read a sound package (info, diff, site): a package with
    any problem is refused (PackageRefusedError, whose message names the first few)."""
    package = open_package(path)
    if not package.ok:
        raise PackageRefusedError(package.descriptor_path, package.problems)
    return package
