"""The dataset profile: what names the dataset (titles, publisher, coverage, licence, root) and which of its IRIs
are retired, read from its data.

The profile is the dataset's own DCAT/VoID description, written once as data in ``data/dataset.ttl``
(ontology/MODEL.md, "The dataset profile"). The build reads it here, checks it, and writes it into the release
manifest; the service reads it from the manifest and never imports this module.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import DCTERMS, FOAF, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from service.publication.layout import THING_SPACE
from service.publication.profile import Agent, DatasetProfile, Licence, Period, Place, Texts

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

PROFILE_FILE = "data/dataset.ttl"
LANGUAGES = ("fr", "en")


class ProfileError(Exception):
    """The dataset profile is missing, ambiguous or incomplete; the message names the file and the term (the
    command line exits with 2, as for any unreadable source)."""


def canonical_base(root: Path) -> str:
    """The canonical base ``root``'s profile gives, read before any other file (they are parsed against it).

    :raises ProfileError: no profile, or its dataset node or void:uriSpace is missing or not absolute.
    """
    path = root / PROFILE_FILE
    try:
        graph = Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")
    except FileNotFoundError:
        raise ProfileError(f"{PROFILE_FILE}: missing; the dataset's DCAT/VoID description must be there") from None
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as error:
        raise ProfileError(f"{PROFILE_FILE}: cannot be read as Turtle ({error})") from None
    space = _one(graph, _dataset(graph), VOID.uriSpace)
    return _base_of(str(space))


def read_profile(data: Graph) -> DatasetProfile:
    """The profile as the data graph states it (``data/dataset.ttl``, plus the labels of what it points to).

    :raises ProfileError: a required term is missing or repeated; the message names it.
    """
    dataset = _dataset(data)
    publisher, contact, licence = (_one(data, dataset, p) for p in (DCTERMS.publisher, DCAT.contactPoint,
                                                                      DCTERMS.license))  # fmt: skip
    spatial, root, space = (_one(data, dataset, p) for p in (DCTERMS.spatial, VOID.rootResource, VOID.uriSpace))
    base = _base_of(str(space))
    keywords: dict[str, list[str]] = {}
    for word in sorted(data.objects(dataset, DCAT.keyword), key=str):
        if isinstance(word, Literal) and word.language:
            keywords.setdefault(word.language, []).append(str(word))
    return DatasetProfile(
        base=base,
        dataset=str(dataset),
        name=_texts(data, dataset, RDFS.label),
        title=_texts(data, dataset, DCTERMS.title),
        description=_texts(data, dataset, DCTERMS.description),
        keywords=keywords,
        publisher=Agent(str(publisher), _texts(data, publisher, FOAF.name), str(_one(data, publisher, FOAF.homepage))),
        contact=Agent(str(contact), _texts(data, contact, VCARD.fn), str(_one(data, contact, VCARD.hasURL))),
        licence=Licence(
            str(licence),
            _texts(data, licence, DCTERMS.title, LANGUAGES[:1]),
            str(_one(data, licence, DCTERMS.identifier)),
            str(_one(data, licence, DCTERMS.type)),
        ),
        spatial=Place(str(spatial), _texts(data, spatial, RDFS.label, ())),  # labels wherever the data gives them
        temporal=_period(data, dataset),
        root=str(root),
        uri_space=str(space),
        replaced_by=_replaced_by(data, base),
    )


def _replaced_by(data: Graph, base: str) -> dict[str, str]:
    """Every retired IRI (``<retired> dct:isReplacedBy <successor>``) with its successor, in IRI order.

    Only the dataset's own things can be retired: the service answers for IRIs under ``{base}id/``, and one
    successor each, as a redirect has one Location.

    :raises ProfileError: a retired IRI is outside the URI space, or has several successors or one that is no IRI.
    """
    replaced: dict[str, str] = {}
    for retired in sorted(set(data.subjects(DCTERMS.isReplacedBy, None)), key=str):
        successors = list(data.objects(retired, DCTERMS.isReplacedBy))
        if not (isinstance(retired, URIRef) and str(retired).startswith(base + THING_SPACE)):
            raise ProfileError(f"data/: dct:isReplacedBy: <{retired}> is not an IRI under {base + THING_SPACE}")
        if len(successors) != 1 or not isinstance(successors[0], URIRef):
            raise ProfileError(f"data/: <{retired}> needs exactly one dct:isReplacedBy, an IRI ({len(successors)} found)")
        replaced[str(retired)] = str(successors[0])
    return replaced


def _dataset(graph: Graph) -> Node:
    datasets = sorted(
        set(graph.subjects(RDF.type, VOID.Dataset)) & set(graph.subjects(RDF.type, DCAT.Dataset)), key=str
    )
    if len(datasets) != 1:
        found = ", ".join(f"<{d}>" for d in datasets) or "none"
        raise ProfileError(f"{PROFILE_FILE}: exactly one node typed dcat:Dataset and void:Dataset is needed ({found})")
    return datasets[0]


def _one(graph: Graph, node: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(node, predicate))
    if len(values) != 1:
        raise ProfileError(f"{PROFILE_FILE}: <{node}> needs exactly one {graph.qname(predicate)} ({len(values)} found)")
    return values[0]


def _texts(graph: Graph, node: Node, predicate: URIRef, languages: tuple[str, ...] = LANGUAGES) -> Texts:
    texts = {v.language: str(v) for v in graph.objects(node, predicate) if isinstance(v, Literal) and v.language}
    missing = [language for language in languages if language not in texts]
    if missing:
        raise ProfileError(f"{PROFILE_FILE}: <{node}> has no {graph.qname(predicate)} in @{', @'.join(missing)}")
    return {language: texts[language] for language in sorted(texts)}


def _period(graph: Graph, dataset: Node) -> Period | None:
    period = graph.value(dataset, DCTERMS.temporal)
    if period is None:
        return None
    start, end = _one(graph, period, DCAT.startDate), _one(graph, period, DCAT.endDate)
    if not (isinstance(start, Literal) and isinstance(end, Literal) and start.datatype == end.datatype):
        raise ProfileError(f"{PROFILE_FILE}: dct:temporal's dcat:startDate and dcat:endDate are literals of one type")
    return Period(str(start), str(end), str(start.datatype or ""))


def _base_of(space: str) -> str:
    if not (space.startswith(("http://", "https://")) and space.endswith("/" + THING_SPACE)):
        raise ProfileError(f"{PROFILE_FILE}: void:uriSpace must be an absolute IRI ending in /{THING_SPACE} ({space!r})")
    return space[: -len(THING_SPACE)]
