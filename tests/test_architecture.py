"""The layout of `service/` as the README's "Architecture" section draws it: packages in layers, every import
pointing down, no import circle, and the web side never importing the build."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import PROJECT_ROOT

SERVICE = PROJECT_ROOT / "service"
# Bottom to top. A module may import its own package and the packages of lower layers, nothing else.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("service.config", "service.errors"),
    ("service.publication",),
    ("service.build", "service.store"),
    ("service.http", "service.queries"),
    ("service.routes.things", "service.routes.sparql"),
    ("service.routes.about",),
    ("service.serving",),
    ("service",),  # the app factory (service/__init__.py) and the command line
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    """The layer entry a module belongs to: the longest entry of LAYERS that is the module or a prefix of it."""
    entries = [entry for layer in LAYERS for entry in layer if module == entry or module.startswith(entry + ".")]
    return max(entries, key=len)


def rank(package: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if package in layer)


def imports_of(path: Path) -> set[str]:
    """Every module of the service that `path` imports, at module level or inside a function."""
    name = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not node.level, f"{name}: relative import (imports are absolute, so the layer shows)"
            target = node.module or ""
            if target == "service" or target.startswith("service."):
                # `from service.http import bodies` imports the module service.http.bodies
                for alias in node.names:
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if is_module(candidate) else target)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("service")}
    return found - {name}


def is_module(name: str) -> bool:
    path = PROJECT_ROOT / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in sorted(SERVICE.rglob("*.py"))}


def test_every_module_belongs_to_a_layer() -> None:
    for module in import_graph():
        assert package_of(module), module


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of `graph` that reaches a package of the same or a higher layer than its importer's."""
    upward = []
    for module, imported in graph.items():
        package = package_of(module)
        for target in imported:
            other = package_of(target)
            if other != package and rank(other) >= rank(package):
                upward.append(f"{module} -> {target} ({package} may not import {other})")
    return upward


def test_imports_point_down() -> None:
    upward = upward_imports(import_graph())
    assert not upward, "\n".join(upward)


def test_only_the_command_line_imports_the_build() -> None:
    importers = {
        module
        for module, imported in import_graph().items()
        if not module.startswith("service.build") and any(t.startswith("service.build") for t in imported)
    }
    assert importers <= {"service.cli"}, importers


def test_no_import_circle() -> None:
    graph = import_graph()
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, "import circle: " + " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for target in sorted(graph.get(module, ())):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_every_package_says_what_it_is_for() -> None:
    for init in SERVICE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring.split()) >= 12, f"{init.relative_to(PROJECT_ROOT)} needs a paragraph"


def test_the_checks_see_an_upward_import_and_a_sideways_one(tmp_path: Path) -> None:
    """The checker itself: a store module importing the HTTP layer, or one route package another, is reported;
    a route importing the HTTP layer is not."""
    probe = tmp_path / "probe.py"
    probe.write_text("from service.http.negotiation import choose\n", encoding="utf-8")
    imported = {node.module for node in ast.walk(ast.parse(probe.read_text())) if isinstance(node, ast.ImportFrom)}
    found = upward_imports(
        {
            "service.store.probe": {str(module) for module in imported},
            "service.routes.sparql.probe": {"service.routes.things.search"},
            "service.routes.things.probe": {"service.http.negotiation", "service.publication.layout"},
        }
    )
    assert found == [
        "service.store.probe -> service.http.negotiation (service.store may not import service.http)",
        "service.routes.sparql.probe -> service.routes.things.search "
        "(service.routes.sparql may not import service.routes.things)",
    ]
