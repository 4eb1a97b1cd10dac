"""The SPARQL the service runs, one `.rq` file per query, each read once; IRIs are bound by the caller."""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


@cache
def load(name: str) -> str:
    """The text of `{name}.rq` in this folder (`examples/…` for the query page's examples)."""
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def based(text: str, base: str) -> str:
    """``text`` with ``base`` stated in its prologue: the queries write the release's IRIs relative to it."""
    return f"BASE <{base}>\n{text}"


def example_names() -> list[str]:
    """The example queries shown on the query page, in file-name order."""
    return [f"examples/{path.stem}" for path in sorted((FOLDER / "examples").glob("*.rq"))]
