"""The SPARQL the service runs, one `.rq` file per query, each read once; IRIs are bound by the caller.

`competency/` holds the competency questions, each `.rq` beside the answer it must give (`.expected.csv`, checked
by tests/test_competency.py); those named in `EXAMPLES` are also the query page's examples, so an example
is always a question whose answer the tests know.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent
COMPETENCY = FOLDER / "competency"
# The competency questions the query page offers as examples, in the order it shows them.
EXAMPLES = (
    "axes-shares",
    "commitments-by-signatory",
    "disputed-figure-not-retained",
    "mobility-by-mode",
    "signatories",
    "signatory-identifiers",
)


@cache
def load(name: str) -> str:
    """The text of `{name}.rq` in this folder (`competency/…` for a competency question)."""
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def example_names() -> list[str]:
    """The example queries shown on the query page, as names for :func:`load`."""
    return [f"competency/{name}" for name in EXAMPLES]
