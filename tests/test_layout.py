"""The IRI layout (publication/layout.py): the IRIs it builds under any base, the routes built from its names, and
no other module of the service spelling a path of the layout by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from flask import Flask

from service.publication import layout

BASES = ("http://localhost/", "https://data.example.org/cper/")
# A string written in a module that rebuilds a place of the layout: `"doc/"`, `"/graph/<name>"`, `"catalog#…"`,
# `"def/cper"`… (docstrings and comments may still name them). A bare word (`"sparql"`, `"catalog"`) is also the
# name of a blueprint or a graph, so only its route form (`"/sparql"`) counts.
HAND_BUILT = re.compile(
    r"^/?(id|doc|def|graph|dumps)/|def/(cper|shapes)|graph-store|^/(sparql|search|catalog)(/|$)|catalog#|"
    r"well-known/void|context\.jsonld"
)


@pytest.mark.parametrize("base", BASES)
def test_things_and_documents_map_onto_each_other(base: str) -> None:
    thing, document = layout.thing_iri(base, "organisation/x"), layout.document_url(base, "organisation/x")
    assert thing == base + "id/organisation/x"
    assert document == base + "doc/organisation/x"
    assert layout.thing_of(base, document) == thing
    assert layout.document_of(base, thing) == document
    assert layout.thing_path(base, thing) == "organisation/x"


@pytest.mark.parametrize("base", BASES)
def test_what_is_not_a_thing_of_the_base_stays_itself(base: str) -> None:
    term = layout.ontology_namespace(base) + "Contract"
    assert layout.document_of(base, term) == term
    assert layout.document_of(base, "http://www.wikidata.org/entity/Q18677767") == (
        "http://www.wikidata.org/entity/Q18677767"
    )
    assert layout.thing_of(base, layout.catalog_url(base)) is None
    assert layout.thing_path("http://other.example/", layout.thing_iri(base, "a/b")) is None


def test_every_place_of_the_layout_under_a_base() -> None:
    base = BASES[1]
    assert layout.ontology_iri(base) == base + "def/cper"
    assert layout.ontology_namespace(base) == base + "def/cper#"
    assert layout.ontology_version_iri(base, "1.2.0") == base + "def/cper/1.2.0"
    assert layout.shapes_iri(base) == base + "def/shapes"
    assert layout.shapes_namespace(base) == base + "def/shapes#"
    assert layout.graph_iri(base, "data") == base + "graph/data"
    assert layout.graph_store_url(base) == base + "graph-store"
    assert layout.dumps_url(base) == base + "dumps/"
    assert layout.dump_url(base, "dataset.nq.gz") == base + "dumps/dataset.nq.gz"
    assert layout.context_url(base) == base + "context.jsonld"
    assert layout.sparql_url(base) == base + "sparql"
    assert layout.search_url(base) == base + "search"
    assert layout.catalog_url(base) == base + "catalog"
    assert str(layout.catalog_node(base, "publisher")) == base + "catalog#publisher"
    assert str(layout.dataset_iri(base)) == base + "catalog#dataset"
    assert layout.void_url(base) == base + ".well-known/void"


def test_the_routes_are_the_layouts_places(app: Flask) -> None:
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    expected = {
        layout.rule(layout.THING_SPACE, "<path:path>"),
        layout.rule(layout.DOCUMENT_SPACE, "<path:path>"),
        layout.rule(layout.VOCABULARY_SPACE, "<name>"),
        layout.rule(layout.ONTOLOGY_PATH + "/", "<version>"),
        layout.rule(layout.GRAPH_SPACE, "<name>"),
        layout.rule(layout.GRAPH_STORE_PATH),
        layout.rule(layout.SPARQL_PATH),
        layout.rule(layout.DUMPS_SPACE),
        layout.rule(layout.DUMPS_SPACE, "<name>"),
        layout.rule(layout.CONTEXT_NAME),
        layout.rule(layout.CATALOG_PATH),
        layout.rule(layout.VOID_PATH),
        layout.rule(layout.SEARCH_PATH),
        layout.rule(layout.OPENAPI_PATH),
    }
    assert expected <= rules, expected - rules
    # and the IRIs the layout builds are what those routes answer
    base = app.extensions["cper"].settings.base_url
    adapter = app.url_map.bind_to_environ({"SERVER_NAME": "localhost", "wsgi.url_scheme": "http",
                                           "REQUEST_METHOD": "GET", "PATH_INFO": "/"})  # fmt: skip
    for url, endpoint in (
        (layout.document_url(base, "organisation/x"), "resources.document"),
        (layout.thing_iri(base, "organisation/x"), "resources.thing"),
        (layout.ontology_iri(base), "resources.vocabulary"),
        (layout.shapes_iri(base), "resources.vocabulary"),
        (layout.ontology_version_iri(base, "1.0.0"), "resources.ontology_version"),
        (layout.graph_iri(base, "data"), "resources.graphs.named_graph"),
        (layout.graph_store_url(base), "resources.graphs.graph_store"),
        (layout.dump_url(base, "dataset.nt"), "catalog.dump"),
        (layout.context_url(base), "catalog.jsonld_context"),
        (layout.catalog_url(base), "catalog.catalog"),
        (layout.void_url(base), "catalog.void"),
        (layout.sparql_url(base), "sparql.sparql"),
    ):
        assert adapter.match(url[len(base) - 1 :])[0] == endpoint, url


def hand_built(path: Path) -> list[str]:
    """The string constants of a module (docstrings left out) that spell a place of the layout."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and HAND_BUILT.search(node.value)
    ]  # fmt: skip


def test_no_module_but_the_layout_spells_its_paths() -> None:
    modules = sorted((PROJECT_ROOT / "service").rglob("*.py"))
    found = [line for module in modules if module.name != "layout.py" for line in hand_built(module)]
    assert found == []


def test_the_scan_sees_a_path_spelled_by_hand(tmp_path: Path) -> None:
    """The scan above can fail: the three forms a path took before the layout module are caught."""
    sample = tmp_path / "sample.py"
    text = 'def f(base):\n    """Under {base}doc/."""\n    return base + "doc/" + f"{base}graph/x", "/sparql"\n'
    sample.write_text(text, encoding="utf-8")
    assert len(hand_built(sample)) == 3
