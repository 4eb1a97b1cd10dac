"""The OpenAPI 3.1 description of the HTTP API, at /openapi.json (and /.well-known/openapi.json), for API
portals and client generators. Built from the format tables, under the instance's public base."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response

from service.http.responses import negotiated
from service.http.state import current
from service.publication import layout
from service.publication.formats import DOCUMENT_FORMATS, GRAPH_FORMATS, OPENAPI, RESULT_FORMATS, Format

blueprint = Blueprint("openapi", __name__)


@blueprint.get(layout.rule(layout.OPENAPI_PATH))
@blueprint.get(layout.rule(layout.WELL_KNOWN_OPENAPI_PATH))
def openapi() -> Response:
    body = current().built.get("openapi", lambda: json.dumps(describe(), indent=2, ensure_ascii=False) + "\n")
    return negotiated(body, OPENAPI, vary=False)


def _content(formats: tuple[Format, ...], schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {f.media_type: {"schema": schema or {"type": "string"}} for f in formats}


def _error(description: str, retry: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}
    if retry:
        answer["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}
    return answer


def _moved(to: str) -> dict[str, Any]:
    """A retired IRI's answer (routes/things/retired.py): moved for good, `Location` naming where to."""
    return {"description": f"Retired by a later release: moved permanently to {to}",
            "headers": {"Location": {"schema": {"type": "string"}}}}  # fmt: skip


def _parameter(name: str, where: str, description: str, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path", "description": description,
            "schema": {"type": "string", **schema}}  # fmt: skip


