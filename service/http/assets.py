"""Static assets of the pages: the service's own scripts and styles, and the query editor installed by npm.

The editor (YASGUI, `@zazuko/yasgui` pinned in package.json and checked by package-lock.json) is installed at
build time into node_modules/ and served from there, never from a CDN and never copied into the repository.
Without it the query page still works: its form runs the query and the server renders the results.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Response, request

from service.config import PROJECT_ROOT
from service.errors import NotFound
from service.http.state import current

blueprint = Blueprint("assets", __name__)
OWN_DIR = Path(__file__).resolve().parent.parent / "browser"
YASGUI_DIR = PROJECT_ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
# The only files served from the installed package: the editor's bundle and its stylesheet.
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")


def yasgui_installed() -> bool:
    """Whether the editor's files are there (the Makefile's `assets` target installs them)."""
    return all((YASGUI_DIR / name).is_file() for name in YASGUI_FILES)


@blueprint.get("/assets/<name>")
def own(name: str) -> Response:
    """One of the service's own scripts or stylesheets (service/browser/)."""
    if "/" in name or name.startswith(".") or not (OWN_DIR / name).is_file():
        raise NotFound(f"There is no asset named {name!r}.")
    return _file(OWN_DIR / name)


@blueprint.get("/assets/yasgui/<name>")
def yasgui(name: str) -> Response:
    """The query editor's bundle or stylesheet, from the package npm installed."""
    if name not in YASGUI_FILES or not (YASGUI_DIR / name).is_file():
        raise NotFound(f"There is no editor file named {name!r} (run `make assets` to install the editor).")
    return _file(YASGUI_DIR / name)


def _file(path: Path) -> Response:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = media_type.startswith("text/") or media_type.endswith("javascript")
    data = path.read_bytes()
    response = Response(data, content_type=f"{media_type}; charset=utf-8" if textual else media_type)
    response.set_etag(f"{current().published.etag.strip(chr(34))}-{path.stat().st_size}-{path.stat().st_mtime_ns}")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.make_conditional(request)
    return response
