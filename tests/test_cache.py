"""The byte-budget cache (service/http/cache.py) and its use by the page and document caches: budgets hold, keys are
normalised, and thousands of odd `?lang=` values or parameters cost a real server no memory."""

from __future__ import annotations

import http.client
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import descendants, rss_bytes, start_server, stop_server

from service import create_app
from service.http.cache import ENTRY_OVERHEAD, ByteBudgetCache

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
NORD_DOC = "/doc/organisation/departement-du-nord"


def test_least_recently_used_entries_go_first_and_the_budget_holds() -> None:
    cache = ByteBudgetCache(3 * (1000 + ENTRY_OVERHEAD + 100))
    for name in ("a", "b", "c"):
        assert cache.put(name, b"x" * 1000, size=1000)
    assert cache.get("a") == b"x" * 1000  # "a" is now the most recently used: "b" goes first
    cache.put("d", b"y" * 1000, size=1000)
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None and cache.get("d") is not None
    assert cache.bytes <= cache.budget and cache.evictions == 1


def test_a_value_larger_than_the_budget_is_not_kept_and_replacing_a_key_frees_its_bytes() -> None:
    cache = ByteBudgetCache(10_000)
    assert not cache.put("big", b"z" * 20_000)
    assert cache.get("big") is None and cache.bytes == 0
    cache.put("k", b"a" * 5000)
    first = cache.bytes
    cache.put("k", b"b" * 10)
    assert cache.bytes < first and len(cache) == 1 and cache.get("k") == b"b" * 10


def test_other_values_need_their_size() -> None:
    cache = ByteBudgetCache(10_000)
    with pytest.raises(TypeError, match="size"):
        cache.put("graph", object())
    assert cache.put("graph", object(), size=500)
    with pytest.raises(ValueError, match="budget"):
        ByteBudgetCache(-1)


def test_threads_sharing_one_cache_never_break_its_budget() -> None:
    cache = ByteBudgetCache(50_000)

    def hammer(offset: int) -> None:
        for i in range(2000):
            cache.put((offset, i % 300), b"v" * (i % 700), size=i % 700)
            cache.get((offset, (i * 7) % 300))

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 < cache.bytes <= cache.budget
    recount = sum(cost for _, cost in cache._entries.values())
    assert recount == cache.bytes  # the running total matches the entries, whatever the interleaving


@pytest.fixture()
def small_cache_app(release_dir: Path) -> Any:
    return create_app(
        environ={"RELEASE_DIR": str(release_dir), "BASE_URL": "http://localhost/", "CACHE_BYTES": "300000"}
    )


def test_odd_lang_values_and_parameters_share_one_cached_page(small_cache_app: Any) -> None:
    client, cache = small_cache_app.test_client(), small_cache_app.extensions["cper"].cache
    reference = client.get(NORD_DOC, headers={"Accept": FIREFOX, "Accept-Language": "en"})
    assert reference.status_code == 200 and 'lang="en"' in reference.get_data(as_text=True)
    entries = len(cache)
    for n in range(1500):
        response = client.get(
            f"{NORD_DOC}?lang=xx{n}&utm_source={n}&x{n}=1", headers={"Accept": FIREFOX, "Accept-Language": "en"}
        )
        assert response.status_code == 200
        assert response.get_data() == reference.get_data()  # an unknown language falls back to the negotiated one
    assert len(cache) == entries and cache.bytes <= cache.budget
    french = client.get(NORD_DOC + "?lang=fr", headers={"Accept": FIREFOX, "Accept-Language": "en"})
    assert 'lang="fr"' in french.get_data(as_text=True) and "?lang=fr" in french.get_data(as_text=True)
    assert len(cache) == entries + 1


def test_many_documents_in_every_format_stay_within_the_budget(small_cache_app: Any) -> None:
    client, cache = small_cache_app.test_client(), small_cache_app.extensions["cper"].cache
    paths = ["/def/shapes", "/def/cper", NORD_DOC, "/doc/contract/cper-hauts-de-france-2021-2027", "/graph/data"]
    for path in paths:
        for suffix in ("ttl", "nt", "rdf", "jsonld", "html"):
            for lang in ("fr", "en"):
                assert client.get(f"{path}?format={suffix}&lang={lang}").status_code == 200
                assert cache.bytes <= cache.budget
    assert cache.evictions > 0  # the budget was reached, and held


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": FIREFOX})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_thousands_of_distinct_lang_values_do_not_grow_a_real_server(release_dir: Path) -> None:
    """The issue's case: 1,500 distinct `?lang=` values on /def/shapes used to add 1.24 GB to a worker."""
    server = start_server(release_dir, {"CACHE_BYTES": str(16 * 1024 * 1024)}, workers=1)
    try:
        for warm in ("fr", "en", "de"):
            assert _get(server.port, f"/def/shapes?lang={warm}")[0] == 200
        before = rss_bytes([*descendants(server.process.pid), server.process.pid])
        for n in range(2000):
            status, body = _get(server.port, f"/def/shapes?lang=l{n}&q{n}={n}")
            assert status == 200 and b"<html" in body
        after = rss_bytes([*descendants(server.process.pid), server.process.pid])
    finally:
        stop_server(server)
    assert before > 0, "no process memory could be read (is /proc mounted?)"
    assert after - before < 48 * 1024 * 1024, f"RSS grew from {before >> 20} MiB to {after >> 20} MiB"
