"""The other half of the mutation tests of test_shapes.py, in a module of its own so that the suite's two workers
(which share out modules) run the two halves side by side: each mutation is a full SHACL validation."""

from __future__ import annotations

import pytest
from test_shapes import MUTATIONS, Mutation, check_mutation


@pytest.mark.parametrize("mutation", MUTATIONS[1::2], ids=str)
def test_mutation_is_caught(mutation: Mutation) -> None:
    check_mutation(mutation)
