"""The package's shape (issue 19): no import loops between its modules (on grimp's import
graph), private names stay inside the package folder that holds them (read with `ast`), and
nothing below the pipeline imports it or the executors. Both readings cover lazy imports inside
functions too (the import loops that used to hide there)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "crosswire"
MAX_MODULE_LINES = 800

# Modules allowed to import the pipeline or the executors: the pipeline itself and what sits
# above it (the CLI, the web app, the feed watcher, evaluation, the package's lazy API).
ABOVE_PIPELINE = ("crosswire.cli", "crosswire.server", "crosswire.watch", "crosswire.evaluate")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every import in the file."""
    is_package = path.name == "__init__.py"
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found.append((module, [a.name for a in node.names], node.lineno))
    return found


def _resolve(target: str, names: list[str], modules: dict[str, Path]) -> list[str]:
    """The project modules an import statement loads (a `from pkg import mod` loads mod)."""
    if not target.startswith("crosswire"):
        return []
    loaded = [target] if target in modules else []
    loaded.extend(f"{target}.{n}" for n in names if f"{target}.{n}" in modules)
    return loaded


def _graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (grimp's graph: every import statement,
    those inside functions and under TYPE_CHECKING included; migrations left out)."""
    graph = grimp.build_graph("crosswire")
    modules = {m for m in graph.modules if ".migrations" not in m}
    return {
        m: {n for n in graph.find_modules_directly_imported_by(m) if n in modules} for m in modules
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _private_reached(module: str, names: list[str]) -> list[tuple[str, str]]:
    """(private thing, the folder it may be used in) for what one import statement reaches.

    A module `_m.py` belongs to its package folder (and the folders below it). A `_name` of a
    module in a subpackage is shared by the modules of that same folder; a `_name` of a
    top-level module belongs to that module alone (the top level is the whole package)."""
    reached = []
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            reached.append((".".join(parts[: i + 1]), ".".join(parts[:i])))
    for n in names:
        if n.startswith("_") and not n.startswith("__"):
            folder = module.rpartition(".")[0]
            reached.append((f"{module}.{n}", module if folder == "crosswire" else folder))
    return reached


def _may_use(user: str, user_path: Path, allowed: str) -> bool:
    user_folder = user if user_path.name == "__init__.py" else user.rpartition(".")[0]
    if allowed.count(".") >= 1 and allowed == user:  # a top-level module's own names
        return True
    return user_folder == allowed or (
        user_folder.startswith(allowed + ".") and allowed != "crosswire"
    )


def test_no_import_loops_between_modules() -> None:
    assert _cycles(_graph()) == []


def test_private_names_are_used_only_inside_their_package_folder() -> None:
    modules = _modules()
    offences = []
    for name, path in modules.items():
        for target, names, line in _imports(name, path):
            if not target.startswith("crosswire"):
                continue
            for private, allowed in _private_reached(target, names):
                if not _may_use(name, path, allowed):
                    offences.append(f"{path.relative_to(SRC)}:{line} uses {private}")
    assert offences == []


def test_nothing_below_the_pipeline_imports_it_or_the_executors() -> None:
    graph = _graph()
    offences = []
    for name, imported in graph.items():
        if name == "crosswire" or name == "crosswire.pipeline" or name.startswith(ABOVE_PIPELINE):
            continue
        if name.startswith("crosswire.executors"):
            imported = {m for m in imported if not m.startswith("crosswire.executors")}
            offences += [f"{name} -> {m}" for m in imported if m == "crosswire.pipeline"]
            continue
        offences += [
            f"{name} -> {m}"
            for m in imported
            if m == "crosswire.pipeline" or m.startswith("crosswire.executors")
        ]
    assert offences == []


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_is_over_800_lines(module: str) -> None:
    lines = _modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines"


def test_the_checks_see_a_planted_loop_and_a_planted_reach_in() -> None:
    # the checkers themselves, on a made-up graph and import: they must be able to fail
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    reached = _private_reached("crosswire.report", ["_status_counts"])
    assert reached == [("crosswire.report._status_counts", "crosswire.report")]
    assert not _may_use("crosswire.server.app", PACKAGE / "server" / "app.py", reached[0][1])
    assert _may_use(
        "crosswire.language.quotes", PACKAGE / "language" / "quotes.py", "crosswire.language"
    )
