"""Load every file of a data folder into a checked Corpus: the meeting files, the package metadata,
the indicator codebook and the tombstones, with every cross-record check run, and the ids of the
last release compared.

Meeting files are read and checked one per worker process when there are many; a file's own checks
come from the cache when it has not changed. A caller that publishes (a build) passes ``render``, a
function of the package layer that turns one valid file into its rows where the file is read: the
records never travel between processes, and this layer never needs to know what a table is.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from commdata.domain.models import IndicatorFile, MeetingFile, TombstoneFile
from commdata.domain.sources import SourceText
from commdata.errors import Problem
from commdata.inputs import ResolvedPath, display
from commdata.layout import INDICATORS_FILE, PACKAGE_INFO, TOMBSTONES_FILE
from commdata.parallel import workers
from commdata.records import release_history
from commdata.records.cache import CheckCache
from commdata.records.corpus import Corpus
from commdata.records.codebook_checks import check_codebook
from commdata.records.cross_checks import check_corpus, check_stable_ids
from commdata.records.facts import FileTables
from commdata.records.file_checks import check_meeting_file
from commdata.records.loading import LoadedFile, load_meeting_file, load_package_info, load_yaml, read_bytes

Item = TypeVar("Item", covariant=True)


class Items(Protocol[Item]):
    """Things to work through whose number is known in advance (for a progress bar)."""

    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Item]: ...


Progress = Callable[[Items[Any], str], Iterable[Any]]
# One valid meeting file and its source text to the file's rows of the package's tables. It runs in the
# worker processes, so it must be a module-level function (passed by name, never a closure).
Render = Callable[[MeetingFile, SourceText], FileTables]


def no_progress(items: Items[Any], label: str) -> Iterable[Any]:
    return items


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of small objects that stay alive; the cycle collector would walk them
    again and again (a third of the time at 100k records) and find nothing to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_records(target: ResolvedPath, progress: Progress = no_progress, *, keep_records: bool = True,
                 render: Render | None = None, cache: CheckCache | None = None) -> tuple[Corpus, LoadedFile | None]:
    """Read and check every file of ``target``. With ``render`` (to build or to compare with a built
    package), each valid meeting file's rows are made where it is read (``loaded.tables``) and its
    records dropped. With ``keep_records`` false (validation), the records are dropped once the file's
    own checks ran. Either way memory holds only the facts (and rows), and ``cache`` (when given)
    answers for files that have not changed."""
    keep_records = keep_records and render is None
    with _collector_paused():
        return _load_records(target, progress, keep_records, render, cache if not keep_records else None)


PARALLEL_FROM = 32  # files: below this, starting workers costs more than it saves


@dataclass(frozen=True)
class _Job:
    """What a worker needs to read and check one meeting file."""

    path: Path
    display: str
    data_root: Path
    keep_records: bool
    render: Render | None  # makes the rows of a valid file
    cache: CheckCache | None
    real_folders: dict[str, str]  # folders resolved in this run (see source_files.source_state)


def _cache_keys(jobs: Sequence[_Job]) -> list[str | None]:
    """Each file's key in the cache, from its bytes as they are now (None: no cache, or unreadable)."""
    return [job.cache.key_of_file(job.path, job.display, job.data_root) if job.cache is not None else None
            for job in jobs]


def _from_cache(job: _Job, key: str | None) -> LoadedFile | None:
    """The file as its checks left it in an earlier run, when the cache's entry still holds."""
    stored = job.cache.read(key) if key is not None else None  # type: ignore[union-attr]
    wants_rows = job.render is not None
    entry = CheckCache.entry(stored, job.data_root, wants_rows, job.real_folders) if stored is not None else None
    return CheckCache.loaded(entry, job.path, job.display, wants_rows) if entry is not None else None


def _check_one(job: _Job) -> LoadedFile:
    """One meeting file read, validated against the models and checked on its own (then cached)."""
    data = read_bytes(job.path)
    loaded = load_meeting_file(job.path, job.display, data)
    text, state = check_meeting_file(loaded, job.data_root)
    if job.render is not None and text is not None and loaded.model is not None and not loaded.problems:
        loaded.tables = job.render(loaded.model, text)  # a file with problems is never published
    if job.cache is not None and data is not None:  # the key of the bytes that were checked
        job.cache.put(job.cache.key(data, job.display, job.data_root), loaded, state)
    if not job.keep_records:
        loaded.drop_records()
    return loaded


