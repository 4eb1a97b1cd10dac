"""What the home and catalogue pages show, gathered once per language from the manifest, the store and VoID."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import DCTERMS, RDF, Literal, URIRef

from service.http.display import day, group
from service.publication import layout
from service.publication.formats import GZIP
from service.publication.layout import dump_url
from service.publication.namespaces import prefixes
from service.queries import load as query
from service.routes.about.dcat import DCAT, describe_file
from service.routes.about.void import VOID

if TYPE_CHECKING:
    from service.routes.about.described import SelfDescription


@dataclass(frozen=True)
class Entry:
    """One line of a page's list or table: a label, where it links, and what to say beside it."""

    label: str
    href: str = ""
    note: str = ""
    count: str = ""
    detail: str = ""


@dataclass(frozen=True)
class File:
    """A released file as the pages list it; `media_type` is its content's, `download_type` what is served."""

    name: str
    url: str
    title: str
    description: str
    media_type: str
    size: str
    sha256: str

    @property
    def download_type(self) -> str:
        return GZIP.media_type if self.name.endswith(".gz") else self.media_type


@dataclass(frozen=True)
class HomePage:
    title: str
    version: str
    released: str
    contract: Entry
    triples: dict[str, str]
    entities: str
    sources: str
    classes: tuple[Entry, ...]
    ontology_classes: tuple[Entry, ...]  # the classes of the cper ontology, among `classes`
    links: tuple[Entry, ...]
    linksets: tuple[Entry, ...]
    files: tuple[File, ...]
    licence: Entry
    publisher: Entry  # who publishes the dataset, and whom to contact (the profile's agents)
    contact: Entry
    jsonld: str


def home_page(described: SelfDescription, language: str) -> HomePage:
    return described.once(("home", language), lambda: _build(described, language))


def _build(described: SelfDescription, language: str) -> HomePage:
    state = described.state
    base, manifest, store = state.settings.base_url, state.published.manifest, state.store
    fr = language == "fr"
    profile = state.published.profile  # what names the dataset, under this instance's base
    contract = URIRef(profile.root)
    labels = [row["label"] for row in store.rows(query("home-label"), {"thing": contract})]
    class_labels = _class_labels(described, language)
    classes = tuple(
        Entry(class_labels.get(iri, compact), iri, compact, group(count, language))
        for compact, count in manifest.entities.items()
        for iri in [_expand(compact, base)]
    )
    files = tuple(
        File(name, dump_url(base, name), *describe_file(artefact, language), artefact.media_type,
             group(artefact.size, language), artefact.sha256)
        for name, artefact in sorted(state.published.artefacts.items())
    )  # fmt: skip
    links = (
        Entry("SPARQL", layout.sparql_url(base),
              "Interroger les données en SPARQL 1.1" if fr else "Query the data with SPARQL 1.1"),
        Entry("Catalogue DCAT-AP" if fr else "DCAT-AP catalogue", layout.catalog_url(base),
              "Le jeu de données et ses fichiers, pour les moissonneurs" if fr
              else "The dataset and its files, for harvesters"),
        Entry("VoID", layout.void_url(base),
              "Statistiques et liens vers d'autres jeux de données" if fr
              else "Statistics and links to other datasets"),
        Entry("Ontologie cper" if fr else "The cper ontology", layout.ontology_iri(base),
              "Le vocabulaire du graphe" if fr else "The vocabulary of the graph"),
        Entry("Formes SHACL" if fr else "SHACL shapes", layout.shapes_iri(base),
              "Les contraintes que les données respectent" if fr else "The constraints the data meets"),
        Entry("Recherche" if fr else "Search", layout.search_url(base),
              "Trouver une ressource par son nom" if fr else "Find a resource by its name"),
        Entry("Fichiers de la version" if fr else "Release files", layout.dumps_url(base),
              "Téléchargements, manifeste et empreintes" if fr else "Downloads, manifest and checksums"),
    )  # fmt: skip
    classes = tuple(sorted(classes, key=lambda entry: entry.label.casefold()))
    return HomePage(
        title=_in(profile.title, language),
        version=state.published.version,
        released=day(manifest.released, language),
        contract=Entry(_pick(labels, language) or str(contract), str(contract)),
        triples={key: group(value, language) for key, value in manifest.triples.items()},
        entities=group(int(str(described.void().value(URIRef(profile.dataset), VOID.entities) or 0)), language),
        sources=group(manifest.sources, language),
        classes=classes,
        ontology_classes=tuple(entry for entry in classes if entry.href.startswith(layout.ontology_namespace(base))),
        links=links,
        linksets=_linksets(described, language),
        files=files,
        licence=Entry(f"{_in(profile.licence.title, language)} ({profile.licence.identifier})", profile.licence.iri),
        publisher=Entry(_in(profile.publisher.name, language), profile.publisher.page),
        contact=Entry(_in(profile.contact.name, language), profile.contact.page),
        jsonld=_schema_org(described, language, files),
    )


