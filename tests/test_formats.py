"""The format records (publication/formats.py): every record carries what every table offering it needs, so that
adding a format to a table without saying, say, its W3C name fails here and not at run time."""

from __future__ import annotations

import pytest

from service.http.compression import compressible
from service.publication.formats import (
    ALL_FORMATS,
    DOCUMENT_FORMATS,
    ERROR_FORMATS,
    EU_FILE_TYPES,
    GRAPH_FORMATS,
    GZIP,
    JSONLD,
    JSONLD_PROFILES,
    QUAD_FORMATS,
    RELEASE_FORMATS,
    RESULT_FORMATS,
    TURTLE,
    W3C_FORMATS,
    Format,
    by_media_type,
    by_suffix,
)
from service.publication.manifest import FileEntry
from service.routes.sparql.protocol import choose_format

# The local names of http://www.w3.org/ns/formats/ (https://www.w3.org/ns/formats/, the W3C's list).
W3C_NAMES = {
    "JSON-LD", "N3", "N-Triples", "N-Quads", "LD_Patch", "microdata", "OWL_XML", "OWL_Functional", "OWL_Manchester",
    "POWDER", "POWDER-S", "PROV-N", "PROV-XML", "RDFa", "RDF_JSON", "RDF_XML", "RIF_XML", "SPARQL_Results_XML",
    "SPARQL_Results_JSON", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "TriG",
}  # fmt: skip
# What each kind of answer needs to know about the formats it offers.
TABLES: dict[str, tuple[tuple[Format, ...], tuple[str, ...]]] = {
    "documents": (DOCUMENT_FORMATS, ("title",)),
    "graphs (rdflib writes them; the service description names them)": (GRAPH_FORMATS, ("rdflib", "w3c")),
    "quads (rdflib writes them)": (QUAD_FORMATS, ("rdflib",)),
    "JSON-LD forms": (tuple(JSONLD_PROFILES.values()), ("rdflib", "profile")),
    "results (Oxigraph writes them; the service description names them)": (RESULT_FORMATS, ("oxigraph", "w3c")),
    "release files (DCAT names their title and EU file type)": (RELEASE_FORMATS, ("title", "eu_file_type", "w3c")),
    "errors": (ERROR_FORMATS, ("title",)),
}


@pytest.mark.parametrize("fmt", ALL_FORMATS, ids=lambda fmt: fmt.key)
def test_every_format_is_a_whole_record(fmt: Format) -> None:
    main, _, sub = fmt.media_type.partition("/")
    assert main and sub and "/" not in sub and fmt.media_type == fmt.media_type.lower()
    assert fmt.key and fmt.key == fmt.key.lower() and fmt.suffix.startswith(".") and fmt.title
    assert all(alias.count("/") == 1 for alias in fmt.aliases)
    # what is text says its charset, and the compression layer compresses it (and only it) on the fly
    assert fmt.content_type.startswith(fmt.media_type)
    assert ("charset=utf-8" in fmt.content_type) == fmt.textual
    assert compressible(fmt.content_type) == fmt.textual, fmt.content_type


@pytest.mark.parametrize("table", TABLES, ids=lambda name: name.split(" ")[0])
def test_every_table_finds_what_it_needs_in_its_records(table: str) -> None:
    rows, fields = TABLES[table]
    missing = [(row.key, field) for row in rows for field in fields if not getattr(row, field)]
    assert missing == [], f"{table}: records lacking what the table needs"
    keys = [row.key for row in rows]
    assert len(set(keys)) == len(keys), f"{table}: two rows share a key"


def test_names_given_by_others_are_real_names() -> None:
    for fmt in ALL_FORMATS:
        if fmt.w3c is not None:
            assert fmt.w3c in W3C_NAMES, fmt.key
            assert fmt.w3c_iri == W3C_FORMATS + fmt.w3c
        if fmt.eu_file_type is not None:
            assert fmt.eu_file_type_iri == EU_FILE_TYPES + fmt.eu_file_type
            assert fmt.eu_file_type.replace("_", "").isalnum() and fmt.eu_file_type.isupper()
    with pytest.raises(LookupError, match="no IRI for the format html"):
        _ = DOCUMENT_FORMATS[-1].w3c_iri


@pytest.mark.parametrize("fmt", RELEASE_FORMATS, ids=lambda fmt: fmt.key)
def test_a_release_file_is_described_from_its_suffix(fmt: Format) -> None:
    assert by_suffix(fmt.suffix) is fmt
    assert by_media_type(fmt.media_type, RELEASE_FORMATS) is fmt  # a .gz dump is negotiated from its content's type
    entry = FileEntry.of("dataset" + fmt.suffix, b"x")
    assert (entry.media_type, entry.compress_format) == (fmt.media_type, None)
    packed = FileEntry.of("dataset" + fmt.suffix + ".gz", b"x")
    assert (packed.media_type, packed.compress_format) == (fmt.media_type, GZIP.media_type)


def test_an_unknown_suffix_is_named_in_the_error() -> None:
    with pytest.raises(LookupError, match=r"suffix '\.n3'"):
        by_suffix(".n3")
    with pytest.raises(LookupError, match=r"suffix '\.n3'"):
        FileEntry.of("dataset.n3", b"x")
    assert by_media_type("application/x-unknown") is None


@pytest.mark.parametrize("table", [GRAPH_FORMATS, RESULT_FORMATS], ids=["graphs", "results"])
def test_names_clients_send_choose_their_row(table: tuple[Format, ...]) -> None:
    for row in table:
        for name in (row.key, row.media_type, *row.client_names):
            chosen = choose_format((name,), None, table)
            # a client name that is also a key of the table (`json`, `xml` among results) names that row
            assert chosen is row or name in {other.key for other in table}, (name, chosen.key)
    assert choose_format(("turtle",), None, GRAPH_FORMATS) is TURTLE
    assert choose_format(("json",), None, GRAPH_FORMATS) is JSONLD
    assert choose_format(("json",), None, RESULT_FORMATS) is RESULT_FORMATS[0]
    assert choose_format(("xml",), None, RESULT_FORMATS).media_type == "application/sparql-results+xml"
