"""Validates the sources: the SHACL shapes over data + ontology, plus checks SHACL cannot express simply."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyshacl
from pyshacl.entrypoints import meta_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from service.publication.namespaces import VOCABULARIES, new_graph
from service.build.sources import SourceError, Sources

SH = Namespace(VOCABULARIES["sh"])

# Terms from these vocabularies may be used in data/ without being declared in the project's ontology.
STANDARD_NAMESPACES: tuple[str, ...] = (
    *(VOCABULARIES[name] for name in ("rdf", "rdfs", "owl", "xsd", "skos", "dct", "foaf", "prov", "time", "org")),
    *(VOCABULARIES[name] for name in ("cv", "legal", "adms", "qb", "schema", "eli", "igeo", "vann", "sh")),
    "http://www.w3.org/ns/dcat#",
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/2006/vcard/ns#",
)

SEVERITY_ORDER = (SH.Violation, SH.Warning, SH.Info)
_QUERY_PROPERTIES = {SH.select, SH.ask, SH.construct, SH.update}
_PLACEHOLDER = re.compile(r"\{[$?][A-Za-z0-9_]+\}")


@dataclass(frozen=True)
class Finding:
    """One problem found: which node, through which path, which value, and what is wrong (fr and en)."""

    focus: Node
    path: Node | None
    value: Node | None
    message_fr: str
    message_en: str
    severity: URIRef = SH.Violation
    source_shape: Node | None = None


@dataclass(frozen=True)
class Report:
    """The outcome of validation; ``conforms`` is false as soon as one finding is a violation."""

    conforms: bool
    graph: Graph
    findings: tuple[Finding, ...]
    base: str  # the canonical base of the sources, for compact names

    def count(self, severity: URIRef) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def as_text(self) -> str:
        """A readable report, findings grouped by message, violations first."""
        names = new_graph(self.base).namespace_manager
        counts = ", ".join(f"{self.count(s)} {s.fragment.lower()}(s)" for s in SEVERITY_ORDER)
        lines = [f"{'Conforms' if self.conforms else 'Does not conform'}: {counts}."]
        groups: dict[tuple[int, str, str], list[Finding]] = defaultdict(list)
        for finding in self.findings:
            rank = SEVERITY_ORDER.index(finding.severity) if finding.severity in SEVERITY_ORDER else 0
            groups[(rank, finding.message_fr, finding.message_en)].append(finding)
        for (rank, message_fr, message_en), members in sorted(groups.items()):
            lines += ["", f"{SEVERITY_ORDER[rank].fragment} ({len(members)}): {message_fr} / {message_en}"]
            for finding in members:
                path = finding.path.n3(names) if finding.path is not None else "-"
                value = finding.value.n3(names) if finding.value is not None else "-"
                lines.append(f"  focus {finding.focus.n3(names)}  path {path}  value {value}")
        return "\n".join(lines) + "\n"


def validate(sources: Sources) -> Report:
    """Check the shapes against SHACL itself, then data + ontology against the shapes, then terms and literals.

    :raises SourceError: pyshacl cannot run the shapes (for instance a SPARQL constraint that does not parse).
    """
    try:
        # pyshacl's own meta_shacl=True only raises with a text dump; running the meta check first keeps
        # its results as findings.
        shapes_ok, meta_graph, _ = meta_validate(_copy(sources.base, sources.shapes), inference="none", allow_warnings=True)
        if not shapes_ok:
            return _report(meta_graph, [], Graph(), sources.base)
        # Copies, because pyshacl adds triples to the shapes graph it is given (owl:Class ⊑ rdfs:Class…).
        _, report_graph, report_text = pyshacl.validate(
            _copy(sources.base, sources.data, sources.ontology, into=_PreparedQueryGraph(bind_namespaces="core")),
            shacl_graph=_copy(sources.base, sources.shapes),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
    except ReportableRuntimeError as error:
        raise SourceError(f"shapes/: pyshacl cannot run the shapes: {error.message}") from error
    if not isinstance(report_graph, Graph):  # pyshacl hands back its ValidationFailure instead of a report
        raise SourceError(f"shapes/: pyshacl cannot run the shapes: {report_text}")
    extra = undeclared_terms(sources) + base_in_literals(sources)
    return _report(report_graph, extra, sources.shapes, sources.base)


def _copy(base: str, *graphs: Graph, into: Graph | None = None) -> Graph:
    """The union of ``graphs`` in a new graph (``into``, or one from new_graph()) bound to the release's prefixes."""
    merged = new_graph(base) if into is None else into
    if into is not None:
        for prefix, namespace in new_graph(base).namespaces():
            merged.bind(prefix, namespace, override=True, replace=True)
    for graph in graphs:
        merged += graph
    return merged


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once: pyshacl sends a SHACL-SPARQL constraint's text again for every
    focus node, and with rdflib parsing that text costs more than evaluating it."""

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    """The parsed query; pyshacl writes the shapes' prefixes into the text, so the text alone decides it."""
    return prepareQuery(text)


