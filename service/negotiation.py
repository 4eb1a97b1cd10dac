"""Media-type tables and the chooser that picks a row from a request's Accept header or a format override."""

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


class NoAcceptableFormat(Exception):
    """Nothing in the table satisfies the request; carries the media types that are offered."""

    def __init__(self, offered: tuple[str, ...]) -> None:
        super().__init__(", ".join(offered))
        self.offered = offered


def offered(table: tuple[Format, ...]) -> tuple[str, ...]:
    return tuple(f.media_type for f in table)


def by_key(key: str, table: tuple[Format, ...]) -> Format:
    """The row named by `?format=` or a file suffix (`ttl` or `.ttl`).

    :raises NoAcceptableFormat: the key names no row of the table.
    """
    key = key.lower().lstrip(".")
    for fmt in table:
        if key in (fmt.key, fmt.suffix.lstrip(".")):
            return fmt
    raise NoAcceptableFormat(tuple(f"{f.key} ({f.media_type})" for f in table))


def _ranges(header: str) -> list[tuple[str, str, float]]:
    """Parse Accept into (type, subtype, q); parameters other than q (charset, profile) are ignored."""
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        if media.count("/") != 1:
            continue  # a malformed range matches nothing
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            main, sub = media.split("/")
            ranges.append((main, sub, q))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, str, float]]) -> float:
    """The q of the most specific range matching any of the row's media types (0 when none does)."""
    best = (-1, 0.0)
    for media in (fmt.media_type, *fmt.aliases):
        main, sub = media.split("/")
        for r_main, r_sub, q in ranges:
            if (r_main, r_sub) == (main, sub):
                specificity = 2
            elif r_main == main and r_sub == "*":
                specificity = 1
            elif (r_main, r_sub) == ("*", "*"):
                specificity = 0
            else:
                continue
            if specificity > best[0] or (specificity == best[0] and q > best[1]):
                best = (specificity, q)
    return best[1]


def choose(accept: str | None, table: tuple[Format, ...], *, strict: bool = True) -> Format:
    """The best row for an Accept header (no header: the default row).

    :raises NoAcceptableFormat: when `strict` and nothing acceptable is offered; otherwise the default row.
    """
    if accept is None or not accept.strip():
        return table[0]
    ranges = _ranges(accept)
    scored = [(_quality(fmt, ranges), -index, fmt) for index, fmt in enumerate(table)]
    quality, _, fmt = max(scored, key=lambda row: (row[0], row[1]))
    if quality > 0:
        return fmt
    if strict:
        raise NoAcceptableFormat(offered(table))
    return table[0]


def explicitly_preferred(accept: str | None, fmt: Format, others: tuple[Format, ...]) -> bool:
    """Whether Accept names `fmt` itself (not through a wildcard) at least as highly as any row of `others`.

    Browsers name text/html first; SPARQL clients never name it, and `*/*` alone never picks it, so a query from
    curl or a library keeps its results format while a browser gets the page.
    """
    if accept is None or not accept.strip():
        return False
    ranges = _ranges(accept)
    names = {tuple(media.split("/")) for media in (fmt.media_type, *fmt.aliases)}
    named = [q for main, sub, q in ranges if (main, sub) in names]
    if not named or max(named) <= 0:
        return False
    return max(named) >= max((_quality(other, ranges) for other in others), default=0.0)


def jsonld_form(accept: str | None, asked: str | None) -> Format:
    """JSONLD, or its expanded/flattened row when `?profile=` or Accept's JSON-LD `profile` asks for it."""
    names = [asked] if asked else []
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if media.lower() in ("application/ld+json", "application/json"):
            for param in params:
                key, _, value = param.partition("=")
                if key.strip().lower() == "profile":
                    names.extend(value.strip().strip('"').split())
    for name in names:
        short = name.removeprefix(JSONLD_NS)
        if short == "compacted":
            return JSONLD
        if short in JSONLD_PROFILES:
            return JSONLD_PROFILES[short]
    return JSONLD
