"""The draft as YAML text that validation can read back: decimals as plain numbers (never floats),
no anchors or aliases (which validation refuses), keys in the order the document gives them, under a
header that tells the curator what to do; and writing it, never over a file unasked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from commdata.errors import DraftError


class _Dumper(yaml.SafeDumper):
    """Decimals as plain YAML numbers, never floats; never an anchor, which validation refuses (a
    value used twice, such as one parsed figure's number, is written out twice)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _represent_decimal)


def draft_yaml(document: dict[str, Any]) -> str:
    header = ("# Draft written by `commdata draft`: every value below is a guess. Review each record against\n"
              "# the source, fill in the TODOs, delete what is not an achievement or target (or move it to\n"
              "# not_recorded with a reason), then remove `draft: true`.\n")
    return header + yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def write_draft(path: Path, text: str, force: bool) -> None:
    if path.exists() and not force:
        raise DraftError(f"{path} exists: refusing to overwrite it (use --force)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
