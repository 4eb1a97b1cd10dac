"""The lexical scan: query forms past the prologue, SERVICE calls however written, FROM clauses."""

from __future__ import annotations

import pytest

from service.store.lexer import scan, tokens


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ask {}", "ASK"),
        ("PREFIX ex: <http://example.org/>\nBASE <http://b/>\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("PREFIX : <http://example.org/> DESCRIBE :x", "DESCRIBE"),
        ("# ASK {}\nSELECT * {}", "SELECT"),
        ('PREFIX ex: <http://example.org/select#> ASK { ?s ?p "SELECT" }', "ASK"),
        ("SELECT*{}", "SELECT"),
        ("INSERT DATA { <a> <b> <c> }", "UPDATE"),
        ("PREFIX ex: <http://example.org/> DELETE WHERE { ?s ex:p ?o }", "UPDATE"),
        ("LOAD <http://example.org/data.ttl>", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("garbage", None),
        ("", None),
        ("{ ?s ?p ?o }", None),
    ],
)
def test_form_is_the_first_keyword_after_the_prologue(text: str, form: str | None) -> None:
    assert scan(text).form == form


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", ("http://example.org/sparql",)),
        ("SELECT * { service silent <http://e/> { } }", ("http://e/",)),
        ("SELECT * { VALUES ?x {1}SERVICE<http://e/>{} }", ("http://e/",)),
        ("SELECT * { SERVICE ?endpoint { } }", ("?endpoint",)),
        ("PREFIX e: <http://e/> SELECT * { SERVICE e:sparql { } }", ("e:sparql",)),
        # The store reads these as SERVICE followed by a prefixed name: they must not slip through.
        ("PREFIX : <http://e/> SELECT * { SERVICE:x { } }", ("SERVICE:x",)),
        ("PREFIX x: <http://e/> SELECT * { SERVICEx:y { } }", ("SERVICEx:y",)),
        ("SELECT * { SERVICEsilent <http://e/> { } }", ("SERVICEsilent",)),
        # Glued after a keyword or literal: the store reads `trueSERVICE` as `true SERVICE`.
        ("SELECT * { ?s ?p trueSERVICE <http://e/> { } }", ("trueSERVICE",)),
        ("SELECT * { ?s aSERVICE <http://e/> { } }", ("aSERVICE",)),
        # Escapes inside IRIs are decoded by the parser, so the allow-list compares the decoded IRI.
        (r"SELECT * { SERVICE <\u0068ttp://e/> { } }", ("http://e/",)),
        # Not SERVICE calls: in strings, comments, IRIs, variables, prefixed names used as terms.
        ('SELECT * { ?s ?p "SERVICE <http://e/> {}" }', ()),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://e/> {}", ()),
        ("SELECT * { <http://e/SERVICE> ?p ?service }", ()),
        ("PREFIX service: <http://e/> SELECT * { ?s service:p ?o }", ()),
        ("SELECT * { ?s ?p '''a ' SERVICE <http://e/> {} ''' }", ()),
    ],
)
def test_service_targets_are_found_however_written(text: str, services: tuple[str, ...]) -> None:
    assert scan(text).services == services


def test_a_less_than_before_service_does_not_hide_it() -> None:
    text = "SELECT * { ?s ?p ?o FILTER(?o<?p) SERVICE <http://e/> { ?s ?p ?o } }"
    assert scan(text).services == ("http://e/",)


@pytest.mark.parametrize(
    ("text", "declares"),
    [
        ("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://g/> WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("CONSTRUCT { ?s ?p ?o } FROM <http://g/> WHERE { ?s ?p ?o }", True),
        ("PREFIX f: <http://g/> ASK FROM:x {}", True),
        ("SELECT * WHERE { ?s ?p 'FROM <http://g/>' }", False),
        ("PREFIX fromage: <http://e/> DESCRIBE fromage:brie", False),
        ("SELECT * WHERE { ?s ?p ?o }", False),
    ],
)
def test_dataset_clauses_are_found(text: str, declares: bool) -> None:
    assert scan(text).declares_dataset is declares


def test_tokens_keep_iris_strings_and_drop_comments() -> None:
    found = tokens('SELECT ?x # note\n{ <http://e/#a> ex:p "s" }')
    assert [(t.kind, t.text) for t in found] == [
        ("word", "SELECT"), ("var", "?x"), ("other", "{"), ("iri", "<http://e/#a>"),
        ("pname", "ex:p"), ("string", '"s"'), ("other", "}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("SELECT * WHERE { ?z ?a ?m }", ("z", "a", "m")),
        ("PREFIX e: <http://e/> SELECT DISTINCT * { ?b e:p $a . ?b e:q ?c }", ("b", "a", "c")),
        ("SELECT ?a ?b { ?b ?a ?c }", None),
        ("ASK { ?x ?y ?z }", None),
    ],
)
def test_select_star_gives_the_variables_in_text_order(text: str, order: tuple[str, ...] | None) -> None:
    assert scan(text).star_order == order


# Each of these took seconds to minutes at 32-64 KB when a failing token alternative rescanned the rest of a run
# (`a.a.a…`: 54 s for 64 KB). The bound is a regression guard against quadratic time, not a speed claim.
PATHOLOGICAL = {
    "dotted names": "a." * 32_768,
    "quotes": '"' * 65_536,
    "single quotes": "'" * 65_536,
    "unterminated long string": "'''" + "a'" * 32_000,
    "unterminated IRI": "<" + "a" * 65_536,
    "colons": "a:" * 32_768,
    "dashes": "a-" * 32_768,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_scanned_in_linear_time(text: str) -> None:
    import gc
    import time

    def cpu_seconds(sample: str) -> float:
        """The best of three scans, the garbage collector paused: the scan's own cost, not the collector's."""
        best = float("inf")
        gc.disable()
        try:
            for _ in range(3):
                started = time.process_time()
                scan(sample)
                best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        return best

    small, large = cpu_seconds(text), cpu_seconds(text * 4)
    assert large < max(0.5, 12 * small), f"{len(text)} chars: {small:.3f} s; 4x as many: {large:.3f} s"
