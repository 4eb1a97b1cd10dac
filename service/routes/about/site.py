"""Self-description and downloads: the home page, VoID, the DCAT catalogue, the release's files, robots and sitemap."""

from __future__ import annotations

import gzip
from xml.sax.saxutils import escape

from flask import Blueprint, Response, render_template, request

from service.errors import NotFound
from service.http.compression import accepts
from service.http.documents import alternate_links, answer, at_parameters
from service.http.language import reader_language
from service.http.negotiation import explicitly_preferred
from service.http.responses import from_release, link_header, release_etag
from service.http.state import AppState, current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS, GZIP, HTML, RELEASE_FORMATS, TURTLE, Format, by_media_type
from service.publication.published import Artefact
from service.queries import load as query
from service.routes.about import dumps
from service.routes.about.described import self_description
from service.routes.about.home import home_page
from service.routes.things.charts import all_charts

blueprint = Blueprint("catalog", __name__)
# HTML pages of the service itself, beside the doc page of every thing (paths under the public base).
SITE_PAGES = ("", layout.SPARQL_PATH, layout.ONTOLOGY_PATH, layout.SHAPES_PATH, layout.CATALOG_PATH)


@blueprint.get("/")
def home() -> Response:
    """The home page for browsers; the VoID description for RDF clients."""
    return _document("", "void", "home.html")


@blueprint.get(layout.rule(layout.VOID_PATH))
def void() -> Response:
    return _document(layout.VOID_PATH, "void", "home.html")


@blueprint.get(layout.rule(layout.CATALOG_PATH))
def catalog() -> Response:
    return _document(layout.CATALOG_PATH, "catalog", "catalog.html")


def _document(path: str, graph_name: str, template: str) -> Response:
    """`path` negotiated between an HTML page and the RDF of `graph_name` (`?format=` overrides Accept)."""
    base = current().settings.base_url
    page_url = base + path
    locate = at_parameters(page_url, base + (layout.VOID_PATH if graph_name == "void" else path))

    def render(fmt: Format) -> bytes | str:
        if fmt != HTML:
            return self_description().written(graph_name, fmt)
        language = reader_language()
        return render_template(
            template,
            page=home_page(self_description(), language),
            alternates=alternate_links(page_url, DOCUMENT_FORMATS, HTML, locate),
            charts=all_charts(language) if template == "home.html" else [],
        )

    return answer(page_url, None, DOCUMENT_FORMATS, render, locate=locate)


@blueprint.get(layout.rule(layout.DUMPS_SPACE, "<name>"))
def dump(name: str) -> Response:
    """A file of the release, byte for byte as the catalogue describes it (size, SHA-256); ranges allowed."""
    if name == "manifest.json":
        return dumps.manifest()
    artefact = current().published.artefact(name)
    if artefact is None:
        raise NotFound(f"The release has no file named {name!r}; the catalogue lists them: "
                       f"{layout.catalog_url(current().settings.base_url)}")  # fmt: skip
    return _file(artefact)


@blueprint.get(layout.rule(layout.DUMPS_SPACE))
@blueprint.get(layout.rule(layout.DUMPS_SPACE.rstrip("/")))
def dump_index() -> Response:
    """The release's files, as an HTML index for people or JSON (the manifest) for scripts."""
    return dumps.index()


@blueprint.get(layout.rule(layout.CONTEXT_NAME))
def jsonld_context() -> Response:
    """The JSON-LD context the service's documents refer to."""
    artefact = current().published.artefact(layout.CONTEXT_NAME)
    if artefact is None:
        raise NotFound("This release has no JSON-LD context.")
    return _file(artefact)


def _file(artefact: Artefact) -> Response:
    """The artefact's bytes; a `.gz` file is negotiated three ways (see `_gzip_variant`).

    Ranges (206) apply to the bytes sent, with `Accept-Ranges: bytes` and `If-Range` honoured.
    """
    data, etag, encoded = artefact.data, artefact.sha256[:32], False
    fmt = by_media_type(artefact.media_type, RELEASE_FORMATS)
    if fmt is None:
        raise LookupError(f"the release's file {artefact.name} has a type no format has: {artefact.media_type}")
    if artefact.name.endswith(".gz"):
        variant = _gzip_variant(fmt)
        if variant == "encoded":
            encoded, etag = True, etag + "-gz"  # not "-gzip": that suffix marks on-the-fly compression
        elif variant == "decoded":
            data, etag = gzip.decompress(artefact.data), etag + "-identity"
        else:
            fmt = GZIP
    response = Response(data, content_type=fmt.content_type)
    if encoded:
        response.headers["Content-Encoding"] = "gzip"
    if artefact.name.endswith(".gz"):
        response.headers["Vary"] = "Accept, Accept-Encoding"
    response.headers["Content-Disposition"] = f'inline; filename="{artefact.name}"'
    catalog = layout.catalog_url(current().settings.base_url)
    response.headers["Link"] = link_header([(TURTLE, catalog)], rel="describedby")
    # 304 when the validators match, 206 for a satisfiable Range, 416 otherwise (in place)
    return from_release(response, etag, ranges=True)


def _gzip_variant(content: Format) -> str:
    """How to send a `.gz` dump: "encoded", "decoded" or "raw".

    - "encoded": the client accepts gzip (browsers, Comunica, `requests`, curl --compressed): its content's type
      with `Content-Encoding: gzip`, so that it reads RDF directly;
    - "decoded": the client names the content's RDF type but not gzip (rdflib's `Graph().parse(url)`): the
      content itself;
    - "raw": anyone else (curl, wget, a harvester checking dcat:byteSize and the SHA-256): the file's exact bytes
      as `application/gzip`.
    """
    if accepts(request.headers.get("Accept-Encoding"), "gzip"):
        return "encoded"
    if explicitly_preferred(request.headers.get("Accept"), content, (GZIP,)):
        return "decoded"
    return "raw"


@blueprint.get("/robots.txt")
def robots() -> Response:
    base = current().settings.base_url
    body = f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"
    return _text(body, "text/plain; charset=utf-8")


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """Every HTML page: the service's own and the doc page of every thing the dataset names."""
    described = self_description()
    body = described.once(("sitemap",), lambda: _sitemap(described.state))
    return _text(body, "application/xml; charset=utf-8")


def _sitemap(state: AppState) -> str:
    base = state.settings.base_url
    urls = [base + page for page in SITE_PAGES]
    retired = state.published.profile.replaced_by  # no page: they answer 301 to their successors
    for row in state.store.rows(query("sitemap-things")):
        thing = str(row["thing"])
        path = layout.thing_path(base, thing)
        if (
            path is not None
            and path.count("/") == 1
            and not any(mark in path for mark in "#?")
            and thing not in retired
        ):
            urls.append(layout.document_url(base, path))
    modified = state.published.last_modified.date().isoformat()
    entries = "".join(f"  <url><loc>{escape(url)}</loc><lastmod>{modified}</lastmod></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def _text(body: str, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    return from_release(response, release_etag(request.path.strip("/").replace("/", "-")))
