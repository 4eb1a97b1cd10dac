"""A query process: loads the release into its own embedded store, then answers one client query at a time.

Started by `query_pool` as a script (`python -I service/store/query_worker.py MEMORY STACK ANSWER NICENESS`), so that it
imports pyoxigraph and nothing of the web service; its first frame is the dataset (N-Quads under the public
base). Before it reads a query it denies itself the network and caps its memory (`sandbox`); whatever a query
does to it (an engine panic, an allocation past the cap, a stack overflow) ends this process only, and the pool
starts another.

Messages on stdin/stdout are frames: two big-endian 32-bit lengths, a JSON header, then a binary body.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

FRAME = struct.Struct(">II")


def write_frame(stream: IO[bytes], header: dict[str, Any], body: bytes = b"") -> None:
    encoded = json.dumps(header).encode("utf-8")
    stream.write(FRAME.pack(len(encoded), len(body)) + encoded + body)
    stream.flush()


def read_frame(stream: IO[bytes]) -> tuple[dict[str, Any], bytes] | None:
    """The next frame, or None at the end of the stream."""
    lengths = stream.read(FRAME.size)
    if len(lengths) < FRAME.size:
        return None
    header_size, body_size = FRAME.unpack(lengths)
    header = json.loads(stream.read(header_size))
    return header, stream.read(body_size)


class AnswerTooLarge(Exception):
    """The serialised answer passed the byte cap."""


class CappedBuffer:
    """A write-only buffer that refuses to grow past `cap` bytes (the engine writes answers into it)."""

    def __init__(self, cap: int) -> None:
        self.cap, self.size = cap, 0
        self.parts: list[bytes] = []

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.cap:
            raise AnswerTooLarge
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the engine calls it when it has written everything."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def answer(store: Any, request: dict[str, Any], cap: int) -> tuple[dict[str, Any], bytes]:
    """Run one request; the header says the answer's kind, or the error's kind and message."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"base_iri": request.get("base_iri")}
    if request["default_graphs"] or request["named_graphs"]:
        # The protocol's dataset replaces the union default graph and any FROM/FROM NAMED in the text.
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]] or ox.DefaultGraph()
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    else:
        options["use_default_graph_as_union"] = request["union"]
    output: Any = CappedBuffer(cap)  # file-like: the engine only calls write() and flush()
    try:
        result = store.query(request["query"], **options)
        # Solutions are computed lazily, while they are written: evaluation errors surface here too.
        if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
            kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
            result.serialize(output, format=getattr(ox.QueryResultsFormat, request["results"]))
        else:
            kind = "graph"
            result.serialize(output, format=getattr(ox.RdfFormat, request["graph"]))
    except AnswerTooLarge:
        return {"error": "too_large", "message": f"more than {cap} bytes"}, b""
    except SyntaxError as error:
        return {"error": "syntax", "message": str(error)}, b""
    except OSError as error:
        # The store is in memory: the only I/O a query can attempt is a SERVICE call, which the sandbox refused.
        return {"error": "network", "message": str(error)}, b""
    except (ValueError, TypeError, RuntimeError, OverflowError) as error:
        return {"error": "evaluation", "message": str(error)}, b""
    return {"kind": kind}, output.getvalue()


def _exit_when_orphaned() -> None:
    """End this process when the web worker that started it is gone (its pipe may outlive it for a while)."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def serve(memory: int, cap: int) -> None:
    import pyoxigraph as ox
    from sandbox import limit_memory  # type: ignore[import-not-found]  # a sibling module, run as a script

    inbox, outbox = os.fdopen(0, "rb"), os.fdopen(1, "wb")
    sys.stdout = sys.stderr  # nothing but frames may reach the pool's pipe
    dataset = read_frame(inbox)
    if dataset is None:
        return
    store = ox.Store()
    store.bulk_load(dataset[1], format=ox.RdfFormat.N_QUADS)
    del dataset
    answer(store, {"query": "ASK {}", "default_graphs": [], "named_graphs": [], "union": True, "results": "JSON"}, cap)
    limit_memory(memory)  # measured after the store and the first query's allocator arena are in place
    write_frame(outbox, {"ready": os.getpid()})
    while (frame := read_frame(inbox)) is not None:
        header, body = answer(store, frame[0], cap)
        write_frame(outbox, header, body)


def main() -> None:
    memory, stack, cap, niceness = (int(argument) for argument in sys.argv[1:5])
    os.nice(niceness)
    sys.path.append(str(Path(__file__).resolve().parent))  # appended: never shadows a standard module
    from sandbox import deny_network

    deny_network()  # first, in the main thread: every thread started from here on inherits the filter
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
    # The engine's parser and evaluator recurse once per operator of a long chain: give them a deep stack.
    threading.stack_size(stack)
    worker = threading.Thread(target=serve, args=(memory, cap), name="query")
    worker.start()
    worker.join()


if __name__ == "__main__":
    main()