def undeclared_terms(sources: Sources) -> list[Finding]:
    """Predicates and classes used in data/ that the ontology does not declare and no standard vocabulary owns."""
    declared = set(sources.ontology.subjects(RDF.type, None))

    def unknown(term: Node) -> bool:
        return isinstance(term, URIRef) and term not in declared and not str(term).startswith(STANDARD_NAMESPACES)

    findings = []
    for subject, predicate, value in sources.data:
        term = value if predicate == RDF.type else predicate
        if unknown(term):
            findings.append(
                Finding(
                    subject,
                    predicate,
                    value,
                    f"Terme ni déclaré dans l'ontologie ni issu d'un vocabulaire standard connu : <{term}>",
                    f"Term neither declared in the ontology nor from a known standard vocabulary: <{term}>",
                )
            )
    return findings


def base_in_literals(sources: Sources) -> list[Finding]:
    """Literals containing the canonical base, which the service's base rewriting would silently alter.

    Two kinds of literal hold IRIs as text, and rewriting them along with the IRIs is what should happen:
    ``xsd:anyURI`` values (``sh:namespace``, ``vann:preferredNamespaceUri``) and SHACL-SPARQL queries.
    """
    return [
        Finding(
            subject,
            predicate,
            value,
            f"Le littéral contient la base canonique {sources.base} : la réécriture de base le modifierait",
            f"The literal contains the canonical base {sources.base}: base rewriting would alter it",
        )
        for subject, predicate, value in sources.union()
        if isinstance(value, Literal)
        and sources.base in value
        and value.datatype != XSD.anyURI
        and predicate not in _QUERY_PROPERTIES
    ]


def _report(graph: Graph, extra: list[Finding], shapes: Graph, base: str) -> Report:
    results = graph.subjects(RDF.type, SH.ValidationResult)
    findings = [_finding(graph, result, shapes) for result in results]
    report_node = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None) or BNode()
    for finding in extra:
        _add_result(graph, report_node, finding)
    findings += extra
    findings.sort(key=lambda f: (f.message_en, f.focus, str(f.path), str(f.value)))
    conforms = not any(finding.severity == SH.Violation for finding in findings)
    graph.set((report_node, SH.conforms, Literal(conforms)))
    return Report(conforms=conforms, graph=graph, findings=tuple(findings), base=base)


def _finding(graph: Graph, result: Node, shapes: Graph) -> Finding:
    messages = _messages(graph, result, shapes)
    fallback = messages.get(None) or messages.get("en") or messages.get("fr") or "(no message)"
    severity = graph.value(result, SH.resultSeverity)
    return Finding(
        focus=graph.value(result, SH.focusNode) or result,
        path=graph.value(result, SH.resultPath),
        value=graph.value(result, SH.value),
        message_fr=messages.get("fr", fallback),
        message_en=messages.get("en", fallback),
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        source_shape=graph.value(result, SH.sourceShape),
    )


def _messages(graph: Graph, result: Node, shapes: Graph) -> dict[str | None, str]:
    """The result's messages by language tag.

    pyshacl drops the tag when it fills a SPARQL constraint's {$this}/{?var} template, so an untagged message
    gets the tag of the shape's sh:message it was filled from.
    """
    templates = [
        message
        for node in graph.objects(result, SH.sourceConstraint | SH.sourceShape)
        for message in shapes.objects(node, SH.message)
        if isinstance(message, Literal) and message.language
    ]
    messages: dict[str | None, str] = {}
    for message in graph.objects(result, SH.resultMessage):
        if isinstance(message, Literal):
            language = message.language or next((t.language for t in templates if _fills(t, message)), None)
            messages.setdefault(language, str(message))
    return messages


def _fills(template: Literal, message: Literal) -> bool:
    parts = _PLACEHOLDER.split(str(template))
    return re.fullmatch(".*?".join(re.escape(part) for part in parts), str(message), re.DOTALL) is not None


def _add_result(graph: Graph, report_node: Node, finding: Finding) -> None:
    result = BNode()
    graph.add((report_node, SH.result, result))
    graph.add((result, RDF.type, SH.ValidationResult))
    graph.add((result, SH.focusNode, finding.focus))
    graph.add((result, SH.resultSeverity, finding.severity))
    graph.add((result, SH.resultMessage, Literal(finding.message_fr, lang="fr")))
    graph.add((result, SH.resultMessage, Literal(finding.message_en, lang="en")))
    for predicate, value in ((SH.resultPath, finding.path), (SH.value, finding.value)):
        if value is not None:
            graph.add((result, predicate, value))
