"""What one running app holds, built once by the factory: settings, the served release and the store."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from .config import Settings
from .published import Published
from .store import Store


@dataclass(frozen=True)
class AppState:
    settings: Settings
    published: Published
    store: Store


def current() -> AppState:
    """The state of the app handling the current request."""
    state: AppState = current_app.extensions["cper"]
    return state
