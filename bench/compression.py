"""How much brotli and gzip shrink the service's largest answers, and what each level costs to compute.

Run after `make build`: `.venv/bin/python bench/compression.py`. Bodies come from the app itself (Flask's test
client, no network): the N-Triples dump, the shapes' HTML page and a whole-graph SPARQL JSON answer.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path

import brotli

from service import create_app

ROOT = Path(__file__).resolve().parent.parent
PATHS = {
    "dumps/dataset.nt": ("/dumps/dataset.nt", {}),
    "def/shapes (HTML)": ("/def/shapes", {"Accept": "text/html"}),
    "SPARQL JSON, every triple": ("/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", {}),
}
CODECS = {
    "gzip 6": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
    "brotli 5 (served)": lambda body: brotli.compress(body, quality=5),
    "brotli 11": lambda body: brotli.compress(body, quality=11),
}


def main(repeat: int = 5) -> None:
    app = create_app(environ={"RELEASE_DIR": str(ROOT / "build"), "BASE_URL": "http://127.0.0.1:8000/"})
    client = app.test_client()
    print("| answer | size | " + " | ".join(f"{name} (bytes, ms)" for name in CODECS) + " |")
    print("|---|---|" + "---|" * len(CODECS))
    for label, (path, headers) in PATHS.items():
        body = client.get(path, headers=headers).data
        cells = []
        for codec in CODECS.values():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                packed = codec(body)
                times.append((time.perf_counter() - started) * 1000)
            cells.append(f"{len(packed):,} ({statistics.median(times):.1f})")
        print(f"| {label} | {len(body):,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each codec per answer (default: 5)")
    main(parser.parse_args().repeat)
