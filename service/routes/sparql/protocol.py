"""SPARQL 1.1 Protocol requests read into one query operation, or refused with the reason, before anything runs.

Where the query travels (SPARQL 1.1 Protocol §2.1): GET `?query=`; POST form (`query=` in the body); POST
`application/sparql-query` (the body is the query, UTF-8). `default-graph-uri` and `named-graph-uri` come from the
URL, and from the body too for a form. Updates, and queries that would make the server call out, are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge

from service.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from service.http.negotiation import NoAcceptableFormat, by_key, choose
from service.publication.formats import Format
from service.store import lexer
from service.store.interface import QueryDataset
from service.store.wellformed import iri_problem

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted here: this public endpoint is read-only and answers queries only."
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")

Parameters = dict[str, list[str]]

# The store's parser recurses once per level: thousands of levels would overflow its stack and kill the worker.
MAX_NESTING = 500


@dataclass(frozen=True)
class Operation:
    """One query to run: its text, its form as the lexical scan tells it, its protocol dataset, format names."""

    query: str
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the text does not say (a syntax error follows)
    dataset: QueryDataset | None
    format_names: tuple[str, ...]  # from `format=` then `output=`, first usable one wins
    declares_dataset: bool = False  # FROM / FROM NAMED in the text (the union default graph then stays off)
    star_order: tuple[str, ...] | None = None  # `SELECT *`: the variables in the text's order


def read(request: Request, max_body: int, service_allowlist: tuple[str, ...]) -> Operation | None:
    """The operation a GET or POST carries; None for a GET without `query` (the client wants the description).

    :raises BadRequest: malformed parameters, an update, a non-UTF-8 body, a refused SERVICE call.
    :raises UnsupportedMediaType: a POST body that is neither a form nor `application/sparql-query`.
    :raises PayloadTooLarge: a body over `max_body` bytes.
    """
    url = _parameters(request.query_string, "URL query string")
    if request.method != "POST":
        _refuse_update(url)
        return _operation(_one(url, "query"), url, service_allowlist) if "query" in url else None
    if request.mimetype == UPDATE:
        raise BadRequest(READ_ONLY)
    if request.mimetype == FORM:
        _check_charset(request)
        form = _parameters(_body(request, max_body), "form body")
        params = {name: url.get(name, []) + form.get(name, []) for name in url.keys() | form.keys()}
        _refuse_update(params)
        if "query" not in params:
            raise BadRequest("A form POST to the SPARQL endpoint needs a query parameter in its body.")
        return _operation(_one(params, "query"), params, service_allowlist)
    if request.mimetype == DIRECT:
        _check_charset(request)
        _refuse_update(url)
        if "query" in url:
            raise BadRequest("A direct POST carries its query in the body: remove query= from the URL.")
        try:
            text = _body(request, max_body).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BadRequest(f"The query body is not UTF-8 (byte {error.start}); send it UTF-8 encoded.") from None
        return _operation(text, url, service_allowlist)
    given = f"Content-Type {request.mimetype}" if request.mimetype else "no Content-Type"
    raise UnsupportedMediaType(f"A POST to the SPARQL endpoint needs Content-Type {FORM} (query=…) or {DIRECT} "
                               f"(the query as the body); it came with {given}.")  # fmt: skip


def choose_format(names: tuple[str, ...], accept: str | None, table: tuple[Format, ...]) -> Format:
    """The row named by the first usable `format=`/`output=` value, else the best row for Accept.

    A name may be a key or suffix of the table (`ttl`), a name other clients use (`turtle`) or a media type.

    :raises NoAcceptableFormat: names were given but none is in the table, or nothing in it is acceptable.
    """
    names = tuple(name.strip() for name in names if name.strip())
    for name in names:
        fmt = _named(name, table)
        if fmt is not None:
            return fmt
    if names:
        raise NoAcceptableFormat(tuple(f"{row.key} ({row.media_type})" for row in table))
    return choose(accept, table)


def _named(name: str, table: tuple[Format, ...]) -> Format | None:
    """The row a media type, a key or suffix of the table, or else a name other clients use (Format.client_names)."""
    try:
        return choose(name, table) if "/" in name else by_key(name, table)
    except NoAcceptableFormat:
        pass
    return next((row for row in table if name.lower() in row.client_names), None)


def _operation(text: str, params: Parameters, service_allowlist: tuple[str, ...]) -> Operation:
    if not text.strip():
        raise BadRequest("The query is empty.")
    scan = lexer.scan(text)
    if scan.nesting > MAX_NESTING:
        raise BadRequest(f"The query nests groups, brackets or parentheses {scan.nesting} deep; "
                         f"this endpoint accepts at most {MAX_NESTING}.")  # fmt: skip
    if scan.form == "UPDATE":
        raise BadRequest(READ_ONLY + " The request's query is an update operation.")
    for target in scan.services:
        if target not in service_allowlist:
            allowed = ", ".join(service_allowlist) or "none"
            raise BadRequest(f"SERVICE {target} is refused: this endpoint does not call other services on a "
                             f"client's behalf (SERVICE endpoints allowed: {allowed}).")  # fmt: skip
    default_graphs = tuple(_iri(params, "default-graph-uri"))
    named_graphs = tuple(_iri(params, "named-graph-uri"))
    dataset = QueryDataset(default_graphs, named_graphs) if default_graphs or named_graphs else None
    format_names = tuple(params.get("format", []) + params.get("output", []))
    return Operation(text, scan.form, dataset, format_names, scan.declares_dataset, scan.star_order)


def _iri(params: Parameters, name: str) -> list[str]:
    values = params.get(name, [])
    for value in values:
        if not _ABSOLUTE_IRI.fullmatch(value):
            raise BadRequest(f"{name} must be absolute: an IRI with a scheme, not {value!r}.")
        if (problem := iri_problem(value)) is not None:
            raise BadRequest(f"{name} {value!r} is not a well-formed IRI ({problem}).")
    return values


def _refuse_update(params: Parameters) -> None:
    if "update" in params and "query" in params:
        raise BadRequest("A request carries either query or update, not both. " + READ_ONLY)
    if "update" in params:
        raise BadRequest(READ_ONLY)


def _one(params: Parameters, name: str) -> str:
    values = params[name]
    if len(values) > 1:
        raise BadRequest(f"The {name} parameter is given {len(values)} times; send exactly one.")
    return values[0]


def _parameters(raw: bytes, where: str) -> Parameters:
    """Name → values, decoded strictly: a percent-encoded sequence that is not UTF-8 is an error, not a U+FFFD."""
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"The {where} is not UTF-8; percent-encode UTF-8 bytes.") from None
    params: Parameters = {}
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


def _check_charset(request: Request) -> None:
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower() not in ("utf-8", "utf8"):
        raise BadRequest(f"The SPARQL protocol takes UTF-8 bodies only; this one declares charset={charset}.")


def _body(request: Request, max_body: int) -> bytes:
    length = request.content_length
    if length is not None and length > max_body:
        raise PayloadTooLarge(_too_large(max_body, f"{length} bytes"))
    if length is None and request.environ.get("wsgi.input_terminated"):
        # A chunked body: werkzeug would silently cut it at the limit, and a cut query is another query.
        chunks: list[bytes] = []
        while (size := sum(map(len, chunks))) <= max_body and (chunk := request.input_stream.read(max_body + 1 - size)):
            chunks.append(chunk)
        if size > max_body:
            raise PayloadTooLarge(_too_large(max_body, "chunked, longer"))
        return b"".join(chunks)
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise PayloadTooLarge(_too_large(max_body, "longer")) from None


def _too_large(max_body: int, size: str) -> str:
    return (f"The request body ({size}) is over this endpoint's limit of {max_body} bytes; "
            "send a shorter query.")  # fmt: skip
