"""Whether a string a client sent is a well-formed IRI, judged by the store's own parser before it reaches it."""

from __future__ import annotations

import pyoxigraph


def iri_problem(text: str) -> str | None:
    """Why `text` is not an absolute IRI the store accepts (the parser's words), or None when it is one."""
    try:
        pyoxigraph.NamedNode(text)
    except ValueError as error:
        return str(error)
    return None
