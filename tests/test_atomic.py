"""Atomic builds: `commdata build --out` killed with a real SIGKILL (kill -9) at chosen points of
writing, and two builds into one folder at once.

The children are `python -m commdata build PROJECT --out OUT` run through a small wrapper (CHILD
below, in this file: writers.py has no test hook) that sees every call that changes the output
folder (mkdir, open for writing, rename, replace, unlink, rmdir). Told to pause before a chosen call
(`pause:N`, the N-th of all; `pause-at:KIND:K`, the K-th rename, write or deletion), the child prints
`paused …`, saying whether datapackage.json had been renamed into place (the commit point), and
the test sends it SIGKILL. After each kill:

- the folder holds exactly the previous package (byte for byte, every file) when the kill came
  before the commit point, or exactly the new package after it, once recovered; and even before
  recovery, except in the microseconds between the first and the last rename of a commit (while a
  `.commdata-commit-*` folder still holds the new descriptor);
- the next build (or `commdata.package.writer.recover`) leaves no working folder behind, and
  `commdata validate OUT` passes.

Other children are killed after random delays (seeded), without the wrapper.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from commdata import api
from commdata.package.writer import PREFIX, recover

from conftest import SECOND_CITY_FILE, edit, run

CHILD = r'''
import builtins, fcntl, io, os, shutil, sys, time  # shutil first: rmtree keeps its fd-based implementation

out, mode, project = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
target = int(mode.split(":")[1]) if mode.startswith("pause:") else None
kind, nth = (mode.split(":")[1], int(mode.split(":")[2])) if mode.startswith("pause-at:") else (None, None)
release = mode.split(":", 1)[1] if mode.startswith("hold:") else None
log_path = os.environ.get("COMMDATA_TEST_LOG")
real_open = builtins.open
KINDS = {"rename": "rename", "replace": "rename", "open": "open", "unlink": "delete", "remove": "delete",
         "rmdir": "delete", "mkdir": "mkdir"}
state = {"active": False, "n": 0, "held": False, "committed": False, "rename": 0, "open": 0, "delete": 0, "mkdir": 0}


def log(text):
    if log_path:
        with real_open(log_path, "a") as handle:
            handle.write(f"{os.getpid()} {text}\n")


def under_out(path):
    try:
        path = os.path.abspath(os.fsdecode(path))
    except TypeError:  # a file descriptor
        return False
    return path == out or path.startswith(out + os.sep)


def step(op, paths, relative):
    # Counting starts with the first change under OUT; after that every change counts, including
    # those made relative to a folder descriptor (shutil.rmtree).
    if not state["active"]:
        if relative or not any(under_out(path) for path in paths):
            return
        state["active"] = True
    state["n"] += 1
    state[KINDS[op]] += 1
    text = f"{op} {' '.join(os.fsdecode(p) for p in paths)}"
    log(f"{state['n']} {text}")
    if release and op == "open" and not state["held"]:  # hold the lock until the other build waits for it
        state["held"] = True
        while not os.path.exists(release):
            time.sleep(0.01)
    if state["n"] == target or (KINDS[op] == kind and state[kind] == nth):
        sys.stdout.write(f"paused {int(state['committed'])} {text}\n")
        sys.stdout.flush()
        time.sleep(600)


def wrap(name, count):
    real = getattr(os, name)
    def wrapper(*args, **kwargs):
        relative = any(kwargs.get(key) is not None for key in ("dir_fd", "src_dir_fd", "dst_dir_fd"))
        if not (name == "mkdir" and not relative and os.path.isdir(args[0])):  # mkdir(exist_ok=True): no change
            step(name, args[:count], relative)
        result = real(*args, **kwargs)
        if count == 2 and not relative and os.path.abspath(args[1]) == os.path.join(out, "datapackage.json"):
            state["committed"] = True
        return result
    setattr(os, name, wrapper)


for name, count in (("rename", 2), ("replace", 2), ("mkdir", 1), ("rmdir", 1), ("unlink", 1), ("remove", 1)):
    wrap(name, count)

real_flock = fcntl.flock


def flock(handle, operation):
    log("flock")
    return real_flock(handle, operation)


def opener(file, mode="r", *args, **kwargs):
    if any(flag in mode for flag in "wax+"):
        step("open", (file,), False)
    return real_open(file, mode, *args, **kwargs)


fcntl.flock = flock
builtins.open = io.open = opener
sys.argv = ["commdata", "build", project, "--out", out]
import runpy
runpy.run_module("commdata", run_name="__main__", alter_sys=True)
'''

GLOSS, NEW_GLOSS = "    indicator_en: GDP growth\n", "    indicator_en: growth of gross regional product\n"
Snapshot = dict[str, bytes]


def snapshot(folder: Path) -> Snapshot:
    """Every file of the package in ``folder`` (the writer's own .commdata-* folders are not part of it)."""
    files: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0].startswith(PREFIX) or path.is_dir():
            continue
        files[str(relative)] = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    return files


