import pytest
from django.test import Client

from apps.sending.models import PlatformFacts
from tests.customers.factories import make_complete_profile


@pytest.fixture
def no_platform_facts(db: None) -> None:
    PlatformFacts.objects.update(is_active=False)


def test_a_wizard_page_explains_missing_platform_facts(client: Client, no_platform_facts) -> None:
    profile = make_complete_profile()
    response = client.get(f"/p/{profile.token}/sending/")
    assert response.status_code == 503
    assert "not configured yet" in response.content.decode()
    assert "Your saved answers are safe" in response.content.decode()


def test_the_api_says_so_in_json(client: Client, no_platform_facts) -> None:
    body = {
        "sending": {"mode": "verified_address", "from_addresses": ["a@example.com"]},
        "recipients": [{"organisation": "X", "domains": ["example.com"], "gateway": "mimecast"}],
    }
    response = client.post("/api/v1/plan", body, content_type="application/json")
    assert response.status_code == 503
    assert "not configured yet" in response.json()["errors"]["__all__"][0]
