"""The SPARQL the service runs, one `.rq` file per query, each read once; IRIs are bound by the caller.

The queries write the release's IRIs relative to its base (`PREFIX cper: <def/cper#>`), stated in front by
:func:`based`, so the same text serves any release. `examples/` holds the query page's examples: competency
questions that find the contract through the dataset's own description (`void:rootResource`), so they hold for
any dataset; tests/test_competency.py checks each against its expected answer (`tests/competency/`), beside the
questions that are about this dataset's facts only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent
EXAMPLES = FOLDER / "examples"


@cache
def load(name: str) -> str:
    """The text of `{name}.rq` in this folder (`examples/…` for the query page's examples)."""
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def based(text: str, base: str) -> str:
    """``text`` with ``base`` stated in its prologue, after its opening comment (what the query asks, which the
    query page shows first): the queries write the release's IRIs relative to it."""
    lines = text.splitlines(keepends=True)
    opening = 0
    while opening < len(lines) and lines[opening].startswith("#"):
        opening += 1
    return "".join(lines[:opening]) + f"BASE <{base}>\n" + "".join(lines[opening:])


def example_names() -> list[str]:
    """The example queries shown on the query page, in file-name order, as names for :func:`load`."""
    return [f"examples/{path.stem}" for path in sorted(EXAMPLES.glob("*.rq"))]
