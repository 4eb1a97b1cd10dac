"""Choosing a format: the row of a format table that a request's Accept header (or a `?format=` key) asks for."""

from __future__ import annotations

from service.publication.formats import JSONLD, JSONLD_NS, JSONLD_PROFILES, Format


class NoAcceptableFormat(Exception):
    """Nothing in the table satisfies the request; carries the media types that are offered."""

    def __init__(self, offered: tuple[str, ...]) -> None:
        super().__init__(", ".join(offered))
        self.offered = offered


def offered(table: tuple[Format, ...]) -> tuple[str, ...]:
    return tuple(f.media_type for f in table)


def by_key(key: str, table: tuple[Format, ...]) -> Format:
    """The row named by `?format=` or a file suffix (`ttl` or `.ttl`).

    :raises NoAcceptableFormat: the key names no row of the table.
    """
    key = key.lower().lstrip(".")
    for fmt in table:
        if key in (fmt.key, fmt.suffix.lstrip(".")):
            return fmt
    raise NoAcceptableFormat(tuple(f"{f.key} ({f.media_type})" for f in table))


def _ranges(header: str) -> list[tuple[str, str, float]]:
    """Parse Accept into (type, subtype, q); parameters other than q (charset, profile) are ignored."""
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        if media.count("/") != 1:
            continue  # a malformed range matches nothing
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            main, sub = media.split("/")
            ranges.append((main, sub, q))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, str, float]]) -> float:
    """The q of the most specific range matching any of the row's media types (0 when none does)."""
    best = (-1, 0.0)
    for media in (fmt.media_type, *fmt.aliases):
        main, sub = media.split("/")
        for r_main, r_sub, q in ranges:
            if (r_main, r_sub) == (main, sub):
                specificity = 2
            elif r_main == main and r_sub == "*":
                specificity = 1
            elif (r_main, r_sub) == ("*", "*"):
                specificity = 0
            else:
                continue
            if specificity > best[0] or (specificity == best[0] and q > best[1]):
                best = (specificity, q)
    return best[1]


def choose(accept: str | None, table: tuple[Format, ...], *, strict: bool = True) -> Format:
    """The best row for an Accept header (no header: the default row).

    :raises NoAcceptableFormat: when `strict` and nothing acceptable is offered; otherwise the default row.
    """
    if accept is None or not accept.strip():
        return table[0]
    ranges = _ranges(accept)
    scored = [(_quality(fmt, ranges), -index, fmt) for index, fmt in enumerate(table)]
    quality, _, fmt = max(scored, key=lambda row: (row[0], row[1]))
    if quality > 0:
        return fmt
    if strict:
        raise NoAcceptableFormat(offered(table))
    return table[0]


def explicitly_preferred(accept: str | None, fmt: Format, others: tuple[Format, ...]) -> bool:
    """Whether Accept names `fmt` itself (not through a wildcard) at least as highly as any row of `others`.

    Browsers name text/html first; SPARQL clients never name it, and `*/*` alone never picks it, so a query from
    curl or a library keeps its results format while a browser gets the page.
    """
    if accept is None or not accept.strip():
        return False
    ranges = _ranges(accept)
    names = {tuple(media.split("/")) for media in (fmt.media_type, *fmt.aliases)}
    named = [q for main, sub, q in ranges if (main, sub) in names]
    if not named or max(named) <= 0:
        return False
    return max(named) >= max((_quality(other, ranges) for other in others), default=0.0)


def jsonld_form(accept: str | None, asked: str | None) -> Format:
    """JSONLD, or its expanded/flattened row when `?profile=` or Accept's JSON-LD `profile` asks for it."""
    names = [asked] if asked else []
    for item in (accept or "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if media.lower() in ("application/ld+json", "application/json"):
            for param in params:
                key, _, value = param.partition("=")
                if key.strip().lower() == "profile":
                    names.extend(value.strip().strip('"').split())
    for name in names:
        short = name.removeprefix(JSONLD_NS)
        if short == "compacted":
            return JSONLD
        if short in JSONLD_PROFILES:
            return JSONLD_PROFILES[short]
    return JSONLD
