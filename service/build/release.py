"""Builds a release from the project tree: validate, then write reproducible dumps, context, report and manifest."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import Counter
from datetime import date as Date
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, Graph, URIRef

from service.build.context import jsonld_context
from service.build.profile import read_profile
from service.publication.serialisation import canonical, gzipped, nquads, ntriples, ordered_graph, rdfxml, trig, turtle
from service.publication.jsonld import to_jsonld
from service.publication.layout import CONTEXT_NAME, ontology_iri
from service.publication.manifest import FileEntry, Manifest, Validation
from service.publication.namespaces import graph_name, prefixes
from service.build.sources import SourceError, load_sources
from service.build.switch import publish
from service.build.validation import SH, Report, validate


class ReleaseRefused(Exception):
    """The sources have at least one violation, so nothing is released; ``report`` lists the findings."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"release refused: {report.count(SH.Violation)} violation(s)")
        self.report = report


def build_release(root: Path, out: Path, *, version: str, date: str) -> Manifest:
    """Validate the sources under ``root`` and publish the release as ``out`` (a link to its directory, switched
    atomically: see switch.py).

    Every file depends only on the sources, ``version`` and ``date`` (ISO ``YYYY-MM-DD``): two builds of
    the same tree are byte-identical.

    :raises SourceError: a source file is missing or does not parse.
    :raises ProfileError: the dataset's profile is missing or incomplete.
    :raises ReleaseRefused: validation found a violation (warnings do not refuse a release).
    :raises ValueError: ``date`` is not an ISO date.
    """
    Date.fromisoformat(date)
    sources = load_sources(root)
    report = validate(sources)
    if not report.conforms:
        raise ReleaseRefused(report)
    profile, base = read_profile(sources.data), sources.base  # the same base: both read data/dataset.ttl
    namespaces = prefixes(base)
    named = {name: canonical(graph, _short(name), namespaces) for name, graph in sources.named_graphs().items()}
    union = ordered_graph((triple for graph in named.values() for triple in graph), namespaces)
    ontology, context = named[graph_name(base, "ontology")], jsonld_context(sources.ontology, base)
    contents = {
        "dataset.nt": ntriples(union),
        "dataset.nq": nquads(named),
        "dataset.ttl": turtle(union),
        "dataset.trig": trig(named),
        "dataset.rdf": rdfxml(union),
        "dataset.jsonld": to_jsonld(union, context).encode("utf-8"),
        "ontology.ttl": turtle(ontology),
        "ontology.nt": ntriples(ontology),
        "ontology.rdf": rdfxml(ontology),
        "ontology.jsonld": to_jsonld(ontology, context).encode("utf-8"),
        "shapes.ttl": turtle(named[graph_name(base, "shapes")]),
        CONTEXT_NAME: (json.dumps(context, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
        "shacl-report.ttl": turtle(canonical(report.graph, "report", namespaces)),
    }
    contents["dataset.nt.gz"] = gzipped(contents["dataset.nt"])
    contents["dataset.nq.gz"] = gzipped(contents["dataset.nq"])
    manifest = Manifest(
        version=version,
        date=date,
        base=profile.base,
        graphs={_short(name): str(name) for name in named},
        triples={"total": len(union), **{_short(name): len(graph) for name, graph in named.items()}},
        entities=_entities(named[graph_name(base, "data")], namespaces),
        sources=len(set(named[graph_name(base, "data")].objects(None, DCTERMS.source))),
        validation=Validation(
            conforms=report.conforms,
            violations=report.count(SH.Violation),
            warnings=report.count(SH.Warning),
            infos=report.count(SH.Info),
        ),
        files=tuple(FileEntry.of(name, contents[name]) for name in sorted(contents)),
        profile=profile,
    )
    text = manifest.to_json()

    def write(directory: Path) -> None:
        for name, content in contents.items():
            (directory / name).write_bytes(content)
        (directory / "manifest.json").write_text(text, encoding="utf-8")

    # Written whole into a directory of its own, then switched to in one rename: a build killed at any moment
    # leaves `out` on a complete release (switch.py).
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    publish(out, f"{re.sub(r'[^A-Za-z0-9._-]', '_', version)}-{digest}", write)
    return manifest


def release_defaults(root: Path) -> tuple[str, str]:
    """The version and date a build of ``root`` uses when none is given, so rebuilding needs no arguments.

    Version: the ontology's ``owl:versionInfo``, else pyproject.toml's ``project.version``. Date: the newest
    ``dct:modified`` in the ontology.

    :raises SourceError: the sources do not parse, or neither a version nor a date can be found.
    """
    sources = load_sources(root)
    ontology = sources.ontology
    version = ontology.value(URIRef(ontology_iri(sources.base)), OWL.versionInfo)
    if version is None and (root / "pyproject.toml").is_file():
        version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("version")
    dates = sorted(_as_date(value) for value in ontology.objects(None, DCTERMS.modified) if _as_date(value))
    if version is None or not dates:
        raise SourceError("ontology/: no owl:versionInfo or dct:modified to date the release; give --version/--date")
    return str(version), dates[-1]


def _as_date(value: object) -> str:
    """The ISO date of a date or date-time literal, or "" if it is not one."""
    try:
        return Date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return ""


def _short(graph_name: URIRef) -> str:
    """``data`` for ``{base}graph/data``."""
    return graph_name.rsplit("/", 1)[-1]


def _entities(data: Graph, namespaces: dict[str, str]) -> dict[str, int]:
    """Instances per class in the data graph, classes written as compact IRIs where a prefix fits."""
    counts = Counter(_compact(str(cls), namespaces) for cls in data.objects(None, RDF.type))  # one per instance
    return dict(sorted(counts.items()))


def _compact(iri: str, namespaces: dict[str, str]) -> str:
    for prefix, namespace in namespaces.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
