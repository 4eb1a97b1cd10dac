"""The CPER Hauts-de-France linked-data service: `create_app()` builds it; nothing happens at import time."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask, Response, request

from . import bodies, errors, headers
from .cache import ByteBudgetCache
from .config import Settings
from .language import reader_language
from .published import Published, ReleaseMissing, load
from .response_cache import ResponseCache
from .state import AppState
from .store import EmbeddedStore, Store

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Location, Link, ETag, Last-Modified, Retry-After, Vary",
}


def create_app(settings: Settings | None = None, environ: Mapping[str, str] | None = None) -> Flask:
    """Build the service: settings, the served release, the store, the blueprints and the error handler.

    :raises SettingsError: a setting is malformed.
    :raises ReleaseMissing: the release has not been built.
    """
    settings = settings or Settings.from_env(os.environ if environ is None else environ)
    published = load(settings)
    store = _open_store(settings, published)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["cper"] = AppState(settings, published, store, ByteBudgetCache(settings.cache_bytes))
    errors.register(app)
    bodies.register(app)
    headers.register(app)

    from .catalog import blueprint as catalog
    from .resources import blueprint as resources
    from .sparql import blueprint as sparql

    for blueprint in (sparql, catalog, resources):
        app.register_blueprint(blueprint)
    _register_pages_and_conventions(app)
    app.after_request(_cors)
    # Whole responses replayed in front of Flask share the one byte budget of every page and answer cache.
    app.wsgi_app = ResponseCache(app.wsgi_app, app.extensions["cper"].cache)  # type: ignore[method-assign]
    app.context_processor(lambda: {"lang": reader_language(), "base_url": settings.base_url})
    return app


def _register_pages_and_conventions(app: Flask) -> None:
    """Blueprints for people and operators (assets, search, charts, health, OpenAPI) and response compression."""
    from . import compression
    from .assets import blueprint as assets
    from .charts import blueprint as charts
    from .health import blueprint as health
    from .openapi import blueprint as openapi
    from .page_meta import page_context
    from .search import blueprint as search

    for blueprint in (assets, charts, health, openapi, search):
        app.register_blueprint(blueprint)
    compression.register(app)
    app.context_processor(page_context)


def _open_store(settings: Settings, published: Published) -> Store:
    """The embedded store loaded from the release's N-Quads dump, or the remote store, checked to hold the release.

    :raises StoreMismatch: the remote store holds another release (or none).
    """
    if settings.store == "remote":
        from .loading import check_release, open_remote
        from .remote import StoreUnavailable

        remote = open_remote(settings, published)
        try:
            check_release(remote, settings, published)  # a store holding another release: refuse to start
        except StoreUnavailable as error:
            # `serve` checked it before starting the workers; a worker (re)started while the store restarts
            # serves 503s until the store is back rather than dying in a loop.
            logging.getLogger(__name__).warning("the release could not be checked in the store: %s", error)
        return remote
    dump = published.artefact("dataset.nq")
    if dump is None:
        raise ReleaseMissing("the release has no dataset.nq to load into the embedded store")
    return EmbeddedStore(dump.data)


def _cors(response: Response) -> Response:
    """Let browser clients on any origin read every answer (no credentials), and answer preflights."""
    response.headers.update(CORS_HEADERS)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
