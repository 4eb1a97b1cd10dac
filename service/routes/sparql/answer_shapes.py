"""Answers shaped the way SPARQL clients read them, where the engine's own serialisation leaves them stranded.

- `SELECT *`: the engine lists the variables alphabetically; spreadsheets and CSV readers expect the query's order.
- `ASK` in CSV or TSV: SPARQL defines no such table, and a bare `true` reads as an empty table (false) in rdflib;
  answered as Jena and Virtuoso do, one column `_askResult` and one row.
- `CONSTRUCT`/`DESCRIBE` asked in a results format only (rdflib's SPARQLStore sends `Accept: text/csv`): the
  triples as solutions `?subject ?predicate ?object`, as Virtuoso answers.
"""

from __future__ import annotations

import csv
import io
import json
import re

from rdflib import Graph, Variable
from rdflib.query import Result

from service.publication.formats import Format

_XML_VARIABLE = re.compile(rb'<variable name="([^"]+)"\s*/>')
TRIPLE_VARIABLES = ("subject", "predicate", "object")


def in_query_order(body: bytes, fmt: Format, order: tuple[str, ...]) -> bytes:
    """The solutions of a `SELECT *` with their variables in `order` (others after them, as the engine had them)."""
    if fmt.key == "json":
        answer = json.loads(body)
        answer["head"]["vars"] = _ordered(answer["head"]["vars"], order)
        return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt.key == "xml":
        head, _, rest = body.partition(b"</head>")
        names = [name.decode() for name in _XML_VARIABLE.findall(head)]
        variables = "".join(f'<variable name="{name}"/>' for name in _ordered(names, order)).encode()
        return _XML_VARIABLE.sub(b"", head).replace(b"<head>", b"<head>" + variables, 1) + b"</head>" + rest
    if fmt.key in ("csv", "tsv"):
        delimiter = "," if fmt.key == "csv" else "\t"
        lines = body.decode("utf-8").split("\r\n" if fmt.key == "csv" else "\n")
        header = lines[0].split(delimiter)
        names = [name.lstrip("?") for name in header]
        positions = [names.index(name) for name in _ordered(names, order)]
        if fmt.key == "tsv":  # TSV cells never hold a raw tab: a plain split is exact
            rows = [line.split("\t") for line in lines]
            return "\n".join("\t".join(row[i] for i in positions) if len(row) == len(header) else "" for row in rows)\
                .encode("utf-8")  # fmt: skip
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(body.decode("utf-8"), newline="")):
            writer.writerow([row[i] for i in positions])
        return out.getvalue().encode("utf-8")
    return body


def _ordered(names: list[str], order: tuple[str, ...]) -> list[str]:
    wanted = [name for name in order if name in names]
    return wanted + [name for name in names if name not in wanted]


def boolean_table(body: bytes, fmt: Format) -> bytes:
    """An ASK answer in CSV or TSV as one `_askResult` column and one row (the engine writes a bare value)."""
    value = "true" if body.strip().lower() == b"true" else "false"
    if fmt.key == "csv":
        return f"_askResult\r\n{value}\r\n".encode()
    return f"?_askResult\n{value}\n".encode()


def triples_as_solutions(ntriples: bytes, fmt: Format) -> bytes:
    """The triples of a CONSTRUCT/DESCRIBE answer as solutions of ?subject ?predicate ?object in a results format."""
    graph = Graph()
    if ntriples:
        graph.parse(data=ntriples, format="nt")
    triples = sorted(graph)
    if fmt.key == "tsv":  # rdflib writes no TSV: each cell is the term in Turtle syntax (SPARQL 1.1 TSV, §3)
        rows = ["\t".join(f"?{name}" for name in TRIPLE_VARIABLES)]
        rows += ["\t".join(term.n3() for term in triple) for triple in triples]
        return ("\n".join(rows) + "\n").encode("utf-8")
    result = Result("SELECT")
    variables = [Variable(name) for name in TRIPLE_VARIABLES]
    result.vars = variables
    result.bindings = [dict(zip(variables, triple, strict=True)) for triple in triples]  # type: ignore[arg-type]
    out = io.BytesIO()
    result.serialize(out, format=fmt.key, encoding="utf-8")
    return out.getvalue()
