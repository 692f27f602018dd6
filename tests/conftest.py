import pytest
from django.test import Client

# A real DNS server (Knot) for any test that needs one: fixtures dns_server, test_dns, silent_dns;
# and the accessibility figures printed at the end of the run.
pytest_plugins = ["tests.dnsserver", "tests.a11y.report"]


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser, for every mutating endpoint's one check."""
    return Client(enforce_csrf_checks=True)
