"""A corpus: every meeting file of one data folder as it was read and checked, with the codebook,
the tombstones and the problems found across files, and what a report counts of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from commdata.domain.models import Indicator, MeetingFile, Tombstone
from commdata.domain.sources import SourceText
from commdata.errors import Problem
from commdata.records.loading import LoadedFile


@dataclass
class Corpus:
    """Every meeting file under one data folder, with the source texts they cite (those are read only
    when the records are kept: for coverage and the scorecard, not to validate or build)."""

    data_root: Path
    files: list[LoadedFile]
    sources: dict[str, SourceText] = field(default_factory=dict)  # by source id, only when usable
    problems: list[Problem] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)  # by code

    @property
    def checkable_files(self) -> list[tuple[LoadedFile, MeetingFile]]:
        """Files with a valid model, or with valid parts of an invalid one (when records are kept)."""
        return [(loaded, model) for loaded in self.files
                if (model := loaded.model or loaded.partial) is not None]

    @property
    def checked_files(self) -> list[LoadedFile]:
        """Files whose facts are known: valid ones, and invalid ones with valid parts."""
        return [loaded for loaded in self.files if loaded.facts is not None]


def record_problems(corpus: Corpus, info: LoadedFile | None) -> list[Problem]:
    problems = [problem for loaded in corpus.files for problem in loaded.problems]
    if info is not None:
        problems += info.problems
    return problems + corpus.problems


def record_counts(corpus: Corpus) -> dict[str, int]:
    """What was read: every meeting whose file could be read as one, and every record in it, valid or
    not (a record that fails its model was still read, and is reported where it fails)."""
    read = [loaded.facts for loaded in corpus.checked_files]
    return {"files": len(corpus.files), "meetings": len(read),
            "achievements": sum(facts.parts["achievements"].count for facts in read),
            "targets": sum(facts.parts["targets"].count for facts in read)}


def cached_count(corpus: Corpus) -> int:
    return sum(loaded.from_cache for loaded in corpus.files)


