"""Versions of the data: SemVer X.Y.Z, how a bump moves them, and the bumps in order of size."""

from __future__ import annotations

import re

from commdata.errors import VersionError

SEMVER_PATTERN = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"
BUMPS = ("none", "patch", "minor", "major")  # smallest first
_SEMVER = re.compile(SEMVER_PATTERN)


def is_version(text: str) -> bool:
    return _SEMVER.fullmatch(text) is not None  # fullmatch: $ alone also matches before a final line break


def parse_version(text: str) -> tuple[int, int, int]:
    match = _SEMVER.fullmatch(text)
    if match is None:
        raise VersionError(f"{text!r} is not a version X.Y.Z")
    return int(match[1]), int(match[2]), int(match[3])


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = parse_version(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
