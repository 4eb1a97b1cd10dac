"""The service in front of Oxigraph server (PyPI `oxigraph`, stock settings), started here: the shared tests of
`triplestores` (parity of every page and query, loading, start-up check, restart), plus the HTTP timeout."""

from __future__ import annotations

import pytest
from triplestores import (  # noqa: F401 (fixtures and tests, collected here for this store)
    RunningStore,
    embedded,
    oxigraph,
    remote,
    test_a_restarted_store_is_found_again_without_restarting_the_service,
    test_ask_construct_and_syntax_errors_pass_through_like_the_embedded_store,
    test_competency_example_and_dataset_queries_give_the_embedded_results,
    test_every_sitemap_url_in_every_format_answers_as_the_embedded_store,
    test_the_http_timeout_follows_query_timeout,
    test_the_service_refuses_to_start_in_front_of_a_store_without_the_release,
)

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> RunningStore:
    running: RunningStore = request.getfixturevalue("oxigraph")
    return running
