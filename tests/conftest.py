from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

# A real DNS server (Knot) for any test that needs one: fixtures dns_server, test_dns, silent_dns;
# a real Postfix relaying to a test gateway: fixtures postfix, mail_gateway (tests/mailserver.py);
# and the accessibility figures printed at the end of the run.
pytest_plugins = ["tests.dnsserver", "tests.mailserver", "tests.a11y.report"]


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser, for every mutating endpoint's one check."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: no DNS answer, rate count or lock from another."""
    cache.clear()
    yield
    cache.clear()
