"""The formats the service writes: one record per format carrying everything known about it (media types, suffix,
serialiser names, the names the W3C, the EU file-type authority and clients give it), and the tables of formats
each kind of answer is offered in. The first row of each table is its default."""

from __future__ import annotations

from dataclasses import dataclass

W3C_FORMATS = "http://www.w3.org/ns/formats/"  # the W3C's IRIs for formats (SPARQL service descriptions)
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"  # the EU file-type authority (DCAT)


@dataclass(frozen=True)
class Format:
    """One way of writing a response or a file. Every table that needs a fact about a format reads it here.

    key: `?format=` and short name; suffix: file suffix and `{document}.ttl`; rdflib, oxigraph: serialiser names;
    aliases: other media types that ask for it in Accept; profile: a JSON-LD form other than compacted, named
    in Content-Type; title: the name people (and DCAT titles) know it by; w3c: its name under W3C_FORMATS;
    eu_file_type: its code in EU_FILE_TYPES (set for the formats a file of the
    release or the catalogue may be in); client_names: what clients send in `format=`/`output=`
    (SPARQLWrapper sends "turtle", "xml" for RDF/XML…).
    """

    key: str
    media_type: str
    suffix: str
    rdflib: str | None = None
    oxigraph: str | None = None
    aliases: tuple[str, ...] = ()
    profile: str | None = None
    title: str = ""
    w3c: str | None = None
    eu_file_type: str | None = None
    client_names: tuple[str, ...] = ()

    @property
    def textual(self) -> bool:
        """Whether the bytes are text (UTF-8): said with `charset`, and worth compressing on the fly."""
        media = self.media_type
        return media.startswith("text/") or media.endswith(("json", "xml", "triples", "quads", "trig"))

    @property
    def content_type(self) -> str:
        if self.profile:
            return f'{self.media_type}; profile="{self.profile}"; charset=utf-8'
        return f"{self.media_type}; charset=utf-8" if self.textual else self.media_type

    @property
    def w3c_iri(self) -> str:
        """:raises LookupError: the W3C names no such format (tests/test_formats.py checks the tables that need it)."""
        if self.w3c is None:
            raise LookupError(f"the W3C has no IRI for the format {self.key} ({self.media_type})")
        return W3C_FORMATS + self.w3c

    @property
    def eu_file_type_iri(self) -> str | None:
        return EU_FILE_TYPES + self.eu_file_type if self.eu_file_type else None


# N3 readers read Turtle (a subset of N3); text/plain is N-Triples' historical type; application/xml is RDF/XML.
TURTLE = Format(
    "ttl", "text/turtle", ".ttl", "turtle", "TURTLE", ("application/x-turtle", "text/n3", "text/rdf+n3"),
    title="Turtle", w3c="Turtle", eu_file_type="RDF_TURTLE", client_names=("turtle", "n3"),
)  # fmt: skip
NTRIPLES = Format(
    "nt", "application/n-triples", ".nt", "nt", "N_TRIPLES", ("text/plain",),
    title="N-Triples", w3c="N-Triples", eu_file_type="RDF_N_TRIPLES", client_names=("ntriples", "n-triples"),
)  # fmt: skip
RDFXML = Format(
    "rdf", "application/rdf+xml", ".rdf", "xml", "RDF_XML", ("application/xml", "text/xml"),
    title="RDF/XML", w3c="RDF_XML", eu_file_type="RDF_XML", client_names=("xml", "rdf+xml", "rdfxml"),
)  # fmt: skip
TRIG = Format("trig", "application/trig", ".trig", "trig", "TRIG", title="TriG", w3c="TriG", eu_file_type="RDF_TRIG")
NQUADS = Format(
    "nq", "application/n-quads", ".nq", "nquads", "N_QUADS",
    title="N-Quads", w3c="N-Quads", eu_file_type="RDF_N_QUADS", client_names=("nquads", "n-quads"),
)  # fmt: skip
# "json" names JSON-LD among graph formats; among result formats the results row's own key wins (keys first).
JSONLD = Format(
    "jsonld", "application/ld+json", ".jsonld", "json-ld", None, ("application/json",),
    title="JSON-LD", w3c="JSON-LD", eu_file_type="JSON_LD", client_names=("json", "json-ld"),
)  # fmt: skip
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
# The other JSON-LD forms a client may ask for with a `profile` parameter (compacted is the default): rdflib
# writes the graph without a context as a flat list of node objects, which is both expanded and flattened.
JSONLD_PROFILES = {
    name: Format(f"jsonld-{name}", "application/ld+json", ".jsonld", "json-ld", profile=JSONLD_NS + name,
                 title=f"JSON-LD ({name})", w3c="JSON-LD", eu_file_type="JSON_LD")
    for name in ("expanded", "flattened")
}  # fmt: skip
HTML = Format("html", "text/html", ".html", aliases=("application/xhtml+xml",), title="HTML")
PLAIN = Format("txt", "text/plain", ".txt", title="Text")
JSON = Format("json", "application/json", ".json", title="JSON", eu_file_type="JSON")
SVG = Format("svg", "image/svg+xml", ".svg", title="SVG")
OPENAPI = Format("openapi", "application/vnd.oai.openapi+json", ".json", title="OpenAPI")
# A `.gz` file sent as its exact bytes; its content is one of the release's formats (RELEASE_FORMATS).
GZIP = Format("gz", "application/gzip", ".gz", title="gzip")

# The first row of each table is its default and wins ties.
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD)
QUAD_FORMATS = (TRIG, NQUADS)  # documents and graphs only: a document's triples as a dataset
DOCUMENT_FORMATS = (*GRAPH_FORMATS, *QUAD_FORMATS, HTML)
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ".srj", oxigraph="JSON", aliases=("application/json",),
           title="SPARQL JSON results", w3c="SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", ".srx", oxigraph="XML", aliases=("application/xml",),
           title="SPARQL XML results", w3c="SPARQL_Results_XML"),
    Format("csv", "text/csv", ".csv", oxigraph="CSV", title="SPARQL CSV results", w3c="SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", ".tsv", oxigraph="TSV", title="SPARQL TSV results",
           w3c="SPARQL_Results_TSV"),
)  # fmt: skip
ERROR_FORMATS = (PLAIN, HTML)
RELEASE_FORMATS = (*GRAPH_FORMATS, *QUAD_FORMATS)  # what a release's files are written in (gzip aside)
ALL_FORMATS = (*DOCUMENT_FORMATS, *JSONLD_PROFILES.values(), *RESULT_FORMATS, PLAIN, JSON, SVG, OPENAPI, GZIP)


def by_suffix(suffix: str, table: tuple[Format, ...] = RELEASE_FORMATS) -> Format:
    """The row whose file suffix is `suffix` (`.ttl`).

    :raises LookupError: no row has it (a file the release does not know how to describe).
    """
    for fmt in table:
        if fmt.suffix == suffix:
            return fmt
    raise LookupError(f"no format of {', '.join(f.suffix for f in table)} has the suffix {suffix!r}")


def by_media_type(media_type: str, table: tuple[Format, ...] = ALL_FORMATS) -> Format | None:
    """The first row whose media type is `media_type` (aliases not counted); None when none is."""
    return next((fmt for fmt in table if fmt.media_type == media_type), None)
