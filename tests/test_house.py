"""Issue 16's measures of the house, kept: small modules and functions, no import cycle, one public face.

Over ``briefing/``, ``dags/`` and ``plugins/``: no module over 400 lines, no function over 60; and among
briefing's modules no import cycle, counting every import (at the top, inside functions, and the ones
for annotations only under ``TYPE_CHECKING``), so each stage can be read before the ones after it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sources() -> list[Path]:
    return sorted(p for folder in ("briefing", "dags", "plugins") for p in (ROOT / folder).rglob("*.py"))


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    big, long = [], []
    for path in _sources():
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if source.count("\n") > MAX_MODULE_LINES:
            big.append(f"{name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name}: {lines} lines")
    assert not big, big
    assert not long, long


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _imports(name: str, is_package: bool, tree: ast.Module, modules: set[str]) -> set[str]:
    """The briefing modules ``name`` imports anywhere in ``tree``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
    return {m for m in found if m in modules and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
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


def _package_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph without a package's ``__init__`` importing its own private modules (its public face:
    reader's ``_parser/`` and ``_storage/`` way), which is how a package is made, not a cycle."""
    return {m: {t for t in deps if not t.startswith(f"{m}.")} for m, deps in graph.items()}


def test_no_import_cycle_among_briefings_modules() -> None:
    paths = [p for p in _sources() if p.is_relative_to(ROOT / "briefing")]
    named = {p: _module_name(p) for p in paths}
    modules = {name for name, _ in named.values()}
    graph = {
        name: _imports(name, is_package, ast.parse(p.read_text(encoding="utf-8")), modules)
        for p, (name, is_package) in named.items()
    }
    assert "briefing.context" in graph["briefing.pipeline"]  # the graph holds the imports it should
    assert _cycles(_package_faces(graph)) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: two modules that import each other are one component."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