def describe() -> dict[str, Any]:
    """The OpenAPI document of this instance."""
    state = current()
    base = state.settings.base_url
    documents = _content(DOCUMENT_FORMATS)
    lang = _parameter("lang", "query", "Language of HTML pages (else Accept-Language, else French).",
                      enum=["fr", "en"])  # fmt: skip
    fmt = _parameter("format", "query", "A format key overriding Accept.",
                     enum=sorted({f.key for f in DOCUMENT_FORMATS}))  # fmt: skip
    not_found, not_acceptable = _error("Nothing is described there."), _error("No offered format suits Accept.")
    query_params = [
        _parameter("query", "query", "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)."),
        _parameter("default-graph-uri", "query", "A graph of the default graph (repeatable)."),
        _parameter("named-graph-uri", "query", "A named graph of the dataset (repeatable)."),
        _parameter("format", "query", "A result format key (json, xml, csv, tsv, ttl, nt, rdf, jsonld) or html "
                   "for the query page with the results as a table."),
    ]  # fmt: skip
    sparql_answers = {
        "200": {"description": "Query results (SELECT, ASK), an RDF graph (CONSTRUCT, DESCRIBE), the service "
                "description (no query), or the query page (browsers).",
                "content": {**_content(RESULT_FORMATS), **_content(GRAPH_FORMATS), "text/html": {}}},
        "400": _error("Malformed query, update or SERVICE call refused."),
        "406": not_acceptable,
        "413": _error("Body larger than the limit."),
        "415": _error("POST body neither a form nor application/sparql-query."),
        "422": _error("A valid query whose answer passes the size limit, or that makes the engine fail."),
        "429": _error("This client address has too many requests in progress.", retry=True),
        "503": _error("Every query slot busy, or the query ran past the time limit.", retry=True),
    }  # fmt: skip
    json_object = {"application/json": {"schema": {"type": "object"}}}
    document_path, void_path = layout.rule(layout.DOCUMENT_SPACE, "{type}/{slug}"), layout.rule(layout.VOID_PATH)
    catalog_path, dumps_path = layout.rule(layout.CATALOG_PATH), layout.rule(layout.DUMPS_SPACE)
    paths: dict[str, Any] = {
        layout.rule(layout.SPARQL_PATH): {
            "get": {"summary": "SPARQL 1.1 Protocol query by GET", "operationId": "sparqlGet",
                    "parameters": query_params, "responses": sparql_answers},
            "post": {"summary": "SPARQL 1.1 Protocol query by POST (form or application/sparql-query)",
                     "operationId": "sparqlPost",
                     "requestBody": {"required": True, "content": {
                         "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                             "query": {"type": "string"}}, "required": ["query"]}},
                         "application/sparql-query": {"schema": {"type": "string"}}}},
                     "responses": sparql_answers},
        },
        layout.rule(layout.THING_SPACE, "{type}/{slug}"): {"get": {
            "summary": "A thing: 303 See Other to the document about it", "operationId": "thing",
            "parameters": [_parameter("type", "path", "Kind of thing"), _parameter("slug", "path", "Its name")],
            "responses": {"303": {"description": "See the document " + document_path,
                                  "headers": {"Location": {"schema": {"type": "string"}}}},
                          "301": _moved("its successor"), "404": not_found}}},
        document_path: {"get": {
            "summary": "The document about a thing, negotiated (suffixes .ttl .nt .rdf .jsonld .trig .nq .html "
                       "name one format)", "operationId": "document",
            "parameters": [_parameter("type", "path", "Kind of thing"), _parameter("slug", "path", "Its name"),
                           fmt, lang, _parameter("profile", "query", "JSON-LD form",
                                                 enum=["compacted", "expanded", "flattened"])],
            "responses": {"200": {"description": "The document", "content": documents}, "304": {
                "description": "Not modified"}, "301": _moved("its successor's document, in the same format"),
                "404": not_found, "406": not_acceptable}}},
        layout.rule(layout.VOCABULARY_SPACE, "{vocabulary}"): {"get": {
            "summary": "The ontology (cper) or the SHACL shapes (shapes)", "operationId": "vocabulary",
            "parameters": [_parameter("vocabulary", "path", "cper or shapes", enum=["cper", "shapes"]), fmt, lang],
            "responses": {"200": {"description": "Documentation or RDF", "content": documents}, "404": not_found}}},
        layout.rule(layout.ONTOLOGY_PATH + "/", "{version}"): {"get": {
            "summary": "A version of the ontology: the current one, or 303 See Other to it from an earlier one",
            "operationId": "ontologyVersion", "parameters": [_parameter("version", "path", "e.g. 1.1.0"), fmt, lang],
            "responses": {"200": {"description": "The current version", "content": documents},
                          "303": {"description": "An earlier version (owl:priorVersion): see the current one",
                                  "headers": {"Location": {"schema": {"type": "string"}},
                                              "Link": {"schema": {"type": "string"}}}},
                          "404": not_found, "406": not_acceptable}}},
        layout.rule(layout.GRAPH_SPACE, "{name}"): {"get": {
            "summary": "A named graph", "operationId": "namedGraph",
            "parameters": [_parameter("name", "path", "data, ontology or shapes"), fmt],
            "responses": {"200": {"description": "The graph", "content": documents}, "404": not_found}}},
        layout.rule(layout.GRAPH_STORE_PATH): {"get": {
            "summary": "SPARQL 1.1 Graph Store Protocol, read side", "operationId": "graphStore",
            "parameters": [_parameter("graph", "query", "A named graph IRI"),
                           _parameter("default", "query", "Present (empty) for the default graph")],
            "responses": {"200": {"description": "The graph", "content": _content(GRAPH_FORMATS)},
                          "400": _error("Name exactly one graph."), "404": not_found}}},
        "/": {"get": {"summary": "Home page (HTML) or the VoID description (RDF)", "operationId": "home",
                      "parameters": [fmt, lang], "responses": {"200": {"description": "Home", "content": documents}}}},
        void_path: {"get": {"summary": "VoID description", "operationId": "void", "parameters": [fmt],
                                      "responses": {"200": {"description": "VoID", "content": documents}}}},
        catalog_path: {"get": {"summary": "DCAT-AP 3 catalogue", "operationId": "catalog", "parameters": [fmt, lang],
                             "responses": {"200": {"description": "The catalogue", "content": documents}}}},
        dumps_path: {"get": {"summary": "Index of the release's files (HTML, or the manifest as JSON)",
                            "operationId": "dumpIndex",
                            "responses": {"200": {"description": "Index",
                                                  "content": {"text/html": {}, **json_object}}}}},
        layout.rule(layout.DUMPS_SPACE, "manifest.json"): {"get": {
            "summary": "The release manifest: version, counts, size and SHA-256 of every file",
            "operationId": "manifest", "responses": {"200": {"description": "Manifest", "content": json_object}}}},
        layout.rule(layout.DUMPS_SPACE, "{file}"): {"get": {
            "summary": "A file of the release; Range requests allowed; .gz files come as their content's type "
                       "with Content-Encoding: gzip to clients accepting gzip", "operationId": "dump",
            "parameters": [_parameter("file", "path", "e.g. dataset.nt, dataset.nq.gz"),
                           _parameter("Range", "header", "A byte range")],
            "responses": {"200": {"description": "The file"}, "206": {"description": "Part of the file"},
                          "304": {"description": "Not modified"}, "404": not_found,
                          "416": _error("Range not satisfiable")}}},
        layout.rule(layout.CONTEXT_NAME): {"get": {"summary": "The JSON-LD context", "operationId": "context",
                                    "responses": {"200": {"description": "Context", "content": {
                                        "application/ld+json": {"schema": {"type": "object"}}}}}}},
        layout.rule(layout.SEARCH_PATH): {"get": {
            "summary": "Search things by label (French or English, accents folded, prefix matching)",
            "operationId": "search",
            "parameters": [_parameter("q", "query", "Words to look for"),
                           _parameter("class", "query", "Only instances of this class IRI"),
                           _parameter("format", "query", "html or json", enum=["html", "json"]), lang],
            "responses": {"200": {"description": "Matches", "content": {"text/html": {}, **json_object}},
                          "400": _error("Query too long.")}}},
        "/health": {"get": {"summary": "Release and store state", "operationId": "health",
                            "responses": {"200": {"description": "Healthy", "content": json_object},
                                          "503": {"description": "The store does not answer",
                                                  "content": json_object}}}},
        "/version": {"get": {"summary": "Versions of the service, the release and its components",
                             "operationId": "version",
                             "responses": {"200": {"description": "Versions", "content": json_object}}}},
        "/openapi.json": {"get": {"summary": "This description", "operationId": "openapi",
                                  "responses": {"200": {"description": "OpenAPI 3.1", "content": json_object}}}},
    }  # fmt: skip
    profile = state.published.profile  # what names the dataset
    name, title = profile.name.get("en", ""), profile.title.get("en", "")
    licence = profile.licence
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{name} linked-data service",
            "version": state.published.version or "unknown",
            "description": "Read-only SPARQL 1.1 endpoint, dereferenceable IRIs with content negotiation, dumps, "
            f"VoID and DCAT-AP catalogue of the dataset “{title}”.",
            "license": {"name": next(iter(licence.title.values()), licence.iri), "identifier": licence.identifier},
        },
        "servers": [{"url": base.rstrip("/")}],
        "paths": paths,
    }
