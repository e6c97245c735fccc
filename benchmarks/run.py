"""Time commdata on synthetic corpora of growing size, against frictionless and against a floor.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--seed 1] [--timeout 900] [--work /tmp/bench/run]

For each size it generates a corpus with corpus.py (timed on its own line, not part of any ratio),
then runs every step as a child process of this interpreter's environment and reports its wall time
and peak resident memory (from os.wait4, i.e. the child's own getrusage):

  commdata validate DIR/data        the records (YAML, models, cross-record checks, coverage), no cache
  validate again, one file changed  the same with a check cache filled by an untimed run, after one
                                    meeting file changed (incremental validation)
  commdata build DIR --out PKG      validate again, then render and write CSV, Parquet, descriptor; with an
                                    empty cache of its own, as a first build (it fills the cache)
  commdata validate PKG             the built package (columnar checks)
  frictionless validate             the same package restricted to its CSV resources
  floor: JSON + TypeAdapter         the records parsed from JSON and validated by Pydantic only
  floor: pyarrow read               every table of the package read by pyarrow, no checks
  build again, one file changed     the build again with the cache the first build filled, after one more
                                    meeting file changed (incremental build)

and the ratios frictionless / commdata package validation and commdata record validation / floor.
A step that runs past --timeout is killed and noted; the steps that need its output are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # commdata and frictionless of the running environment


@dataclass
class Step:
    name: str
    seconds: float | None = None  # wall time
    cpu: float | None = None  # user + system time of the child: what contention on a busy machine inflates least
    peak_mb: float | None = None
    load: float | None = None  # 1-minute load average when the step ended
    status: str = "ok"  # ok, failed (exit N), timeout, skipped
    note: str = ""


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (worker processes too), in MB."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    family, grew = {root}, True
    while grew:
        grown = family | {pid for pid, parent in parents.items() if parent in family}
        grew, family = grown != family, grown
    pages = 0
    for pid in family:
        try:
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def run(command: list[str], timeout: float, log: Path, env: dict[str, str] | None = None
        ) -> tuple[float, float, float, int | None]:
    """Run ``command``; return (wall seconds, CPU seconds, peak RSS in MB, exit code or None when killed
    on timeout). Peak RSS is the larger of the child's own peak and the peak of the sum over its whole
    process tree, sampled every 50 ms: commdata reads files in one worker process per core, and
    their memory counts too."""
    with open(log, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})})
        killed, finished = threading.Event(), threading.Event()
        tree_peak = [0.0]

        def sample() -> None:
            while not finished.wait(0.05):
                tree_peak[0] = max(tree_peak[0], tree_rss_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        def kill() -> None:
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage: ru_maxrss in KiB on Linux
        timer.cancel()
        seconds = time.perf_counter() - started
        finished.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    cpu = usage.ru_utime + usage.ru_stime  # includes the worker processes it waited for
    peak = max(usage.ru_maxrss / 1024, tree_peak[0])
    return seconds, cpu, peak, None if killed.is_set() else process.returncode


def tail(log: Path, lines: int = 3) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " | ".join(line.strip() for line in text[-lines:])


def csv_only_descriptor(package: Path) -> Path:
    """A copy of the descriptor with only the CSV resources (their foreign keys already point at CSV
    resources), next to the original so that its relative paths resolve."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [resource for resource in descriptor["resources"] if resource["name"].endswith("-csv")]
    copy = package / "datapackage-csv.json"
    copy.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return copy


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")) / 1024 / 1024
    except OSError:
        memory = float("nan")
    versions = []
    for package in ("commdata", "pydantic", "pydantic-core", "pyarrow", "frictionless", "PyYAML", "click"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} -")
    import yaml
    libyaml = "with libyaml" if hasattr(yaml, "CSafeLoader") else "pure Python"
    return [f"CPU: {cpu}; {os.cpu_count()} logical cores (usable: {len(os.sched_getaffinity(0))}); "
            f"memory {memory:.1f} GiB",
            f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}",
            "; ".join(versions) + f" (PyYAML {libyaml})"]


STEPS = {  # --steps keys → step names
    "startup": "commdata --version (start-up)",
    "validate": "commdata validate DIR/data",
    "incremental": "validate again, one file changed",
    "build": "commdata build DIR --out PKG",
    "package": "commdata validate PKG",
    "frictionless": "frictionless validate (CSV only)",
    "floor-records": "floor: JSON + TypeAdapter",
    "floor-tables": "floor: pyarrow read tables",
    "incremental-build": "build again, one file changed",
}


