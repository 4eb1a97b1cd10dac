"""What one running app holds, built once by the factory: settings, the served release, the store and the cache."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from service.config import Settings
from service.http.cache import ByteBudgetCache
from service.publication.published import Published
from service.store.interface import Store


@dataclass(frozen=True)
class AppState:
    settings: Settings
    published: Published
    store: Store
    cache: ByteBudgetCache  # rendered pages and documents, within settings.cache_bytes


def current() -> AppState:
    """The state of the app handling the current request."""
    state: AppState = current_app.extensions["cper"]
    return state
