"""The build side: load ontology/, data/ and shapes/, validate them, and write a reproducible release."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .manifest import FileEntry, Manifest
    from .release import ReleaseRefused, build_release, release_defaults
    from .sources import CANONICAL_BASE, SourceError, Sources, load_sources
    from .summary import summary
    from .validation import Finding, Report, validate

__all__ = [
    "CANONICAL_BASE",
    "FileEntry",
    "Finding",
    "Manifest",
    "ReleaseRefused",
    "Report",
    "SourceError",
    "Sources",
    "build_release",
    "load_sources",
    "release_defaults",
    "summary",
    "validate",
]

# Public name -> module defining it. Resolved on first use: the web service imports
# service.dataset.sources for the canonical base and should not pay for importing pyshacl.
_HOMES = {
    "CANONICAL_BASE": "sources",
    "SourceError": "sources",
    "Sources": "sources",
    "load_sources": "sources",
    "Finding": "validation",
    "Report": "validation",
    "validate": "validation",
    "FileEntry": "manifest",
    "Manifest": "manifest",
    "ReleaseRefused": "release",
    "build_release": "release",
    "release_defaults": "release",
    "summary": "summary",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
