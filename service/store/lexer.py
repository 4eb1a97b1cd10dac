"""A lexical scan of SPARQL text: what a request asks for (query form or update), its SERVICE calls, its FROM.

It runs before the store parses anything, so the endpoint can choose a results table, refuse updates and refuse
network calls. Comments, strings and IRIs are recognised with the SPARQL 1.1 grammar's own token rules, so a
keyword inside them is never mistaken for one outside them; the store's parser still has the last word on syntax.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

# One alternative per token kind, tried at each position in this order (SPARQL 1.1 Query, §19.8 terminals).
# Linear time by construction: every quantifier is possessive, and an alternative that has scanned far always
# succeeds with what it scanned (an unterminated string runs to its end, a name takes its dots and dashes), so
# no stretch of the text is ever scanned again from a later position. Only an IRI can fail after scanning, and
# it stops at the next `<`, so the text between two `<` is scanned that way at most once.
_TOKEN = re.compile(
    r"""
    (?P<space>\s++)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<string>'''(?:[^'\\]|\\[\s\S]|'(?!''))*+(?:'''|\Z)
             | \"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*+(?:\"\"\"|\Z)
             | '(?:[^'\\\n\r]|\\.)*+'?
             | "(?:[^"\\\n\r]|\\.)*+"?)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<var>[?$]\w++)
  | (?P<name>[^\W\d][\w.-]*+(?P<local>:(?:[\w.:%-]|\\.)*+)?)
  | (?P<pname>:(?:[\w.:%-]|\\.)*+)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str  # "iri", "var", "pname", "word", "string", "lang" or "other"
    text: str


@dataclass(frozen=True)
class Scan:
    """What the text asks for, as far as its tokens tell."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or None when the text starts with neither
    services: tuple[str, ...]  # each SERVICE target: an IRI (escapes decoded), else the text as written
    declares_dataset: bool  # FROM or FROM NAMED appears
    nesting: int = 0  # deepest nesting of (), [] and {} together
    star_order: tuple[str, ...] | None = None  # for `SELECT *`: variables in the order the text first names them


_NESTING = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


def tokens(text: str) -> list[Token]:
    """The significant tokens of `text` (whitespace and comments dropped)."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "name":  # a prefix then a colon is a prefixed name; a name alone, a word
            kind = "word" if match.group("local") is None else "pname"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group()))
    return found


CACHED_TEXT_CHARS = 4096  # repeated short queries (dashboards, examples, benchmarks) are scanned once


def scan(text: str) -> Scan:
    """Classify a request's text: its form (after the BASE/PREFIX prologue), SERVICE targets and FROM clauses.

    Scans of short texts are kept (at most 1,024 of at most 4 KiB each): scanning costs about 0.4 µs a character.
    """
    return _scan_short(text) if len(text) <= CACHED_TEXT_CHARS else _scan(text)


@functools.lru_cache(maxsize=1024)
def _scan_short(text: str) -> Scan:
    return _scan(text)


def _scan(text: str) -> Scan:
    """Classify a request's text: its form (after the BASE/PREFIX prologue), SERVICE targets and FROM clauses.

    The store's parser matches keywords by prefix (`SERVICEx:y {` reads as SERVICE then `x:y`), so words and
    prefixed names that merely start with SERVICE or FROM count too, unless a PREFIX declares that name.
    """
    significant = tokens(text)
    declared = {t.text.upper() for p, t in itertools.pairwise(significant) if _is(p, "PREFIX")}
    services, declares_dataset, depth, nested, nesting = [], False, 0, 0, 0
    for index, token in enumerate(significant):
        depth += {"{": 1, "}": -1}.get(token.text, 0) if token.kind == "other" else 0
        nested += _NESTING.get(token.text, 0) if token.kind == "other" else 0
        nesting = max(nesting, nested)
        upper = token.text.upper()
        if token.kind == "word" and "SERVICE" in upper:
            # A bare word is a keyword, `a`, a boolean or a function name; the engine splits glued keywords
            # (`trueSERVICE` reads as `true SERVICE`), so any word holding SERVICE is taken as one.
            services.append(_target(significant, index) if upper == "SERVICE" else token.text)
        elif token.kind == "pname" and upper.startswith("SERVICE") and _next_is(significant, index, "{"):
            services.append(token.text)
        if depth == 0 and upper.startswith("FROM"):
            prefix = upper.partition(":")[0] + ":"
            declares_dataset |= token.kind == "word" or (token.kind == "pname" and prefix not in declared)
    form = _form(significant)
    return Scan(
        form, tuple(services), declares_dataset, nesting, _star_order(significant) if form == "SELECT" else None
    )


def _star_order(significant: list[Token]) -> tuple[str, ...] | None:
    """For a top-level `SELECT *` (DISTINCT, REDUCED allowed), the variables in order of first appearance.

    SPARQL leaves the order of `*` open; clients (spreadsheets, CSV readers) expect the query's own order.
    """
    start = next(i for i, token in enumerate(significant) if _is(token, "SELECT"))
    rest = significant[start + 1 :]
    while rest and (_is(rest[0], "DISTINCT") or _is(rest[0], "REDUCED")):
        rest = rest[1:]
    if not rest or rest[0].text != "*":
        return None
    order = dict.fromkeys(token.text[1:] for token in rest if token.kind == "var")
    return tuple(order)


def _is(token: Token, keyword: str) -> bool:
    return token.kind == "word" and token.text.upper() == keyword


def _next_is(significant: list[Token], index: int, text: str) -> bool:
    return index + 1 < len(significant) and significant[index + 1].text == text


def _form(significant: list[Token]) -> str | None:
    """The first keyword after the prologue (BASE <iri>, PREFIX name: <iri>), as a query form or UPDATE."""
    for token in significant:
        if token.kind in ("iri", "pname") or _is(token, "BASE") or _is(token, "PREFIX"):
            continue  # the prologue: its keywords and their operands
        keyword = token.text.upper() if token.kind == "word" else ""
        if keyword in QUERY_FORMS:
            return keyword
        if keyword in UPDATE_KEYWORDS:
            return "UPDATE"
        return None
    return None


def _target(significant: list[Token], index: int) -> str:
    """The endpoint named after the SERVICE keyword at `index` (skipping SILENT); IRIs with escapes decoded."""
    rest = significant[index + 1 : index + 3]
    if rest and _is(rest[0], "SILENT"):
        rest = rest[1:]
    if not rest:
        return ""
    if rest[0].kind == "iri":
        # The parser decodes \u escapes inside IRIs, so an allow-list must compare the decoded form.
        return _CODEPOINT_ESCAPE.sub(_decode, rest[0].text[1:-1])
    return rest[0].text


def _decode(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()
