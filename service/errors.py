"""Errors the service answers with, each carrying its status and a message safe to show (rendered by
`service.http.error_pages`, the one place errors become responses)."""

from __future__ import annotations

from collections.abc import Mapping


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
