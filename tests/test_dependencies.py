"""Every distribution src/crosswire imports is declared in pyproject.toml: in `dependencies`,
or, for a module that only runs when an extra is installed, in that extra. A package that
arrives only through another one's requirements breaks the install the day that one drops it.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "crosswire"

# Modules that are imported only when an extra is installed (behind an ImportError guard that
# names the extra, or only under the command that needs it), and that extra.
GUARDED_BY_EXTRA = {
    "server/": "server",  # cli.py's `serve` imports crosswire.server under an ImportError guard
    "executors/ray.py": "ray",
    "inputs/archive.py": "archive",
    "tables.py": "archive",
}


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    found = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        assert match, requirement
        found.add(_normal(match.group(1)))
    return found


def imported_modules() -> dict[str, set[str]]:
    """Top-level module name -> the files (relative to the package) that import it, for every
    absolute import that is neither the standard library nor crosswire itself."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "crosswire":
                    continue
                found.setdefault(top, set()).add(path.relative_to(PACKAGE).as_posix())
    return found


def _extra_of(file: str) -> str | None:
    for prefix, extra in GUARDED_BY_EXTRA.items():
        if file == prefix or (prefix.endswith("/") and file.startswith(prefix)):
            return extra
    return None


def undeclared(pyproject: str) -> list[str]:
    """One line per imported distribution that `pyproject`'s text does not declare."""
    project = tomllib.loads(pyproject)["project"]
    core = _names(project["dependencies"])
    extras = {name: _names(reqs) for name, reqs in project["optional-dependencies"].items()}
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for module, files in sorted(imported_modules().items()):
        dists = distributions.get(module)
        if not dists:
            problems.append(f"{module} (imported by {sorted(files)}) is not installed")
            continue
        names = {_normal(d) for d in dists}
        if names & core:
            continue
        for file in sorted(files):
            extra = _extra_of(file)
            if extra is None or not names & extras.get(extra, set()):
                where = "dependencies" if extra is None else f"the {extra!r} extra"
                problems.append(f"{module} ({'/'.join(sorted(names))}) in {file}: not in {where}")
    return problems


PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_every_imported_distribution_is_declared() -> None:
    problems = undeclared(PYPROJECT)
    assert not problems, "undeclared imports:\n" + "\n".join(problems)


def test_an_undeclared_import_fails_the_check() -> None:
    without = re.sub(r'(?m)^\s*"charset_normalizer[^\n]*\n', "", PYPROJECT)
    assert without != PYPROJECT
    assert any(p.startswith("charset_normalizer ") for p in undeclared(without))
    # a server-only package belongs in the server extra, not merely anywhere
    without = re.sub(r'(?m)^(\s*)"starlette[^\n]*\n', "", PYPROJECT)
    assert any(p.startswith("starlette ") and " server/" in p for p in undeclared(without))


def test_the_guard_table_names_real_files_and_extras() -> None:
    project = tomllib.loads(PYPROJECT)["project"]
    for prefix, extra in GUARDED_BY_EXTRA.items():
        assert (PACKAGE / prefix).exists(), prefix
        assert extra in project["optional-dependencies"], extra
