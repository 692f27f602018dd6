import pytest
from django.test import Client

# A real DNS server (Knot) for any test that needs one: fixtures dns_server, test_dns, silent_dns.
pytest_plugins = ["tests.dnsserver"]


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser, for every mutating endpoint's one check."""
    return Client(enforce_csrf_checks=True)
