"""Where `commdata validate` spends its time: cProfile of one in-process validation.

    python benchmarks/profile_validate.py PATH [--top 20] [--out FILE.prof]

PATH is anything `commdata validate` takes (a corpus's data folder, a built package). Prints the
functions with the most cumulative and the most own time, and the share of own time per area
(commdata modules, PyYAML, pydantic, pyarrow, the rest), so that the hotspots read as fractions of
the whole. cProfile slows pure-Python code more than C, so shares lean towards Python functions.
It reads the files in this process (COMMDATA_WORKERS=1 unless set), where cProfile can see them.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path


def area(filename: str, function: str) -> str:
    """Group a profile entry: the commdata module, or the library it belongs to."""
    if "/commdata/" in filename:
        return "commdata." + Path(filename).stem
    for library in ("yaml", "pydantic_core", "pydantic", "pyarrow", "frictionless", "decimal", "re", "json",
                    "pathlib", "hashlib", "unicodedata"):
        if f"/{library}/" in filename or Path(filename).stem == library:
            return library
    if filename == "~":  # built-ins: name them by the method
        if "yaml" in function or "_yaml" in function:
            return "yaml"
        if "pydantic" in function or "validate_python" in function:
            return "pydantic"
        return "builtins: " + function.split(" of ")[0].strip("{}<>").replace("method ", "")[:40]
    return "other: " + Path(filename).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--out", type=Path, help="also save the raw profile here (for snakeviz and the like)")
    args = parser.parse_args(argv)
    # cProfile sees this process only: the files are read here rather than in one worker per core.
    os.environ.setdefault("COMMDATA_WORKERS", "1")

    from commdata.api import validate

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    report = validate(args.path)
    profile.disable()
    seconds = time.perf_counter() - started
    print(f"validate({args.path}): {'valid' if report.ok else f'{len(report.problems)} problems'}, {report.counts}, "
          f"{seconds:.1f} s under cProfile")
    if args.out:
        profile.dump_stats(args.out)
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = stats.stats  # type: ignore[attr-defined]

    shares: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, _) in entries.items():
        shares[area(filename, function)] += own
    print(f"\nown time by area (of {total:.1f} s profiled):")
    for name, own in sorted(shares.items(), key=lambda item: -item[1])[:args.top]:
        print(f"  {own / total:6.1%}  {own:7.2f} s  {name}")

    def show(key: int, title: str) -> None:
        print(f"\ntop {args.top} by {title}:")
        print(f"  {'share':>6} {'seconds':>8} {'calls':>10}  function")
        ranked = sorted(entries.items(), key=lambda item: -item[1][key])[:args.top]
        for (filename, line, function), (_, calls, own, cumulative, _) in ranked:
            value = cumulative if key == 3 else own
            where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}" if filename != "~" else "built-in"
            print(f"  {value / total:6.1%} {value:8.2f} {calls:10d}  {function} ({where})")

    show(3, "cumulative time")
    show(2, "own time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
