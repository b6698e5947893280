"""The ``netns`` fixture: the test runs inside a private network namespace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testbed.netns import NetNamespace, network_namespace, unavailable_reason


@pytest.fixture
def netns() -> Iterator[NetNamespace]:
    """The test runs inside a fresh namespace (skipped, with the reason, if impossible)."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with network_namespace() as ns:
        yield ns
