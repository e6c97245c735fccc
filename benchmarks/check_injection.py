"""Does `commdata validate` find exactly the injected errors?

    python benchmarks/check_injection.py DIR [--manifest DIR/injected.json]

runs ``commdata validate DIR/data --format json`` (the commdata next to this interpreter) and
compares its problems with the manifest corpus.py --inject wrote: code, file (relative to the data
folder), line, record and field must all match. Prints what is missing and what is unexpected, and
exits 0 only when both are empty.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

KEYS = ("code", "file", "line", "record", "field")


def commdata_executable() -> str:
    """The commdata script of the running interpreter's environment."""
    return str(Path(sys.executable).parent / "commdata")


def reported(data: Path) -> tuple[dict, list[dict]]:
    """The JSON report of `commdata validate DATA`, with files made relative to the data folder."""
    result = subprocess.run([commdata_executable(), "validate", str(data), "--format", "json"],
                            check=False, capture_output=True, text=True, cwd=data.parent)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"commdata validate exited {result.returncode}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    root = data.resolve()
    for problem in report["problems"]:
        if problem["file"]:
            path = (data.parent / problem["file"]).resolve() if not Path(problem["file"]).is_absolute() \
                else Path(problem["file"])
            try:
                problem["file"] = str(path.relative_to(root))
            except ValueError:
                pass
    return report, report["problems"]


def compare(expected: list[dict], found: list[dict]) -> tuple[list[dict], list[dict]]:
    """(expected but not reported, reported but not expected), as multisets of KEYS."""
    want = Counter(tuple(item[key] for key in KEYS) for item in expected)
    have = Counter(tuple(item[key] for key in KEYS) for item in found)
    missing = [dict(zip(KEYS, key)) for key in (want - have).elements()]
    unexpected = [dict(zip(KEYS, key)) for key in (have - want).elements()]
    return missing, unexpected


def _explain(item: dict, pool: list[dict], messages: dict) -> str:
    """One line for a mismatch, with the nearest counterpart (same code and file) when there is one."""
    near = [other for other in pool if other["code"] == item["code"] and other["file"] == item["file"]]
    shown = " ".join(f"{key}={item[key]}" for key in KEYS)
    extra = messages.get(tuple(item[key] for key in KEYS))
    hint = ""
    if near:
        diffs = [f"{key} {near[0][key]!r}" for key in KEYS if near[0][key] != item[key]]
        hint = f"  (counterpart differs in {', '.join(diffs)})"
    return f"  {shown}{hint}" + (f"\n      {extra}" if extra else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the project folder corpus.py wrote")
    parser.add_argument("--manifest", type=Path, help="default: FOLDER/injected.json")
    args = parser.parse_args(argv)
    manifest = json.loads((args.manifest or args.folder / "injected.json").read_text(encoding="utf-8"))
    _, found = reported(args.folder / "data")
    expected = manifest["problems"]
    missing, unexpected = compare(expected, found)
    messages = {tuple(p[key] for key in KEYS): p["message"] for p in found}
    by_code = Counter(item["code"] for item in expected)
    print(f"{len(manifest['variants'])} variants injected, {len(expected)} problems expected "
          f"({sum(item['consequence'] for item in expected)} of them consequences), {len(found)} reported")
    for code in sorted(by_code):
        hits = sum(1 for item in expected if item["code"] == code) - sum(1 for item in missing if item["code"] == code)
        print(f"  {code:22} expected {by_code[code]}, found {hits}")
    if missing:
        print(f"MISSING ({len(missing)}): expected, not reported as such")
        print("\n".join(_explain(item, unexpected, {}) for item in missing))
    if unexpected:
        print(f"UNEXPECTED ({len(unexpected)}): reported, not expected")
        print("\n".join(_explain(item, missing, messages) for item in unexpected))
    if not missing and not unexpected:
        print("OK: every injected problem was reported with its code, file, line, record and field, and nothing else")
    return 0 if not missing and not unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
