"""Source documents: their bytes, SHA-256 and one documented canonical text.

Canonical form ``commdata-canonical-v1`` turns the text extracted from a published PDF into one
string that quotes and offsets refer to:

1. decode the bytes as UTF-8 (a byte-order mark, if any, is dropped);
2. normalise to Unicode NFC;
3. replace every run of white space (spaces, tabs, ideographic spaces, line breaks) by nothing,
   except between two ASCII letters or digits, where it becomes one space: PDF extraction breaks
   lines inside sentences and puts spaces between CJK characters and digits, and neither carries
   meaning in Chinese text.

Offsets are counted in Unicode code points (Python ``str`` indices), end exclusive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final

CANONICAL_FORM: Final = "commdata-canonical-v1"

_WHITESPACE_RUN = re.compile(r"[\s\u3000\ufeff]+")


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def canonical_text(raw: str) -> str:
    """Return the canonical form of a source text (see the module docstring)."""
    text = unicodedata.normalize("NFC", raw.removeprefix("\ufeff"))

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if before and after and _is_ascii_alnum(before) and _is_ascii_alnum(after) else ""

    return _WHITESPACE_RUN.sub(replace, text)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class SourceText:
    """A source file read from disk: raw bytes plus the canonical text derived from them."""

    path: Path
    raw: bytes

    @classmethod
    def read(cls, path: Path) -> "SourceText":
        return cls(path=path, raw=path.read_bytes())

    @cached_property
    def sha256(self) -> str:
        return sha256_hex(self.raw)

    @cached_property
    def text(self) -> str:
        """The canonical text; raises UnicodeDecodeError when the file is not UTF-8."""
        return canonical_text(self.raw.decode("utf-8"))

    @cached_property
    def canonical_sha256(self) -> str:
        return sha256_hex(self.text.encode("utf-8"))
