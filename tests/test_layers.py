"""The package's layers, read from its imports: no module imports a layer above its own, and nothing cycles.

The layers, top to bottom, are in LAYERS (and in the README's layout section). A module may import its own
layer or any below it; imports inside functions count too, since they run all the same.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

import labdocs

PACKAGE = Path(labdocs.__file__).resolve().parent

# Top to bottom. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry points", ("labdocs", "labdocs.cli", "labdocs.demo", "labdocs.client")),
    ("faces", ("labdocs.http", "labdocs.api", "labdocs.web", "labdocs.jobs")),
    ("use cases", ("labdocs.projects", "labdocs.reports", "labdocs.zines", "labdocs.images", "labdocs.orgs",
                   "labdocs.users", "labdocs.access", "labdocs.drafts", "labdocs.documents", "labdocs.register",
                   "labdocs.deletion", "labdocs.keys", "labdocs.retention",
                   "labdocs.webhooks", "labdocs.audit", "labdocs.awards", "labdocs.imports")),
    ("schemas", ("labdocs.schemas",)),
    ("rendering and infrastructure", ("labdocs.render", "labdocs.infra")),
    ("domain", ("labdocs.domain",)),
    ("base", ("labdocs.errors", "labdocs.config")),
)

# Upward imports that are known and argued for; each is one (importer, imported) pair.
ALLOWED_UPWARD = {
    # RQ may run a job's failure callback outside any worker (`rq info` cleans registries): it needs an app.
    ("labdocs.jobs.functions", "labdocs"),
}

# Pure layers: they know nothing of the web framework, the queue, the database or the infrastructure.
PURE = ("labdocs.render", "labdocs.domain", "labdocs.schemas")
IMPURE_IMPORTS = ("flask", "rq", "redis", "sqlalchemy", "werkzeug", "labdocs.infra", "labdocs.http")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, name: str, known: Iterable[str]) -> set[str]:
    """Every module this file imports (project modules by their full names, others by their top name)."""
    modules = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: {dep for dep in imported(path, name, modules) if dep in modules and dep != name}
            for name, path in modules.items()}


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            exact_root = prefix == "labdocs" and module == "labdocs"
            if (exact_root or (prefix != "labdocs" and (module == prefix or module.startswith(prefix + ".")))) \
                    and len(prefix) > best:
                best, rank = len(prefix), index
    if rank < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS (and the README's layout)")
    return rank


def upward_imports(graph: Mapping[str, set[str]]) -> list[str]:
    """Each import of a layer above the importer's own, in words."""
    return sorted(f"{module} ({LAYERS[layer_of(module)][0]}) imports {dep} ({LAYERS[layer_of(dep)][0]})"
                  for module, deps in graph.items() for dep in deps
                  if layer_of(dep) < layer_of(module) and (module, dep) not in ALLOWED_UPWARD)


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The import cycles, each as the path round it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_layer() -> None:
    for module in all_modules():
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert upward_imports(import_graph()) == []


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_pure_layers_know_nothing_of_web_queue_or_database() -> None:
    modules = all_modules()
    found = sorted(f"{name} imports {dep}" for name, path in modules.items() if name.startswith(PURE)
                   for dep in imported(path, name, modules)
                   if any(dep == bad or dep.startswith(bad + ".") for bad in IMPURE_IMPORTS))
    assert found == []


def test_allowed_upward_imports_still_exist() -> None:
    """An allowance nobody needs any more is removed, so it cannot hide a new import."""
    graph = import_graph()
    assert all(dep in graph[module] for module, dep in ALLOWED_UPWARD)


@pytest.mark.parametrize(("graph", "upward", "cycle"), [
    ({"labdocs.domain.rules": {"labdocs.projects"}, "labdocs.projects": set()},
     ["labdocs.domain.rules (domain) imports labdocs.projects (use cases)"], []),
    ({"labdocs.render.bid": {"labdocs.render.docx"}, "labdocs.render.docx": {"labdocs.render.bid"}},
     [], [["labdocs.render.bid", "labdocs.render.docx"]]),
    ({"labdocs.api.projects": {"labdocs.projects"}, "labdocs.projects": {"labdocs.domain.rules"},
      "labdocs.domain.rules": set()}, [], []),
])
def test_the_checks_catch_what_they_are_for(graph: dict[str, set[str]], upward: list[str],
                                            cycle: list[list[str]]) -> None:
    assert upward_imports(graph) == upward
    assert cycles(graph) == cycle