def leftovers(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith(PREFIX))


def in_flight(folder: Path) -> bool:
    """Whether a commit was under way and had not reached its commit point (the descriptor's rename)."""
    return any(name.startswith(PREFIX + "commit-") and (folder / name / "datapackage.json").exists()
               for name in leftovers(folder))


class Scene:
    """The second city with its package built into OLD; the project then changed so that a build gives NEW."""

    def __init__(self, project: Path, tmp: Path) -> None:
        self.project, self.tmp = project, tmp
        self.old_folder = tmp / "old"
        assert api.build(project, self.old_folder).report.ok
        edit(project / SECOND_CITY_FILE, GLOSS, NEW_GLOSS, count=2)  # an English gloss: still valid, another package
        self.new_folder = tmp / "new"
        assert api.build(project, self.new_folder).report.ok
        self.old, self.new = snapshot(self.old_folder), snapshot(self.new_folder)
        assert self.old != self.new and self.old.keys() == self.new.keys()
        self.child = tmp / "child.py"
        self.child.write_text(CHILD, encoding="utf-8")
        self.count = 0
        self.children: list[subprocess.Popen] = []  # killed at teardown if a failed test left them paused

    def out(self) -> Path:
        """A fresh output folder holding the previous package."""
        self.count += 1
        folder = self.tmp / f"out-{self.count}"
        shutil.copytree(self.old_folder, folder)
        return folder

    def spawn(self, out: Path, mode: str, project: Path | None = None, log: Path | None = None) -> subprocess.Popen:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        if log is not None:
            env["COMMDATA_TEST_LOG"] = str(log)
        child = subprocess.Popen([sys.executable, str(self.child), str(out), mode, str(project or self.project)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.children.append(child)
        return child

    def state(self, folder: Path) -> str:
        files = snapshot(folder)
        return "old" if files == self.old else "new" if files == self.new else "mixed"


def kill_when_paused(child: subprocess.Popen, timeout: float = 90) -> tuple[str, bool]:
    """SIGKILL the child once it pauses. Return the call it paused before and whether it had passed
    the commit point; ('', True) if it finished without pausing."""
    ready, _, _ = select.select([child.stdout], [], [], timeout)
    assert ready, "the child neither paused nor finished"
    line = child.stdout.readline()
    if line.startswith("paused "):
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout)
        assert child.returncode == -signal.SIGKILL
        committed, call = line.removeprefix("paused ").rstrip("\n").split(" ", 1)
        return call, committed == "1"
    child.wait(timeout)
    assert child.returncode == 0, child.stderr.read()
    return "", True


def rebuild_and_validate(scene: Scene, out: Path) -> None:
    result = run("build", scene.project, "--out", out)
    assert result.exit_code == 0, result.output
    assert scene.state(out) == "new" and not leftovers(out)
    assert run("validate", out).exit_code == 0


@pytest.fixture
def scene(second_city: Path, tmp_path: Path) -> Iterator[Scene]:
    scene = Scene(second_city, tmp_path)
    yield scene
    for child in scene.children:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_package(scene: Scene) -> None:
    """Kill -9 before each rename of a build (every change of the folder's state: staging to commit
    folder, old tables out, new tables in, descriptor in, commit folder to trash), before its first
    write and during the deletion of its working folder. Then kill the recovery of a build stopped
    just before its commit point, at each of recovery's steps. And kill a first build (into a new
    folder) just before its commit point: the folder it leaves must not be refused as 'not empty and
    holds no datapackage.json'."""
    points = [("rename", k) for k in range(1, 6)] + [("open", 1), ("delete", 1)]
    outs = {point: scene.out() for point in points}
    children = {point: scene.spawn(outs[point], f"pause-at:{point[0]}:{point[1]}") for point in points}
    first_build = scene.tmp / "first"
    first_child = scene.spawn(first_build, "pause-at:rename:3")  # staging to commit, new tables in, then this
    paused = {point: kill_when_paused(child) for point, child in children.items()}
    calls = [call for call, _ in paused.values()]
    commit = next(point for point, (call, _) in paused.items() if call.startswith(("rename ", "replace "))
                  and call.endswith(f"{outs[point]}/datapackage.json"))
    assert sum(committed for _, committed in paused.values()) >= 2 and commit[1] >= 3, calls

    # Recovery killed in its turn: three copies of the folder stopped just before its commit point,
    # each killed before another step of the next build's recovery.
    assert scene.state(outs[commit]) == "mixed"  # new tables under the old descriptor, for microseconds
    stopped = [scene.tmp / f"stopped-{step}" for step in (1, 2, 3)]
    for folder in stopped:
        shutil.copytree(outs[commit], folder, symlinks=True)
    recovering = [scene.spawn(folder, f"pause:{step}") for step, folder in enumerate(stopped, 1)]

    for number, (point, out) in enumerate(outs.items()):
        call, committed = paused[point]
        expected = "new" if committed else "old"
        if not in_flight(out):  # outside the commit's renames, a package even before recovery
            assert scene.state(out) == expected, (point, call, leftovers(out))
        if number % 2 == 0:  # half are repaired by recover(), half by the next build itself
            recover(out)
            assert scene.state(out) == expected and not leftovers(out), (point, call)
        rebuild_and_validate(scene, out)

    for step, (child, folder) in enumerate(zip(recovering, stopped), 1):
        call, _ = kill_when_paused(child)
        assert call.startswith("rename"), (step, call)  # recovery's steps are renames
        recover(folder)
        assert scene.state(folder) == "old" and not leftovers(folder), (step, call)
    rebuild_and_validate(scene, stopped[0])

    call, committed = kill_when_paused(first_child)
    assert call.endswith(f"{first_build}/datapackage.json") and not committed, call
    assert (first_build / "data/tables").is_dir() and not (first_build / "datapackage.json").exists()
    rebuild_and_validate(scene, first_build)


def test_builds_killed_after_random_delays(scene: Scene) -> None:
    """Plain `python -m commdata build`, killed with SIGKILL after a random delay (fixed seed)."""
    delays = sorted(random.Random(20261128).uniform(0.3, 2.0) for _ in range(3))
    outs = [scene.out() for _ in delays]
    started = time.monotonic()
    children = [subprocess.Popen([sys.executable, "-m", "commdata", "build", str(scene.project), "--out", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for out in outs]
    scene.children += children
    for delay, child in zip(delays, children):
        time.sleep(max(0.0, started + delay - time.monotonic()))
        child.send_signal(signal.SIGKILL)
        child.wait(60)
    for out in outs:
        if in_flight(out):
            recover(out)
        assert scene.state(out) in ("old", "new")
        rebuild_and_validate(scene, out)


def test_two_builds_at_once_never_interleave(scene: Scene) -> None:
    """Two builds (one of the old records, one of the new) started at once into one folder, over a
    package and into a new folder. Whichever takes the lock first holds it at its first write until
    the other waits for it, so that they really contend. Both succeed, their changes to the folder do
    not interleave, and the folder holds exactly the package of the one that wrote last."""
    old_project = scene.tmp / "old-project"
    shutil.copytree(scene.project, old_project)
    edit(old_project / SECOND_CITY_FILE, NEW_GLOSS, GLOSS, count=2)
    races = {}
    for name, out in (("over-a-package", scene.out()), ("into-a-new-folder", scene.tmp / "fresh")):
        log, release = scene.tmp / f"{name}.log", scene.tmp / f"{name}.release"
        children = {project: scene.spawn(out, f"hold:{release}", project, log) for project in (scene.project, old_project)}
        races[name] = out, log, release, children
    waited = time.monotonic()
    for name, (out, log, release, children) in races.items():
        while len({line.split()[0] for line in (log.read_text().splitlines() if log.exists() else [])
                   if line.endswith(" flock")}) < 2:
            assert time.monotonic() - waited < 90 and all(child.poll() is None for child in children.values()), name
            time.sleep(0.01)
        release.touch()
    for name, (out, log, release, children) in races.items():
        for child in children.values():
            child.wait(90)
            assert child.returncode == 0, child.stderr.read()
        # Creating the output folder comes before its lock (the lock is taken on the folder), and both
        # builds may try at once: only what they change inside it must not interleave.
        creates_out = f"mkdir {os.path.abspath(out)}"
        pids = [line.split(" ", 1)[0] for line in log.read_text(encoding="utf-8").splitlines()
                if not line.endswith(" flock") and line.split(" ", 2)[2] != creates_out]
        runs = [pid for index, pid in enumerate(pids) if index == 0 or pid != pids[index - 1]]
        assert len(runs) == 2, f"{name}: the two builds interleaved: {runs}"
        assert scene.state(out) == ("new" if pids[-1] == str(children[scene.project].pid) else "old"), name
        assert not leftovers(out) and run("validate", out).exit_code == 0, name


@pytest.mark.parametrize("failing", ["replace", "rename"])
def test_a_build_that_fails_while_committing_leaves_the_old_package(scene: Scene, monkeypatch: pytest.MonkeyPatch,
                                                                   failing: str) -> None:
    """Not killed but failing (a full disk, a permission): the commit is undone at once, the folder
    holds the previous package, and the CLI says why without a traceback."""
    import errno

    import commdata.package.writer

    real, failed = getattr(os, failing), []

    def fail_once(source, destination, *args, **kwargs):  # the descriptor's replace, or the new tables' rename
        if not failed and str(destination).endswith(("/datapackage.json", "/data/tables")):
            failed.append(destination)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(source, destination, *args, **kwargs)

    out = scene.out()
    monkeypatch.setattr(commdata.package.writer.os, failing, fail_once)
    result = run("build", scene.project, "--out", out)
    monkeypatch.undo()
    assert failed and result.exit_code == 2 and "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert scene.state(out) == "old" and not leftovers(out)
