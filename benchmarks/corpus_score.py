"""Score `commdata parse` and `commdata draft` on the shared corpus of real documents.

Run: python benchmarks/corpus_score.py [--commdata PATH] [corpus-score options, e.g. -q or --json]

It runs ../shared/tools/corpus-score (beside the repository) on the development set
../shared/corpus/dev when that folder exists, and prints its table, failures and summary line; it
says so and exits 0 when the folder is not there (a clone without the shared folder).

The scorer runs `commdata draft` from a temporary folder, so the executable is passed as an absolute
path: a relative one (.venv/bin/commdata) is not found from there, and every draft then fails.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "corpus-score"
CORPUS = SHARED / "corpus" / "dev"


def commdata_executable(given: str | None) -> Path | None:
    """The commdata to score, as an absolute path: the one given, else the one beside this Python."""
    if given is not None:
        found = shutil.which(given)
        return Path(found).resolve() if found else None
    beside = Path(sys.executable).parent / "commdata"
    if beside.exists():
        return beside.absolute()
    found = shutil.which("commdata")
    return Path(found).resolve() if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commdata", help="the commdata executable (default: the one beside this Python)")
    args, scorer_options = parser.parse_known_args()
    if not SCORER.exists() or not CORPUS.is_dir():
        print(f"no corpus at {CORPUS} (or no scorer at {SCORER}): nothing to score")
        return 0
    executable = commdata_executable(args.commdata)
    if executable is None:
        print("cannot find the commdata executable: install the project (pip install -e .) or pass --commdata",
              file=sys.stderr)
        return 2
    command = [sys.executable, str(SCORER), str(executable), "--corpus", str(CORPUS), *scorer_options]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
