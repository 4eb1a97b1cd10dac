"""The CPER linked-data service: `create_app()` builds it; nothing happens at import time."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from flask import Flask, Response, request

from service.config import Settings
from service.http import bodies, clients, error_pages, headers
from service.http.cache import BuiltOnce, ByteBudgetCache
from service.http.language import reader_language
from service.http.response_cache import ResponseCache
from service.http.state import AppState
from service.publication.published import Published, ReleaseMissing, load
from service.store.embedded import EmbeddedStore
from service.store.interface import Store

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
    app.extensions["cper"] = AppState(settings, published, store, ByteBudgetCache(settings.cache_bytes), BuiltOnce())
    error_pages.register(app)
    clients.register(app)  # before bodies: a client's waiting bodies count against its limit
    bodies.register(app)
    headers.register(app)

    from service.routes.about.site import blueprint as catalog
    from service.routes.sparql.endpoint import blueprint as sparql
    from service.routes.things.resources import blueprint as resources

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
    from service.http import compression
    from service.http.assets import blueprint as assets
    from service.http.page_meta import page_context
    from service.routes.about.health import blueprint as health
    from service.routes.about.openapi import blueprint as openapi
    from service.routes.things.charts import blueprint as charts
    from service.routes.things.search import blueprint as search

    for blueprint in (assets, charts, health, openapi, search):
        app.register_blueprint(blueprint)
    compression.register(app)
    app.context_processor(page_context)


def _open_store(settings: Settings, published: Published) -> Store:
    """The embedded store loaded from the release's N-Quads dump, or the remote store, checked to hold the release.

    :raises StoreMismatch: the remote store holds another release (or none).
    """
    if settings.store == "remote":
        from service.store.loading import check_release, open_remote
        from service.store.remote import StoreUnavailable

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
