"""The shape of the package: its import graph, imports inside functions included, has no
cycle, and no module uses another's private (``_name``) names (issue 20)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "publish"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in the module, at
    any depth (inside functions too), except those only for type checkers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for child in node.body for n in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name in known]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target not in known:
                continue
            taken = [a.name for a in node.names]
            # `from . import x` imports the module x when there is one.
            submodules = [f"{target}.{t}" for t in taken if f"{target}.{t}" in known]
            found += [(s, [], node.lineno) for s in submodules]
            rest = [t for t in taken if f"{target}.{t}" not in known]
            if rest or not submodules:
                found.append((target, rest, node.lineno))
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    edges: dict[str, set[str]] = {}
    for name, path in found.items():
        targets = {t for t, _, _ in imports(name, path, known) if t != name}
        # Importing a.b.c runs a/__init__ and a/b/__init__ too, but those are the
        # package's own business: only the module itself is an edge.
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_crossings() -> list[str]:
    """Private names one module takes from another: imported (``from .x import _y``) or
    reached through an imported module (``x._y``)."""
    found = modules()
    known = set(found)
    crossings = []
    for name, path in found.items():
        bound: dict[str, str] = {}  # local name -> module of ours
        for target, taken, line in imports(name, path, known):
            crossings += [f"{name}:{line} imports {target}.{t}" for t in taken if private(t)]
            if not taken:
                bound[target.rpartition(".")[2]] = target
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and bound[node.value.id] != name
                and private(node.attr)
            ):
                target = bound[node.value.id]
                crossings.append(f"{name}:{node.lineno} uses {target}.{node.attr}")
    return sorted(set(crossings))


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(graph()) == []


def test_no_module_takes_a_private_name_of_another() -> None:
    assert private_crossings() == []


def test_weasyprint_internals_are_reached_only_from_compat() -> None:
    private = ("._page_box", '"_folder"', "._folder")
    outside = [
        f"{name}: {word}"
        for name, path in modules().items()
        if not name.startswith("publish.compat")
        for word in private
        if word in path.read_text(encoding="utf-8")
    ]
    assert outside == []


if __name__ == "__main__":  # python tests/test_architecture.py: the cycles and crossings
    for group in cycles(graph()):
        print("cycle:", " ".join(group))
    for crossing in private_crossings():
        print(crossing)
