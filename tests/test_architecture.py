"""The package's shape: data flows down the stages, no import cycles, no private seams.

Stages, lowest first: the shared ground (model, errors, paths, runtime, text/), read/,
rules/, render/, then job, publish/, the pipeline and the command line (cli/). A module
may import its own stage or lower ones, never a higher one; lazy imports inside
functions count too. Nothing (tests included) imports or reaches into another module's
private names (`_name`).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "dicoso"
RANK = {"dicoso.model": 0, "dicoso.errors": 0, "dicoso.paths": 0, "dicoso.runtime": 0, "dicoso.text": 0,
        "dicoso.read": 1, "dicoso.rules": 2, "dicoso.render": 3, "dicoso.job": 4, "dicoso.publish": 5,
        "dicoso.pipeline": 6, "dicoso.cli": 7}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for every import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, [a.name for a in node.names], node.lineno))
    return out


def _rank(module: str) -> int | None:
    for prefix, rank in sorted(RANK.items(), key=lambda kv: -len(kv[0])):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return None


def _graph() -> dict[str, set[str]]:
    modules = {_module(p) for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in PACKAGE.rglob("*.py"):
        here = _module(path)
        for target, names, _ in _imports(path):
            for candidate in [f"{target}.{n}" for n in names] + [target]:
                if candidate in modules and candidate != here:
                    graph[here].add(candidate)
                    break
    return graph


def test_every_module_belongs_to_a_stage():
    assert [m for m in _graph() if _rank(m) is None and m != "dicoso"] == []


def test_data_flows_down_the_stages():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        here = _module(path)
        for target, _, line in _imports(path):
            if target.startswith("dicoso") and (_rank(target) or 0) > (_rank(here) or 0):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert upward == []


def test_no_import_cycles():
    graph, cycles = _graph(), []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            # a package's __init__ naming its own modules (the checks registry) is not a cycle
            if len(component) > 1 and not _registry_only(component, graph):
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def _registry_only(component: list[str], graph: dict[str, set[str]]) -> bool:
    """The rule kinds import their package's `Check`; the package finds them by name at run time."""
    return all(m.startswith("dicoso.rules.checks") for m in component)


def test_no_private_names_cross_a_module_boundary():
    crossing = []
    for path in sorted(list(PACKAGE.rglob("*.py")) + list((ROOT / "tests").glob("*.py"))):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = set()
        for target, names, line in _imports(path):
            if target.startswith("dicoso"):
                crossing += [f"{path.relative_to(ROOT)}:{line} imports {target}.{n}" for n in names
                             if n.startswith("_") and not n.startswith("__")]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dicoso") or \
                    isinstance(node, ast.ImportFrom) and node.level:
                modules |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("dicoso")}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                crossing.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert crossing == []
