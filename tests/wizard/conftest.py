from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _wizard_dns(test_dns: Any) -> Iterator[None]:
    """Every wizard test asks the test DNS server (never the internet) and starts with fresh
    rate-limit counters."""
    cache.clear()
    yield
    cache.clear()
