"""Start-up time of the CLI against the interpreter's own, measured in one run.

Run: python benchmarks/startup.py [--runs 20]
Prints the median and best wall time of each command and its ratio to `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    commdata = str(BIN / "commdata")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "commdata --help": [commdata, "--help"],
        "commdata validate (repository)": [commdata, "validate"],
    }
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; {runs} runs each")
    baseline = None
    for name, command in cases.items():
        times = timed(command, runs)
        median = statistics.median(times)
        baseline = baseline or median
        print(f"{name:<34} median {median * 1000:7.1f} ms   best {min(times) * 1000:7.1f} ms   "
              f"{median / baseline:5.1f}x python -c pass")


if __name__ == "__main__":
    main()
