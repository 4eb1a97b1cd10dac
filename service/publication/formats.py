"""The formats the service writes: one record per format (media types, suffix, serialiser names) and the tables
of formats each kind of answer is offered in. The first row of each table is its default."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One way of writing a response: media type, short key (`?format=`), file suffix and serialiser names."""

    key: str
    media_type: str
    suffix: str
    rdflib: str | None = None
    oxigraph: str | None = None
    aliases: tuple[str, ...] = ()
    profile: str | None = None  # a JSON-LD form other than compacted, named in Content-Type

    @property
    def content_type(self) -> str:
        if self.profile:
            return f'{self.media_type}; profile="{self.profile}"; charset=utf-8'
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml", "triples"))
        textual = textual or self.media_type.endswith(("quads", "trig"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


# N3 readers read Turtle (a subset of N3); text/plain is N-Triples' historical type; application/xml is RDF/XML.
TURTLE = Format("ttl", "text/turtle", ".ttl", "turtle", "TURTLE", ("application/x-turtle", "text/n3", "text/rdf+n3"))
NTRIPLES = Format("nt", "application/n-triples", ".nt", "nt", "N_TRIPLES", ("text/plain",))
RDFXML = Format("rdf", "application/rdf+xml", ".rdf", "xml", "RDF_XML", ("application/xml", "text/xml"))
TRIG = Format("trig", "application/trig", ".trig", "trig", "TRIG")
NQUADS = Format("nq", "application/n-quads", ".nq", "nquads", "N_QUADS")
JSONLD = Format("jsonld", "application/ld+json", ".jsonld", "json-ld", None, ("application/json",))
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
# The other JSON-LD forms a client may ask for with a `profile` parameter (compacted is the default): rdflib
# writes the graph without a context as a flat list of node objects, which is both expanded and flattened.
JSONLD_PROFILES = {
    name: Format(f"jsonld-{name}", "application/ld+json", ".jsonld", "json-ld", profile=JSONLD_NS + name)
    for name in ("expanded", "flattened")
}
HTML = Format("html", "text/html", ".html", aliases=("application/xhtml+xml",))
PLAIN = Format("txt", "text/plain", ".txt")

# The first row of each table is its default and wins ties.
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD)
QUAD_FORMATS = (TRIG, NQUADS)  # documents and graphs only: a document's triples as a dataset
DOCUMENT_FORMATS = (*GRAPH_FORMATS, *QUAD_FORMATS, HTML)
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ".srj", oxigraph="JSON", aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", ".srx", oxigraph="XML", aliases=("application/xml",)),
    Format("csv", "text/csv", ".csv", oxigraph="CSV"),
    Format("tsv", "text/tab-separated-values", ".tsv", oxigraph="TSV"),
)
ERROR_FORMATS = (PLAIN, HTML)
