"""The release: reproducible to the byte, described exactly by its manifest, every dump the same graph."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import CANONICAL_BASE
from graphs import same_graph
from rdflib import DCTERMS, OWL, RDF, XSD, Dataset, Graph, Literal, URIRef

from service.build.release import ReleaseRefused, build_release, release_defaults
from service.publication.namespaces import GRAPHS, graph_name, prefixes

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES = (graph_name(CANONICAL_BASE, name) for name in GRAPHS)
PREFIXES = prefixes(CANONICAL_BASE)
NAMED_GRAPHS = {GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SHAPES}
# rdflib's own JSON-LD and TriG/N-Quads parsers call its deprecated APIs; only those warnings are tolerated.
RDFLIB_DEPRECATIONS = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]


def named_graphs(release: Path) -> dict[URIRef, Graph]:
    """The graphs of dataset.nq, each line's last term naming its graph (rdflib's Dataset parser warns)."""
    lines: dict[URIRef, list[str]] = {}
    for line in (release / "dataset.nq").read_text(encoding="utf-8").splitlines():
        triple, graph_name, _ = line.rsplit(" ", 2)
        lines.setdefault(URIRef(graph_name.strip("<>")), []).append(triple + " .")
    return {name: Graph().parse(data="\n".join(text), format="nt") for name, text in lines.items()}


def parsed_dataset(text: str, rdf_format: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=text, format=rdf_format)
    return dataset


def dataset_graph(dataset: Dataset, name: URIRef) -> Graph:
    graph = Graph()
    for triple in dataset.graph(name):
        graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def reference(release_dir: Path) -> Graph:
    """The N-Triples dump, which every other dump must equal as a graph."""
    return Graph().parse(data=(release_dir / "dataset.nt").read_text(encoding="utf-8"), format="nt")


@pytest.fixture(scope="module")
def manifest(release_dir: Path) -> dict[str, Any]:
    return json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))


def test_two_builds_are_byte_identical(tmp_path: Path, release_dir: Path) -> None:
    # The session's release, built in this process, and a build by the command line in another process with another
    # hash seed (set and dict orders differ), from a frozen copy of the tree.
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / "tree" / folder)
    options = ["--root", str(tmp_path / "tree"), "--version", "test", "--date", "2026-01-01"]
    build = subprocess.run(
        [sys.executable, "-m", "service", "build", *options, "--out", str(tmp_path / seed)],
        env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL,
        timeout=900,
    )
    assert build.returncode == 0

    first = {path.name: path.read_bytes() for path in release_dir.iterdir()}
    second = {path.name: path.read_bytes() for path in (tmp_path / seed).iterdir()}
    assert sorted(first) == sorted(second)
    assert len(first) == 16
    assert [name for name in first if first[name] != second[name]] == []


def test_the_manifest_lists_every_file_with_its_size_hash_and_type(release_dir: Path, manifest: dict[str, Any]) -> None:
    files = {entry["name"]: entry for entry in manifest["files"]}

    assert sorted(files) == sorted(path.name for path in release_dir.iterdir() if path.name != "manifest.json")
    for name, entry in files.items():
        content = (release_dir / name).read_bytes()
        assert (entry["byte_size"], entry["sha256"]) == (len(content), hashlib.sha256(content).hexdigest()), name
    assert {
        name: files[name]["media_type"] for name in ("dataset.ttl", "dataset.nq", "dataset.jsonld", "dataset.rdf")
    } == {
        "dataset.ttl": "text/turtle",
        "dataset.nq": "application/n-quads",
        "dataset.jsonld": "application/ld+json",
        "dataset.rdf": "application/rdf+xml",
    }
    assert (files["dataset.nt.gz"]["media_type"], files["dataset.nt.gz"]["compress_format"]) == (
        "application/n-triples",
        "application/gzip",
    )
    expected = {f"dataset.{s}" for s in ("nt", "nq", "ttl", "trig", "rdf", "jsonld", "nt.gz", "nq.gz")} | {
        "ontology.ttl", "ontology.nt", "ontology.rdf", "ontology.jsonld", "shapes.ttl", "context.jsonld",
        "shacl-report.ttl",
    }  # fmt: skip
    assert set(files) == expected


def test_the_manifest_counts_what_the_dumps_hold(release_dir: Path, manifest: dict[str, Any]) -> None:
    graphs = named_graphs(release_dir)
    data = graphs[GRAPH_DATA]

    assert (manifest["version"], manifest["date"], manifest["base"]) == ("test", "2026-01-01", CANONICAL_BASE)
    assert manifest["graphs"] == {"data": str(GRAPH_DATA), "ontology": str(GRAPH_ONTOLOGY), "shapes": str(GRAPH_SHAPES)}
    nt_lines = (release_dir / "dataset.nt").read_text(encoding="utf-8").splitlines()
    assert manifest["triples"] == {
        "total": len(nt_lines),
        **{key: len(graphs[URIRef(iri)]) for key, iri in manifest["graphs"].items()},
    }
    classes = Counter(str(cls) for cls in data.objects(None, RDF.type))
    assert sum(manifest["entities"].values()) == sum(classes.values())
    assert manifest["entities"]["cper:PlanContract"] == classes[PREFIXES["cper"] + "PlanContract"] >= 1
    assert manifest["sources"] == len(set(data.objects(None, DCTERMS.source))) > 0
    assert manifest["validation"]["conforms"] is True and manifest["validation"]["violations"] == 0


@pytest.mark.parametrize(
    ("name", "rdf_format"),
    [
        ("dataset.ttl", "turtle"),
        ("dataset.rdf", "xml"),
        pytest.param("dataset.jsonld", "json-ld", marks=RDFLIB_DEPRECATIONS),
        pytest.param("dataset.trig", "trig", marks=RDFLIB_DEPRECATIONS),
        pytest.param("dataset.nq", "nquads", marks=RDFLIB_DEPRECATIONS),
        pytest.param("dataset.nq.gz", "nquads", marks=RDFLIB_DEPRECATIONS),
        ("dataset.nt.gz", "nt"),
    ],
)
def test_every_dump_is_the_same_graph_as_the_ntriples_dump(
    release_dir: Path, reference: Graph, name: str, rdf_format: str
) -> None:
    content = (release_dir / name).read_bytes()
    text = (gzip.decompress(content) if name.endswith(".gz") else content).decode("utf-8")
    if rdf_format in ("trig", "nquads"):
        dataset = parsed_dataset(text, rdf_format)
        assert {graph.identifier for graph in dataset.graphs() if len(graph)} == NAMED_GRAPHS
        graph = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph = Graph().parse(data=text, format=rdf_format)

    assert len(graph) == len(reference)
    assert same_graph(graph, reference)


@pytest.mark.parametrize(
    ("name", "rdf_format", "graph_name"),
    [
        ("ontology.ttl", "turtle", GRAPH_ONTOLOGY),
        ("ontology.nt", "nt", GRAPH_ONTOLOGY),
        ("ontology.rdf", "xml", GRAPH_ONTOLOGY),
        pytest.param("ontology.jsonld", "json-ld", GRAPH_ONTOLOGY, marks=RDFLIB_DEPRECATIONS),
        ("shapes.ttl", "turtle", GRAPH_SHAPES),
    ],
)
def test_ontology_and_shapes_dumps_are_their_named_graph(
    release_dir: Path, name: str, rdf_format: str, graph_name: URIRef
) -> None:
    graph = Graph().parse(data=(release_dir / name).read_text(encoding="utf-8"), format=rdf_format)

    assert same_graph(graph, named_graphs(release_dir)[graph_name])


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_the_trig_dump_keeps_each_graph_apart(release_dir: Path) -> None:
    trig = parsed_dataset((release_dir / "dataset.trig").read_text(encoding="utf-8"), "trig")
    nquads = named_graphs(release_dir)

    assert set(nquads) == NAMED_GRAPHS
    for name in sorted(NAMED_GRAPHS):
        assert same_graph(dataset_graph(trig, name), nquads[name]), name


@pytest.mark.parametrize("name", ["dataset.nt", "dataset.nq"])
def test_line_dumps_are_sorted_unique_and_blank_nodes_are_labelled_by_content(release_dir: Path, name: str) -> None:
    lines = (release_dir / name).read_text(encoding="utf-8").splitlines()

    assert lines == sorted(set(lines))
    labels = {word for line in lines for word in line.split() if word.startswith("_:")}
    assert labels, "the graphs have blank nodes (intervals, lists, property shapes)"
    assert all(label.startswith(("_:data_cb", "_:ontology_cb", "_:shapes_cb")) for label in labels)


@pytest.mark.parametrize("name", ["dataset.nt", "dataset.nq"])
def test_gzip_dumps_hold_the_dump_and_no_timestamp(release_dir: Path, name: str) -> None:
    compressed = (release_dir / f"{name}.gz").read_bytes()

    assert gzip.decompress(compressed) == (release_dir / name).read_bytes()
    assert compressed[4:8] == b"\0\0\0\0"  # MTIME


def test_the_context_is_generated_from_the_ontology(release_dir: Path) -> None:
    context = json.loads((release_dir / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ontology = Graph().parse(data=(release_dir / "ontology.nt").read_text(encoding="utf-8"), format="nt")
    cper = PREFIXES["cper"]

    assert context["@version"] == 1.1
    assert {prefix: context[prefix] for prefix in PREFIXES} == PREFIXES
    object_properties = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(cper)}
    assert object_properties
    for prop in object_properties:
        assert context[prop[len(cper) :]] == {"@id": f"cper:{prop[len(cper) :]}", "@type": "@id"}
    for prop, datatype in ((URIRef(cper + "amount"), "xsd:decimal"), (URIRef(cper + "signatureDate"), "xsd:date")):
        assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
        assert context[prop[len(cper) :]]["@type"] == datatype
    dump = json.loads((release_dir / "dataset.jsonld").read_text(encoding="utf-8"))
    assert dump["@context"] == context


def test_no_literal_contains_the_canonical_base(reference: Graph) -> None:
    sparql = {URIRef(PREFIXES["sh"] + name) for name in ("select", "ask", "construct", "update")}
    offending = [
        (s, p, o)
        for s, p, o in reference
        if isinstance(o, Literal) and CANONICAL_BASE in o and o.datatype != XSD.anyURI and p not in sparql
    ]
    assert offending == []


def test_blank_node_labels_say_their_graph_so_graphs_never_share_one(release_dir: Path) -> None:
    for line in (release_dir / "dataset.nq").read_text(encoding="utf-8").splitlines():
        graph_name = line.rsplit(" ", 2)[1].strip("<>").rsplit("/", 1)[1]
        for word in line.split():
            if word.startswith("_:"):
                assert word.startswith(f"_:{graph_name}_cb"), line


def test_a_release_with_a_violation_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    prefixes = "@prefix cper: <https://cper-hdf.example/def/cper#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    for name, text in {
        "ontology/cper.ttl": prefixes + "cper:PlanContract a owl:Class .",
        "data/contract.ttl": prefixes + "<https://cper-hdf.example/id/contract/c1> a cper:Contract .",
        "shapes/shapes.ttl": prefixes + "cper:PlanContract owl:deprecated false .",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copyfile(PROJECT_ROOT / "data" / "dataset.ttl", tmp_path / "data" / "dataset.ttl")  # the profile

    with pytest.raises(ReleaseRefused) as refused:
        build_release(tmp_path, tmp_path / "out", version="1", date="2026-01-01")

    assert [str(finding.focus) for finding in refused.value.report.findings] == [
        "https://cper-hdf.example/id/contract/c1"
    ]
    assert not (tmp_path / "out").exists()


def test_defaults_come_from_the_ontology() -> None:
    ontology = Graph().parse(data=(PROJECT_ROOT / "ontology" / "cper.ttl").read_text(encoding="utf-8"), format="turtle")
    document = URIRef(CANONICAL_BASE + "def/cper")

    version, date = release_defaults(PROJECT_ROOT)

    assert version == str(ontology.value(document, OWL.versionInfo))
    assert date == max(str(value)[:10] for value in ontology.objects(None, DCTERMS.modified))
