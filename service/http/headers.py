"""Security headers on every answer: no type sniffing, no framing, a referrer policy, and a content security
policy that lets HTML pages load only what this server serves."""

from __future__ import annotations

from flask import Flask, Response

# HTML: scripts, images, fonts, fetches and form targets from this origin only, nothing else (no plugins, no
# <base> rewriting, no framing). Styles allow inline CSS too: the pages carry their stylesheet inline, and CSS
# cannot run code. JSON-LD <script type="application/ld+json"> blocks are data, never executed, so still allowed.
HTML_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Anything else (RDF, SPARQL results, text): if a browser renders it anyway, nothing in it may load or run.
OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def register(app: Flask) -> None:
    """Add the headers to every response of `app`, errors included."""
    app.after_request(_secure)


def _secure(response: Response) -> Response:
    response.headers.update(COMMON)
    response.headers["Content-Security-Policy"] = HTML_POLICY if response.mimetype == "text/html" else OTHER_POLICY
    return response
