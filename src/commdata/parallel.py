"""How much to do at once."""

from __future__ import annotations

import os


def workers() -> int:
    """How many processes (or threads) share the work: COMMDATA_WORKERS, else every core this process
    may use."""
    wanted = os.environ.get("COMMDATA_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