def _class_labels(described: SelfDescription, language: str) -> dict[str, str]:
    """The label of each class the ontology declares, in the reader's language where it has one."""
    by_thing: dict[str, list[Literal]] = {}
    for row in described.state.store.rows(query("home-class-labels")):
        label = row["label"]
        if isinstance(label, Literal):
            by_thing.setdefault(str(row["class"]), []).append(label)
    return {thing: _pick(labels, language) for thing, labels in by_thing.items()}


def _pick(labels: list[Any], language: str) -> str:
    """The label in the reader's language, else any; empty when there is none."""
    for label in sorted(labels, key=str):
        if isinstance(label, Literal) and label.language == language:
            return str(label)
    return str(sorted(labels, key=str)[0]) if labels else ""


def _expand(compact: str, public: str) -> str:
    """`cper:PlanContract` to its IRI under the public base."""
    prefix, _, local = compact.partition(":")
    namespace = prefixes(public).get(prefix)
    return compact if namespace is None else namespace + local


def _linksets(described: SelfDescription, language: str) -> tuple[Entry, ...]:
    """The VoID linksets as people read them: target, predicate and how many links."""
    void = described.void()
    entries = []
    for linkset in sorted(void.subjects(RDF.type, VOID.Linkset), key=str):
        target = void.value(linkset, VOID.objectsTarget)
        predicate = void.value(linkset, VOID.linkPredicate)
        name = str(void.value(target, DCTERMS.title)) if target is not None else ""
        notes = [d for d in void.objects(linkset, DCTERMS.description) if isinstance(d, Literal)]
        compact = void.namespace_manager.normalizeUri(predicate) if isinstance(predicate, URIRef) else ""
        count = group(int(str(void.value(linkset, VOID.triples) or 0)), language)
        entries.append(Entry(name, str(predicate), compact, count, _pick(notes, language)))
    return tuple(entries)


def _schema_org(described: SelfDescription, language: str, files: tuple[File, ...]) -> str:
    """The dataset as schema.org JSON-LD, for search engines; safe inside a <script> element."""
    catalog = described.catalog()
    base = described.state.settings.base_url
    profile = described.state.published.profile
    dataset = URIRef(profile.dataset)
    description = next((str(d) for d in catalog.objects(dataset, DCTERMS.description)
                        if isinstance(d, Literal) and d.language == language), "")  # fmt: skip
    publisher = {"@type": "Organization", "name": _in(profile.publisher.name, language), "url": profile.publisher.page}
    document: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(dataset),
        "name": _in(profile.title, language),
        "description": description,
        "url": base,
        "license": profile.licence.iri,
        "isAccessibleForFree": True,
        "inLanguage": ["fr", "en"],
        "spatialCoverage": {
            "@type": "Place",
            "name": _in(profile.spatial.label, language),
            "sameAs": profile.spatial.iri,
        },
        "version": described.state.published.version,
        "dateModified": described.state.published.manifest.date,
        "includedInDataCatalog": {"@type": "DataCatalog", "url": layout.catalog_url(base)},
        "creator": publisher,
        "publisher": publisher,
        "keywords": profile.keywords.get(language, []),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": file.title,
                "contentUrl": file.url,
                "encodingFormat": file.download_type,
                "contentSize": f"{described.state.published.artefacts[file.name].size} B",
            }
            for file in files
        ],
    }
    period = catalog.value(dataset, DCTERMS.temporal)
    if period is not None:
        start, end = catalog.value(period, DCAT.startDate), catalog.value(period, DCAT.endDate)
        document["temporalCoverage"] = f"{start}/{end}"
    return json.dumps(document, ensure_ascii=False, indent=2).replace("<", "\\u003c")


def _in(texts: dict[str, str], language: str) -> str:
    """The text in the reader's language, else in any language the profile gives."""
    return texts.get(language) or next(iter(texts.values()), "")
