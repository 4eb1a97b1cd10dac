"""Errors the service answers with, each carrying its status, and the one place they are rendered."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from .negotiation import ERROR_FORMATS, NoAcceptableFormat, choose

log = logging.getLogger(__name__)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffd]")


class ServiceError(Exception):
    """An error with an HTTP status, a message safe to show, and optional extra headers."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class BadRequest(ServiceError):
    status, title = 400, "Bad Request"


class NotFound(ServiceError):
    status, title = 404, "Not Found"


class MethodNotAllowed(ServiceError):
    status, title = 405, "Method Not Allowed"

    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message, {"Allow": ", ".join(allowed)})


class NotAcceptable(ServiceError):
    status, title = 406, "Not Acceptable"

    def __init__(self, offered: tuple[str, ...]) -> None:
        super().__init__("No acceptable representation. This resource is offered as: " + ", ".join(offered))


class PayloadTooLarge(ServiceError):
    status, title = 413, "Payload Too Large"


class UnsupportedMediaType(ServiceError):
    status, title = 415, "Unsupported Media Type"


class QueryFailed(ServiceError):
    """A valid query this endpoint cannot answer: its answer passes the size cap, or it makes the engine fail."""

    status, title = 422, "Unprocessable Content"


class Overloaded(ServiceError):
    """Too many queries at once, or one ran past its time: the client may retry later."""

    status, title = 503, "Service Unavailable"

    def __init__(self, message: str, retry_after: int, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message, {"Retry-After": str(retry_after), **(headers or {})})


class RequestTimeout(ServiceError):
    """The client took too long to send its request (its body): the connection is closed."""

    status, title = 408, "Request Timeout"


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
