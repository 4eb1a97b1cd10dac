"""The service in front of Virtuoso 7 (Debian), started here: the shared tests of `triplestores` (parity of
every page and query, loading, start-up check, restart), plus Virtuoso's own: it stops a query past QUERY_TIMEOUT,
and two web nodes in front of it answer alike."""

from __future__ import annotations

import pytest
from triplestores import (  # noqa: F401 (fixtures and tests, collected here for this store)
    RunningStore,
    embedded,
    remote,
    test_a_query_past_the_timeout_is_a_503_and_virtuoso_stops_it,
    test_a_restarted_store_is_found_again_without_restarting_the_service,
    test_ask_construct_and_syntax_errors_pass_through_like_the_embedded_store,
    test_competency_example_and_dataset_queries_give_the_embedded_results,
    test_every_sitemap_url_in_every_format_answers_as_the_embedded_store,
    test_the_service_refuses_to_start_in_front_of_a_store_without_the_release,
    test_two_instances_in_front_of_one_store_give_identical_answers,
    virtuoso,
)

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def store(request: pytest.FixtureRequest) -> RunningStore:
    running: RunningStore = request.getfixturevalue("virtuoso")
    return running
