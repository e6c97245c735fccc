"""The package's layers, held by its imports: every import of a commdata module points down the
layers (or within one), no module takes part in an import cycle, and a function-level import exists
only to keep a heavy third-party library off a path that does not need it, with a comment saying so.

Layers, bottom up: the base (layout, errors, parallel, inputs), domain/, records/, package/,
release/, the api facade, cli/. Imports are read from the source text (top-level, function-level and
TYPE_CHECKING ones alike), so no import hides from this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "commdata"
LAYERS = [  # bottom up; a module's layer is the first prefix that names it
    ("base", ("commdata", "commdata.layout", "commdata.errors", "commdata.parallel", "commdata.inputs")),
    ("domain", ("commdata.domain",)),
    ("records", ("commdata.records",)),
    ("package", ("commdata.package",)),
    ("release", ("commdata.release",)),
    ("api", ("commdata.api",)),
    ("cli", ("commdata.cli", "commdata.__main__")),
]
HEAVY_LIBRARIES = ("pyarrow", "pydantic", "duckdb", "jinja2", "yaml", "frictionless")  # what a lazy import may defer
# What a lazy import's comment must name: the heavy library it keeps away, or the library it pulls in.
LAZY_REASONS = ("pyarrow", "pydantic", "duckdb", "jinja2", "arrow", "parquet", "frictionless")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def layer(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == prefix or (prefix != "commdata" and module.startswith(prefix + ".")) for prefix in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def imports(path: Path) -> list[tuple[str, ast.stmt, bool]]:
    """(imported module, the statement, whether it runs inside a function) of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                assert child.level == 0, f"{path}: relative import; write commdata.… in full"
                base = child.module or ""
                for alias in child.names:  # `from commdata.package import descriptor` imports a module
                    candidate = f"{base}.{alias.name}"
                    found.append((candidate if candidate in MODULES else base, child, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


def own_imports(module: str) -> set[str]:
    return {name for name, _, _ in imports(MODULES[module]) if name in MODULES and name != module}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str) -> None:
    upward = [name for name in own_imports(module) if layer(name) > layer(module)]
    assert not upward, f"{module} ({LAYERS[layer(module)][0]}) imports a higher layer: {upward}"


def test_no_import_cycles() -> None:
    graph = {module: own_imports(module) - {"commdata"} for module in MODULES}
    state: dict[str, str] = {}
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                cycle = path[path.index(imported):] + [imported]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if imported not in state:
                walk(imported)
        path.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_lazy_imports_say_which_heavy_library_they_keep_away(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").splitlines()
    for name, statement, in_function in imports(MODULES[module]):
        if not in_function or name.startswith(HEAVY_LIBRARIES):
            continue
        assert name.startswith("commdata"), f"{module}:{statement.lineno}: lazy import of {name}, not a heavy library"
        said = " ".join(lines[statement.lineno - 2:statement.end_lineno]).lower()
        assert "#" in said and any(reason in said for reason in LAZY_REASONS), \
            f"{module}:{statement.lineno}: lazy import of {name} without a comment naming the heavy library it defers"


def test_the_layers_hold_every_module_and_the_test_can_fail() -> None:
    assert all(layer(module) >= 0 for module in MODULES)
    assert layer("commdata.domain.models") < layer("commdata.records.loading") < layer("commdata.package.build")
    # The same check on a made-up upward import: a domain module importing the CLI is refused.
    assert layer("commdata.cli.group") > layer("commdata.domain.quantities")
