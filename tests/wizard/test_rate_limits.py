import pytest
from django.test import Client

from apps.customers.models import CustomerProfile
from tests.customers.factories import make_profile
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db


def test_it_rate_limits_live_domain_checks(client: Client, settings: object) -> None:
    settings.DNS_RATE_LIMIT = "2/h"  # type: ignore[attr-defined]
    profile = make_profile()
    statuses = [
        client.get(url("domain_check", profile), {"domains": domain}).status_code
        for domain in ("ownorg.example", "partnerorg.example", "m365org.example")
    ]
    assert statuses == [200, 200, 429]


def test_each_action_has_its_own_dns_counter(client: Client, settings: object) -> None:
    settings.DNS_RATE_LIMIT = "2/h"  # type: ignore[attr-defined]
    profile = make_profile()
    for domain in ("ownorg.example", "partnerorg.example"):
        client.get(url("domain_check", profile), {"domains": domain})
    assert client.get(url("domain_check", profile), {"domains": "x.example"}).status_code == 429
    # Checking domains many times does not use up the instructions' (or IT's ticks') allowance.
    assert client.get(url("instructions", profile)).status_code != 429


def test_it_limits_new_profiles_per_client(client: Client, settings: object) -> None:
    settings.PROFILE_CREATE_RATE_LIMIT = "3/h"  # type: ignore[attr-defined]
    about = {"organisation": "Acme", "contact_name": "A", "contact_email": "a@acme.example"}
    # Each post starts a new profile explicitly (a browser with one otherwise edits it).
    statuses = [client.post("/start/?new=1", about).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert CustomerProfile.objects.count() == 3
    assert client.get("/start/?new=1").status_code == 200  # the form itself is still shown
    other = client.post("/start/?new=1", about, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 303  # another client has its own allowance