def check_meeting_files(jobs: Sequence[_Job], progress: Progress = no_progress) -> list[LoadedFile]:
    """Every meeting file read and checked, in order. The cache answers first: the files are hashed by
    one worker process per core (in threads, the GIL made it no faster than one), and their entries
    read here. The files it cannot answer for stand alone, so they are shared among the workers."""
    count = workers()
    parallel = count >= 2 and len(jobs) >= PARALLEL_FROM
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) if parallel else nullcontext() as pool:
        if pool is not None and any(job.cache is not None for job in jobs):
            size = -(-len(jobs) // (count * 4))  # a few slices a worker, each in one message
            slices = pool.map(_cache_keys, [jobs[start:start + size] for start in range(0, len(jobs), size)])
            keys = [key for keys_of_slice in slices for key in keys_of_slice]
        else:
            keys = _cache_keys(jobs)
        results = [_from_cache(job, key) for job, key in zip(jobs, keys)]
        missed = [job for job, result in zip(jobs, results) if result is None]
        if pool is None or len(missed) < PARALLEL_FROM:
            checked = [_check_one(job) for job in progress(missed, "reading records")]
        else:
            checked = list(progress(_Counted(pool.map(_check_one, missed, chunksize=4), len(missed)), "reading records"))
    fresh = iter(checked)
    return [result if result is not None else next(fresh) for result in results]


class _Counted:
    """Results as they arrive, with their number known in advance (for the progress bar)."""

    def __init__(self, results: Iterable[LoadedFile], count: int) -> None:
        self.results, self.count = results, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[LoadedFile]:
        return iter(self.results)


def _load_records(target: ResolvedPath, progress: Progress, keep_records: bool, render: Render | None,
                  cache: CheckCache | None) -> tuple[Corpus, LoadedFile | None]:
    assert target.data_root is not None
    real_folders: dict[str, str] = {}  # shared by the jobs of this run: each folder resolved once
    jobs = [_Job(path, display(path), target.data_root, keep_records, render, cache, real_folders)
            for path in target.meeting_files]
    files = check_meeting_files(jobs, progress)
    corpus = Corpus(data_root=target.data_root, files=files)
    if keep_records:
        for loaded in corpus.checked_files:
            if loaded.facts.source_usable:
                corpus.sources[loaded.facts.source_id] = SourceText.read(target.data_root / loaded.facts.source_file)
    info_path = target.data_root / PACKAGE_INFO
    info = load_package_info(info_path, display(info_path)) if target.kind == "project" or info_path.exists() else None
    indicator_path = target.data_root / INDICATORS_FILE
    indicators = None
    if indicator_path.exists():
        indicators = load_yaml(indicator_path, IndicatorFile, display(indicator_path))
        corpus.problems += indicators.problems
        if indicators.model:
            corpus.indicators = {indicator.code: indicator for indicator in indicators.model.indicators}
            corpus.problems += [Problem("duplicate-id", f"indicator {code!r} is listed twice", file=display(indicator_path),
                                        record=code) for code in duplicates(i.code for i in indicators.model.indicators)]
    tombstone_path = target.data_root / TOMBSTONES_FILE
    tombstones = None
    if tombstone_path.exists():
        tombstones = load_yaml(tombstone_path, TombstoneFile, display(tombstone_path))
        corpus.problems += tombstones.problems
        corpus.tombstones = list(tombstones.model.tombstones) if tombstones.model else []
    check_corpus(corpus)
    check_codebook(corpus, indicators, whole_folder=target.path.is_dir())
    # Records of one file alone cannot show a vanished id; a data folder or project can.
    history = release_history.manifests(target.data_root) if target.path.is_dir() else []
    released = release_history.released_ids(release_history.load_manifest(history[-1])) if history else {}
    check_stable_ids(corpus, released, display(history[-1]) if history else "", display(tombstone_path), tombstones)
    return corpus, info


def duplicates(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for item in items:
        if item in seen:
            repeated.append(item)
        seen.add(item)
    return repeated
