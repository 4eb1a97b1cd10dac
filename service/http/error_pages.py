"""The one place errors become responses: the service's own errors, werkzeug's and unexpected ones, rendered as
HTML for browsers and plain text for every other client."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from service.errors import NotAcceptable, ServiceError
from service.http.negotiation import NoAcceptableFormat, choose
from service.publication.formats import ERROR_FORMATS

log = logging.getLogger(__name__)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffd]")


def render(status: int, title: str, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """Render an error as HTML for browsers, plain text for every other client (negotiated)."""
    message = _printable(message)
    fmt = choose(request.headers.get("Accept"), ERROR_FORMATS, strict=False)
    if fmt.key == "html":
        body = render_template("error.html", status=status, title=title, message=message)
    else:
        body = f"{status} {title}: {message}\n"
    response = Response(body, status=status, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    response.headers.update(headers or {})
    return response


def _printable(message: str) -> str:
    """The message with control characters and undecodable input (U+FFFD) written as escapes, never raw."""
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", message)


def register(app: Flask) -> None:
    """Route the service's errors, werkzeug's and unexpected ones through `render`."""

    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError) -> Response:
        return render(error.status, error.title, error.message, error.headers)

    @app.errorhandler(NoAcceptableFormat)
    def _not_acceptable(error: NoAcceptableFormat) -> Response:
        return _service_error(NotAcceptable(error.offered))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        original = error.get_response()
        headers = {k: v for k, v in original.headers.items() if k in ("Allow", "Retry-After", "Location")}
        return render(error.code or 500, error.name, error.description or error.name, headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # Log the details for the operator; the client only learns that it was not its fault.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render(500, "Internal Server Error", "The server failed to answer; the error was logged.")
