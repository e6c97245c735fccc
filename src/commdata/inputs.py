"""What a path given to a command is (a project, a data folder, a meeting file or a built package), and how
problems show a path to the person who gave it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from commdata.errors import PathError
from commdata.layout import DATA_DIR, DESCRIPTOR_PATH, MEETINGS_DIR


@dataclass(frozen=True)
class ResolvedPath:
    """What a command was pointed at.

    kind: ``project`` (a repository: data/meetings plus the published package and schemas),
    ``records`` (a data folder holding meetings/, or one meeting file) or ``package`` (a built package).
    """

    kind: str
    path: Path
    data_root: Path | None = None
    meeting_files: tuple[Path, ...] = ()

    @property
    def descriptor(self) -> Path:
        return self.path / DESCRIPTOR_PATH if self.path.is_dir() else self.path


def meeting_files(data_root: Path) -> tuple[Path, ...]:
    """The meeting files: *.yaml and *.yml in any case; hidden files (editor locks such as .#x.yaml)
    and other files are not meeting files."""
    folder = data_root / MEETINGS_DIR
    return tuple(sorted(path for path in folder.iterdir()
                        if path.suffix.lower() in (".yaml", ".yml") and not path.name.startswith(".")))


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds data/meetings."""
    for folder in (start, *start.parents):
        if (folder / DATA_DIR / MEETINGS_DIR).is_dir():
            return folder
    return None


def resolve(path: Path | None) -> ResolvedPath:
    """Decide what ``path`` (default: the project around the working folder) is."""
    if path is None:
        root = find_project(Path.cwd())
        if root is None:
            raise PathError("no data/meetings folder here or above: give a path to a project, records or a package")
        path = root
    if not path.exists():
        raise PathError(f"{path} does not exist")
    if path.is_file():
        if path.name == DESCRIPTOR_PATH or path.suffix == ".json":
            return ResolvedPath("package", path)
        if path.suffix in (".yaml", ".yml"):
            data_root = path.parent.parent if path.parent.name == MEETINGS_DIR else path.parent
            return ResolvedPath("records", path, data_root, (path,))
        raise PathError(f"{path} is neither a meeting file (.yaml) nor a datapackage.json")
    if (path / DATA_DIR / MEETINGS_DIR).is_dir():
        data_root = path / DATA_DIR
        return ResolvedPath("project", path, data_root, meeting_files(data_root))
    if (path / MEETINGS_DIR).is_dir():
        return ResolvedPath("records", path, path, meeting_files(path))
    if (path / DESCRIPTOR_PATH).is_file():
        return ResolvedPath("package", path)
    raise PathError(f"{path} holds neither meetings/, data/meetings/ nor a datapackage.json")


def resolve_project(path: Path | None) -> ResolvedPath:
    """Like resolve, for commands that need a project (a folder holding data/meetings)."""
    target = resolve(path)
    if target.kind != "project":
        raise PathError(f"{target.path} is not a project (a folder holding {DATA_DIR}/{MEETINGS_DIR})")
    return target


def display(path: Path) -> str:
    """The path as the user knows it: relative to the working folder when inside it. Symbolic links
    are not followed, so a problem names the file in meetings/, not where a link points."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)
