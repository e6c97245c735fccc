"""Where things are: a project (repository), its data folder, and what a path given to a command is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from commdata.package.descriptor import DESCRIPTOR_PATH

DATA_DIR = "data"
MEETINGS_DIR = "meetings"
PACKAGE_INFO = "package.yaml"
SCHEMAS_DIR = "schemas"


class PathError(Exception):
    """A path that is not something commdata can work on (a usage error)."""


@dataclass(frozen=True)
class Target:
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


def resolve(path: Path | None) -> Target:
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
            return Target("package", path)
        if path.suffix in (".yaml", ".yml"):
            data_root = path.parent.parent if path.parent.name == MEETINGS_DIR else path.parent
            return Target("records", path, data_root, (path,))
        raise PathError(f"{path} is neither a meeting file (.yaml) nor a datapackage.json")
    if (path / DATA_DIR / MEETINGS_DIR).is_dir():
        data_root = path / DATA_DIR
        return Target("project", path, data_root, meeting_files(data_root))
    if (path / MEETINGS_DIR).is_dir():
        return Target("records", path, path, meeting_files(path))
    if (path / DESCRIPTOR_PATH).is_file():
        return Target("package", path)
    raise PathError(f"{path} holds neither meetings/, data/meetings/ nor a datapackage.json")


def resolve_project(path: Path | None) -> Target:
    """Like resolve, for commands that need a project (a folder holding data/meetings)."""
    target = resolve(path)
    if target.kind != "project":
        raise PathError(f"{target.path} is not a project (a folder holding {DATA_DIR}/{MEETINGS_DIR})")
    return target
