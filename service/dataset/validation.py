"""Validates the sources: the SHACL shapes over data ∪ ontology, plus checks SHACL cannot express simply."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyshacl
from pyshacl.entrypoints import meta_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .sources import CANONICAL_BASE, PREFIXES, SourceError, Sources, new_graph

SH = Namespace(PREFIXES["sh"])

# Terms from these vocabularies may be used in data/ without being declared in the project's ontology.
STANDARD_NAMESPACES: tuple[str, ...] = (
    PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["xsd"], PREFIXES["skos"], PREFIXES["dct"],
    PREFIXES["foaf"], PREFIXES["prov"], PREFIXES["time"], PREFIXES["org"], PREFIXES["cv"], PREFIXES["legal"],
    PREFIXES["adms"], PREFIXES["qb"], PREFIXES["schema"], PREFIXES["eli"], PREFIXES["igeo"], PREFIXES["vann"],
    "http://www.w3.org/ns/dcat#", "http://rdfs.org/ns/void#", PREFIXES["sh"],
)  # fmt: skip

SEVERITY_ORDER = (SH.Violation, SH.Warning, SH.Info)


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

    def count(self, severity: URIRef) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def as_text(self) -> str:
        """A readable report, findings grouped by message, violations first."""
        names = new_graph().namespace_manager
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
    """Check the shapes against SHACL itself, then the data ∪ ontology against the shapes, then terms and literals.

    :raises SourceError: pyshacl cannot run the shapes (for instance a SPARQL constraint that does not parse).
    """
    try:
        # pyshacl's own meta_shacl=True only raises with a text dump; running the meta check first keeps
        # its results as findings.
        shapes_ok, meta_graph, _ = meta_validate(sources.shapes, inference="none", allow_warnings=True)
        if not shapes_ok:
            return _report(meta_graph, [])
        data_graph = new_graph()
        data_graph += sources.data
        data_graph += sources.ontology
        _, report_graph, _ = pyshacl.validate(
            data_graph, shacl_graph=sources.shapes, inference="none", advanced=True, allow_warnings=True,
        )  # fmt: skip
    except ReportableRuntimeError as error:
        raise SourceError(f"shapes/: pyshacl cannot run the shapes: {error.message}") from error
    return _report(report_graph, undeclared_terms(sources) + base_in_literals(sources))


def undeclared_terms(sources: Sources) -> list[Finding]:
    """Predicates and classes used in data/ that the ontology does not declare and no standard vocabulary owns."""
    declared = set(sources.ontology.subjects(RDF.type, None))

    def unknown(term: Node) -> bool:
        return isinstance(term, URIRef) and term not in declared and not str(term).startswith(STANDARD_NAMESPACES)

    findings = []
    for subject, predicate, value in sources.data:
        term = value if predicate == RDF.type else predicate
        if unknown(term):
            findings.append(Finding(
                subject, predicate, value,
                f"Terme ni déclaré dans l'ontologie ni issu d'un vocabulaire standard connu : <{term}>",
                f"Term neither declared in the ontology nor from a known standard vocabulary: <{term}>",
            ))  # fmt: skip
    return findings


def base_in_literals(sources: Sources) -> list[Finding]:
    """Literals containing the canonical base, which the service's base rewriting would silently alter.

    ``xsd:anyURI`` literals are IRIs written as text (``sh:namespace``, ``vann:preferredNamespaceUri``):
    rewriting them along with the IRIs is what should happen, so they are allowed.
    """
    return [
        Finding(
            subject, predicate, value,
            f"Le littéral contient la base canonique {CANONICAL_BASE} : la réécriture de base le modifierait",
            f"The literal contains the canonical base {CANONICAL_BASE}: base rewriting would alter it",
        )
        for subject, predicate, value in sources.union()
        if isinstance(value, Literal) and CANONICAL_BASE in value and value.datatype != XSD.anyURI
    ]  # fmt: skip


def _report(graph: Graph, extra: list[Finding]) -> Report:
    findings = [_finding(graph, result) for result in graph.subjects(RDF.type, SH.ValidationResult)]
    report_node = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None) or BNode()
    for finding in extra:
        _add_result(graph, report_node, finding)
    findings += extra
    findings.sort(key=lambda f: (f.message_en, f.focus, str(f.path), str(f.value)))
    conforms = not any(finding.severity == SH.Violation for finding in findings)
    graph.set((report_node, SH.conforms, Literal(conforms)))
    return Report(conforms=conforms, graph=graph, findings=tuple(findings))


def _finding(graph: Graph, result: Node) -> Finding:
    messages = {message.language: str(message) for message in graph.objects(result, SH.resultMessage)
                if isinstance(message, Literal)}  # fmt: skip
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
