"""The import graph points down: no feature imports one above it, no module cycle, and no import hides in a
function without a comment saying why.

The layer order is declared here; a new feature package must be placed in it (the test fails until it is).
A lower feature that must react to a higher one sends a signal (``casting/core/signals.py``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import casting

PACKAGE = Path(casting.__file__).resolve().parent

# Lowest first. core (with config and extensions) is ground; audit sits beside every feature, imported by all
# and importing none; then the features in the domain's order; public pages and the app factory on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("casting.core", "casting.config", "casting.extensions"),
    ("casting.jobs",),
    ("casting.audit",),
    ("casting.accounts",),
    ("casting.companies",),
    ("casting.productions",),
    ("casting.talent",),
    ("casting.calls",),
    ("casting.callbacks",),
    ("casting.documents",),
    ("casting.decisions",),
    ("casting.safety",),
    ("casting.public",),
    ("casting.seed", "casting.seed_scale", "casting.instance_setup", "casting.wsgi", "casting"),
)


@dataclass(frozen=True)
class Import:
    source: str       # the importing module
    target: str       # the imported module (a submodule when ``from package import submodule``)
    line: int
    in_function: bool
    commented: bool   # a comment on the line, or on the line above, says why


def module_name(path: Path) -> str:
    parts = ["casting", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + ".") and prefix != "casting":
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    if best is None and module == "casting":
        return len(LAYERS) - 1
    assert best is not None, f"{module} is in no declared layer: add its package to LAYERS in {__file__}"
    return best[0]


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    function_nodes = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                      for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                       for a in node.names]
        else:
            continue
        line = lines[node.lineno - 1]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        commented = "#" in line or above.startswith("#")
        for target in targets:
            if target == "casting" or target.startswith("casting."):
                out.append(Import(name, target, node.lineno, id(node) in function_nodes, commented))
    return out


def all_imports() -> list[Import]:
    found = modules()
    known = set(found)
    return [imp for name, path in found.items() for imp in imports_of(name, path, known)]


def test_every_module_is_in_a_declared_layer():
    for name in modules():
        layer_of(name)


def test_no_import_points_up():
    upward = [f"{i.source}:{i.line} imports {i.target}" for i in all_imports()
              if layer_of(i.target) > layer_of(i.source)]
    assert upward == [], "upward imports (send a signal instead):\n" + "\n".join(upward)


def test_no_import_cycle():
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for i in all_imports():
        if not i.in_function and i.target in graph and i.target != i.source:
            graph[i.source].add(i.target)
    cycles = strongly_connected(graph)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(sorted(c)) for c in cycles)


def test_imports_inside_functions_say_why():
    hidden = [f"{i.source}:{i.line} imports {i.target}" for i in all_imports() if i.in_function and not i.commented]
    assert hidden == [], "imports inside functions without a comment saying why:\n" + "\n".join(hidden)


def test_the_checks_catch_what_they_look_for(tmp_path):
    # The walker itself: an upward import, a cycle and a hidden import are all seen.
    assert layer_of("casting.callbacks.views") > layer_of("casting.productions.models")
    assert layer_of("casting.core.db") == 0 and layer_of("casting.audit.services") == 2
    assert strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [{"a", "b"}]
    module = tmp_path / "m.py"
    module.write_text("import casting.core.db\n\ndef f():\n    from casting.decisions import services\n\n"
                      "def g():\n    # why\n    from casting.calls import models\n")
    found = imports_of("casting.core.m", module, set())
    assert [(i.target, i.in_function, i.commented) for i in found] == [
        ("casting.core.db", False, False), ("casting.decisions", True, False), ("casting.calls", True, True)]


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the components of more than one module (each one a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out
