"""Competency questions: each SPARQL query in tests/competency/, and each example of the query page
(service/queries/examples/, questions that hold for any dataset), answers what its .expected.csv in
tests/competency/ says."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import data_and_ontology
from rdflib import Graph
from rdflib.term import Node

from service.build.profile import canonical_base
from service.queries import EXAMPLES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMPETENCY_DIR = Path(__file__).resolve().parent / "competency"
QUERIES = sorted([*COMPETENCY_DIR.glob("*.rq"), *EXAMPLES.glob("*.rq")], key=lambda path: path.stem)

# A number written without leading zeros: codes such as INSEE "02" stay strings and are compared as written.
NUMBER = re.compile(r"[+-]?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
ASK_HEADER = ["ask"]

Table = list[tuple[str, ...]]


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The ontology and the data, as the release holds them (provenance expanded into statements)."""
    return data_and_ontology()


def normalise(cell: str) -> str:
    """One spelling per number, so that 378000000.0, 378000000 and 3.78E8 compare equal."""
    if NUMBER.fullmatch(cell):
        return format(Decimal(cell).normalize(), "f")
    return cell


def cell_text(term: Node | None) -> str:
    """A result term as SPARQL CSV writes it: IRIs in full, literals by lexical form, unbound as empty."""
    return "" if term is None else str(term)


def is_ordered(query_text: str) -> bool:
    code = "\n".join(line for line in query_text.splitlines() if not line.lstrip().startswith("#"))
    return bool(ORDER_BY.search(code))


def expected_answer(query_path: Path) -> tuple[list[str], Table]:
    with (COMPETENCY_DIR / f"{query_path.stem}.expected.csv").open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return header, [tuple(normalise(cell) for cell in row) for row in rows]


def actual_answer(graph: Graph, query_text: str) -> tuple[list[str], Table]:
    # Relative IRIs (`PREFIX cper: <def/cper#>`) resolve against the release's canonical base, as the service states it.
    result = graph.query(query_text, base=canonical_base(PROJECT_ROOT))
    if result.type == "ASK":
        return ASK_HEADER, [(str(bool(result.askAnswer)).lower(),)]
    variables = list(result.vars or [])
    # A result row is a tuple of terms in the order of result.vars (None where unbound).
    rows = [tuple(normalise(cell_text(term)) for term in row) for row in result if isinstance(row, tuple)]
    return [str(variable) for variable in variables], rows


def test_every_question_has_an_expected_answer() -> None:
    assert len(QUERIES) >= 10
    missing = [path.name for path in QUERIES if not (COMPETENCY_DIR / f"{path.stem}.expected.csv").exists()]
    assert missing == []


def test_the_examples_are_competency_questions_written_once() -> None:
    examples = {path.stem for path in EXAMPLES.glob("*.rq")}
    assert len(examples) >= 5
    assert not examples & {path.stem for path in COMPETENCY_DIR.glob("*.rq")}  # one copy of each question


@pytest.mark.parametrize("query_path", QUERIES, ids=[path.stem for path in QUERIES])
def test_competency_question(graph: Graph, query_path: Path) -> None:
    query_text = query_path.read_text(encoding="utf-8")
    expected_header, expected_rows = expected_answer(query_path)
    header, rows = actual_answer(graph, query_text)

    assert header == expected_header
    if is_ordered(query_text):
        assert rows == expected_rows
    else:
        assert sorted(rows) == sorted(expected_rows)


def test_normalise_keeps_codes_and_unifies_numbers() -> None:
    assert normalise("378000000.0") == normalise("378000000") == "378000000"
    assert normalise("57.30") == "57.3"
    assert normalise("02") == "02"
    assert normalise("2023-01-09") == "2023-01-09"
