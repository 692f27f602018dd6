import pytest
from django.test import Client


@pytest.fixture
def csrf_client() -> Client:
    """A client that enforces CSRF like a browser, for every mutating endpoint's one check."""
    return Client(enforce_csrf_checks=True)