def frictionless_summary(log: Path) -> str:
    """frictionless prints a table of resources: count VALID and INVALID rows rather than show its border."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return f"{text.count('│ VALID')} resources VALID, {text.count('│ INVALID')} INVALID"


def measure(size: int, seed: int, timeout: float, work: Path, jobs: int | None,
            wanted: set[str]) -> tuple[list[Step], dict]:
    corpus, package = work / f"corpus-{size}", work / f"package-{size}"
    logs = work / f"logs-{size}"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    shutil.rmtree(package, ignore_errors=True)
    records_json = corpus / "records.json"
    info: dict = {}
    steps: list[Step] = []
    done: set[str] = set()

    def step(name: str, command: list[str], needs: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Step:
        result = Step(name)
        steps.append(result)
        missing = [need for need in needs if need not in done]
        if name != "generate corpus + JSON copy" and name not in wanted:
            result.status, result.note = "skipped", "not in --steps"
            return result
        if missing:
            result.status, result.note = "skipped", f"needs {', '.join(missing)}"
            return result
        log = logs / (name.split()[0].strip(":") + f"-{len(steps)}.log")
        result.seconds, result.cpu, result.peak_mb, code = run(command, timeout, log, env)
        result.load = os.getloadavg()[0]
        if code is None:
            result.status, result.note = "timeout", f"killed after {timeout:.0f} s"
        elif code != 0:
            result.status, result.note = f"failed (exit {code})", tail(log)
        else:
            result.note = frictionless_summary(log) if name.startswith("frictionless") else tail(log, 1)
            done.add(name)
        return result

    python, commdata = sys.executable, str(BIN / "commdata")
    generate = [python, str(HERE / "corpus.py"), "--records", str(size), "--seed", str(seed), "--out", str(corpus),
                "--json", str(records_json)] + (["--jobs", str(jobs)] if jobs else [])
    step("generate corpus + JSON copy", generate)
    step("commdata --version (start-up)", [commdata, "--version"])
    step("commdata validate DIR/data", [commdata, "validate", "--no-cache", str(corpus / "data")],
         ("generate corpus + JSON copy",))
    if "validate again, one file changed" in wanted and "generate corpus + JSON copy" in done:
        # Fill a cache of its own (untimed), change one meeting file, and validate again with it.
        cache = {"COMMDATA_CACHE_DIR": str(work / f"cache-{size}")}
        shutil.rmtree(cache["COMMDATA_CACHE_DIR"], ignore_errors=True)
        run([commdata, "validate", str(corpus / "data")], timeout, logs / "fill-cache.log", cache)
        changed = min((corpus / "data" / "meetings").glob("*.yaml"))
        changed.write_text(changed.read_text(encoding="utf-8") + "# changed by the benchmark\n", encoding="utf-8")
    else:
        cache = None
    step("validate again, one file changed", [commdata, "--verbose", "validate", str(corpus / "data")],
         ("generate corpus + JSON copy",), cache)
    build_cache = {"COMMDATA_CACHE_DIR": str(work / f"build-cache-{size}")}
    shutil.rmtree(build_cache["COMMDATA_CACHE_DIR"], ignore_errors=True)
    step("commdata build DIR --out PKG", [commdata, "build", str(corpus), "--out", str(package)],
         ("generate corpus + JSON copy",), build_cache)
    step("commdata validate PKG", [commdata, "validate", str(package)], ("commdata build DIR --out PKG",))
    if "commdata build DIR --out PKG" in done:
        copy = csv_only_descriptor(package)
        info["package_csv_mb"] = sum(path.stat().st_size for path in (package / "data" / "tables").glob("*.csv")) / 1e6
        info["package_parquet_mb"] = sum(path.stat().st_size for path in (package / "data" / "tables").glob("*.parquet")) / 1e6
    else:
        copy = package / "datapackage-csv.json"
    step("frictionless validate (CSV only)", [str(BIN / "frictionless"), "validate", "--type", "package", str(copy)],
         ("commdata build DIR --out PKG",))
    step("floor: JSON + TypeAdapter", [python, str(HERE / "floor.py"), "records", str(records_json)],
         ("generate corpus + JSON copy",))
    step("floor: pyarrow read tables", [python, str(HERE / "floor.py"), "tables", str(package)],
         ("commdata build DIR --out PKG",))
    if "build again, one file changed" in wanted and "commdata build DIR --out PKG" in done:
        changed = sorted((corpus / "data" / "meetings").glob("*.yaml"))[1]
        changed.write_text(changed.read_text(encoding="utf-8") + "# changed by the benchmark\n", encoding="utf-8")
    again = work / f"package-{size}-again"
    shutil.rmtree(again, ignore_errors=True)
    step("build again, one file changed", [commdata, "--verbose", "build", str(corpus), "--out", str(again)],
         ("commdata build DIR --out PKG",), build_cache)
    shutil.rmtree(again, ignore_errors=True)
    shutil.rmtree(build_cache["COMMDATA_CACHE_DIR"], ignore_errors=True)
    if corpus.exists():
        info["meetings"] = len(list((corpus / "data" / "meetings").glob("*.yaml")))
        info["yaml_mb"] = sum(path.stat().st_size for path in (corpus / "data" / "meetings").glob("*.yaml")) / 1e6
    return steps, info


def ratio(steps: list[Step], numerator: str, denominator: str) -> str:
    by_name = {step.name: step for step in steps}
    top, bottom = by_name.get(numerator), by_name.get(denominator)
    if not top or not bottom or top.status != "ok" or bottom.status != "ok" or not bottom.seconds or not bottom.cpu:
        return "n/a"
    return f"{top.seconds / bottom.seconds:.1f}x wall, {top.cpu / bottom.cpu:.1f}x CPU"


def report(size: int, steps: list[Step], info: dict) -> None:
    print(f"\n== {size:,} records: {info.get('meetings', '?')} meeting files, {info.get('yaml_mb', 0):.1f} MB YAML; "
          f"package {info.get('package_csv_mb', 0):.1f} MB CSV + {info.get('package_parquet_mb', 0):.1f} MB Parquet")
    print(f"{'step':36} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'load':>5}  {'status':10} note")
    for step in steps:
        def cell(value: float | None, width: int, digits: int) -> str:
            return f"{value:{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

        print(f"{step.name:36} {cell(step.seconds, 8, 2)} {cell(step.cpu, 8, 2)} {cell(step.peak_mb, 8, 0)} "
              f"{cell(step.load, 5, 1)}  {step.status:10} {step.note[:100]}")
    print(f"ratio frictionless (CSV) / commdata validate PKG:     "
          f"{ratio(steps, 'frictionless validate (CSV only)', 'commdata validate PKG')}")
    print(f"ratio commdata validate DIR/data / JSON+TypeAdapter: "
          f"{ratio(steps, 'commdata validate DIR/data', 'floor: JSON + TypeAdapter')}")
    print(f"ratio commdata validate PKG / pyarrow read:          "
          f"{ratio(steps, 'commdata validate PKG', 'floor: pyarrow read tables')}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="record counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per step before it is killed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/run"), help="scratch folder")
    parser.add_argument("--jobs", type=int, help="worker processes for corpus generation (default: all cores)")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"which steps to run (default all: {','.join(STEPS)})")
    parser.add_argument("--keep", action="store_true", help="keep corpora and packages (default: remove each size's)")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    unknown = set(args.steps.split(",")) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}; choose from {','.join(STEPS)}")
    wanted = {STEPS[key] for key in args.steps.split(",")}
    args.work.mkdir(parents=True, exist_ok=True)
    print("commdata benchmark", time.strftime("%Y-%m-%d %H:%M"), f"seed {args.seed}, timeout {args.timeout:.0f} s/step")
    print("wall = elapsed time; CPU = the child's user + system time (less sensitive to other load); "
          "load = 1-minute load average at the end of the step")
    print("\n".join(machine()))
    print(f"commdata: {BIN / 'commdata'}")
    for size in sizes:
        steps, info = measure(size, args.seed, args.timeout, args.work, args.jobs, wanted)
        report(size, steps, info)
        if any(step.status == "timeout" for step in steps):
            print(f"note: a step of the {size:,}-record run hit the {args.timeout:.0f} s timeout; its results are partial")
        if not args.keep:
            for folder in (args.work / f"corpus-{size}", args.work / f"package-{size}"):
                shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
