"""The house rules of docs/ARCHITECTURE.md that import-linter cannot state: no import cycles, small modules.

The layers and the Qt-free packages are import-linter contracts (pyproject.toml), run by the same test command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

import runcompanion

PACKAGE = Path(runcompanion.__file__).parent
MAX_LINES = 400


def _cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(imports[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            if targets:
                target = targets.pop()
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, sorted(imports[target])))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set[str]()}
    assert _cycles(imports) == [["a", "b", "c"]]


def test_the_package_has_no_import_cycle() -> None:
    # Every import counts: at the top, inside a function, or for type checking only.
    graph = grimp.build_graph("runcompanion", cache_dir=None)
    modules = set(graph.modules)
    imports = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    assert len(modules) > 50  # the whole package was read
    assert _cycles(imports) == []


def _line_counts() -> dict[str, int]:
    return {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.relative_to(PACKAGE).parts
    }


def test_no_module_is_over_the_limit() -> None:
    counts = _line_counts()
    over = {name for name, lines in counts.items() if lines > MAX_LINES}
    assert sorted(over) == [], f"over {MAX_LINES} lines: split by idea"
