"""Loading ontology/, data/ and shapes/ into three graphs, and naming the file and line of a syntax error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CANONICAL_BASE
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from service.build.sources import SourceError, load_sources
from service.publication.namespaces import GRAPHS, graph_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES = (graph_name(CANONICAL_BASE, name) for name in GRAPHS)
CPER = Namespace(CANONICAL_BASE + "def/cper#")
SH = Namespace("http://www.w3.org/ns/shacl#")
PREFIXES = "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def small_tree(root: Path) -> Path:
    """One file per folder, each with one labelled thing, and the project's dataset profile (its base)."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "data" / "dataset.ttl", root / "data" / "dataset.ttl")
    return write_tree(
        root,
        {
            "ontology/o.ttl": PREFIXES + "ex:o rdfs:label 'o' .\n",
            "data/a.ttl": PREFIXES + "ex:a rdfs:label 'a' .\n",
            "shapes/s.ttl": PREFIXES + "ex:s rdfs:label 's' .\n",
        },
    )


def test_the_project_tree_loads_into_the_three_graphs() -> None:
    sources = load_sources(PROJECT_ROOT)

    assert (URIRef(CANONICAL_BASE + "def/cper"), RDF.type, OWL.Ontology) in sources.ontology
    assert any(sources.data.subjects(RDF.type, CPER.PlanContract))
    assert any(sources.shapes.subjects(RDF.type, SH.NodeShape))
    assert not any(sources.data.subjects(RDF.type, OWL.Ontology)), "the ontology document is not data"


def test_named_graphs_follow_the_model() -> None:
    assert CANONICAL_BASE == "https://cper-hdf.example/"
    assert (str(GRAPH_DATA), str(GRAPH_ONTOLOGY), str(GRAPH_SHAPES)) == (
        "https://cper-hdf.example/graph/data",
        "https://cper-hdf.example/graph/ontology",
        "https://cper-hdf.example/graph/shapes",
    )


def test_every_file_of_a_folder_is_parsed_into_its_graph(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    write_tree(root, {"data/b.ttl": PREFIXES + "ex:b rdfs:label 'b' .\n", "data/notes.txt": "not read"})

    sources = load_sources(root)

    labels = {str(label) for label in sources.data.objects(None, RDFS.label) if label.language is None}
    assert labels == {"a", "b"}  # and the profile's (tagged) labels
    assert set(sources.named_graphs()) == {GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES}
    profile = len(Graph().parse(PROJECT_ROOT / "data" / "dataset.ttl", format="turtle"))
    assert len(sources.union()) == 3 + 1 + profile  # a, b, o, s and the profile


def test_relative_iris_resolve_against_the_canonical_base_not_a_path(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    write_tree(root, {"data/a.ttl": PREFIXES + "<id/thing/x> rdfs:label 'x' .\n"})

    subjects = set(load_sources(root).data.subjects(RDFS.label, Literal("x")))

    assert subjects == {URIRef(CANONICAL_BASE + "id/thing/x")}


def test_a_syntax_error_names_the_file_and_its_line(tmp_path: Path) -> None:
    broken = PREFIXES + "ex:a rdfs:label 'a' .\nex:b rdfs:label 'b' \nex:c .\n"  # no '.' ending line 4
    root = small_tree(tmp_path)
    write_tree(root, {"data/b.ttl": broken})

    with pytest.raises(SourceError) as raised:
        load_sources(root)

    assert str(raised.value).startswith("data/b.ttl, line 5: Turtle syntax error")


def test_the_line_is_right_after_accents_and_multi_line_strings(tmp_path: Path) -> None:
    # rdflib's own line counter drifts after backtracking and its offset counts characters, not bytes.
    text = PREFIXES + 'ex:a rdfs:label "é à ç"@fr ;\n    rdfs:comment """un\ndeux\ntrois""" .\nex:b rdfs:label\n'
    root = small_tree(tmp_path)
    write_tree(root, {"data/a.ttl": text})

    with pytest.raises(SourceError, match=r"^data/a\.ttl, line 7: Turtle syntax error"):
        load_sources(root)


def test_an_unbound_prefix_is_reported_on_its_line(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    write_tree(root, {"shapes/s.ttl": PREFIXES + "\nnope:s rdfs:label 's' .\n"})

    with pytest.raises(SourceError, match=r"^shapes/s\.ttl, line 4: .*nope"):
        load_sources(root)


def test_a_folder_without_turtle_is_an_error(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    (root / "shapes" / "s.ttl").unlink()

    with pytest.raises(SourceError, match=r"^shapes/: no Turtle"):
        load_sources(root)
