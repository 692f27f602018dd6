"""One rule for addresses and domains (apps.policies.addresses): the same tricky input gets the
same verdict, and the same stored form, through the JSON API and through the wizard's forms,
and the DNS helpers read domains by it too."""

import json
from typing import Any

import pytest
from django.test import Client

from apps.customers.models import RecipientDomain, SenderAddress
from apps.dnscheck.names import InvalidDomain, to_ascii
from tests.customers.factories import make_profile
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db

# (typed, what is stored and used, or None when refused)
ADDRESSES = [
    ("Luke@Example.COM", "luke@example.com"),
    ("first.last+tag@Example.com", "first.last+tag@example.com"),
    ("luke@Bücher.example", "luke@xn--bcher-kva.example"),
    ("luke@example.com.", "luke@example.com"),
    ("😀@example.com", None),
    ("jürgen@example.com", None),
    ("luke@[192.0.2.1]", None),
    ("luke@192.0.2.1", None),
    ("luke@localhost", None),
    ("luke@example..com", None),
    ("@example.com", None),
    ('"luke smith"@example.com', None),
    ("x" * 65 + "@example.com", None),
    ("luke@" + "a" * 64 + ".example", None),
]
DOMAINS = [
    ("Example.COM", "example.com"),
    ("example.com.", "example.com"),
    ("@example.com", "example.com"),
    ("Bücher.example", "xn--bcher-kva.example"),
    ("https://www.Example.com/contact", "www.example.com"),
    ("luke@example.com", "example.com"),
    ("ex。ample．com", "ex.ample.com"),
    ("192.0.2.1", None),
    ("[192.0.2.1]", None),
    ("2001:db8::1", None),
    ("localhost", None),
    ("a_b.example", None),
    ("-a.example", None),
    ("a.123", None),
    ("😀.example", None),
    ("a" * 64 + ".example", None),
    (".".join(["abcdefghi"] * 26) + ".example", None),
]


@pytest.fixture
def api(settings: Any, test_dns: Any) -> Client:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m", "dns": "100000/m"}
    return Client()


def _plan(client: Client, *, address: str, domain: str) -> Any:
    body = {
        "sending": {"mode": "verified_address", "from_addresses": [address]},
        "recipients": [{"organisation": "Org", "domains": [domain], "gateway": "mimecast"}],
    }
    return client.post("/api/v1/plan", json.dumps(body), content_type="application/json")


def api_address(client: Client, typed: str) -> str | None:
    response = _plan(client, address=typed, domain="partner.example")
    if response.status_code == 400:
        assert "sending.from_addresses.0" in response.json()["errors"]
        return None
    assert response.status_code == 200, response.content
    (address,) = response.json()["accounts"][0]["whitelist_addresses"]
    return str(address)


def api_domain(client: Client, typed: str) -> str | None:
    response = _plan(client, address="luke@ownorg.example", domain=typed)
    if response.status_code == 400:
        assert "recipients.0.domains.0" in response.json()["errors"]
        return None
    assert response.status_code == 200, response.content
    (domain,) = response.json()["accounts"][0]["domains"]
    return str(domain)


def wizard_address(client: Client, typed: str) -> str | None:
    profile = make_profile()
    form = {
        "mode": "verified_address",
        "from_addresses": typed,
        "customer_address": typed,
        "revision": profile.revision,
    }
    response = client.post(url("sending", profile), form)
    stored = list(SenderAddress.objects.filter(profile=profile).values_list("address", flat=True))
    if response.status_code == 200:  # the step again, with what to fix
        assert (
            "invalid-feedback" in response.content.decode() or "alert" in response.content.decode()
        )
        assert stored == []
        return None
    assert response.status_code == 303
    profile.refresh_from_db()
    assert profile.customer_address == stored[0]  # the same rule for both fields
    return stored[0]


def wizard_domain(client: Client, typed: str) -> str | None:
    profile = make_profile()
    client.post(url("recipient_add", profile), {"organisation": "Org", "domains": typed})
    stored = list(
        RecipientDomain.objects.filter(account__profile=profile).values_list("domain", flat=True)
    )
    return stored[0] if stored else None


@pytest.mark.parametrize(("typed", "expected"), ADDRESSES)
def test_an_address_gets_one_verdict_through_the_api_and_the_wizard(
    api: Client, typed: str, expected: str | None
) -> None:
    assert api_address(api, typed) == expected
    assert wizard_address(Client(), typed) == expected


@pytest.mark.parametrize(("typed", "expected"), DOMAINS)
def test_a_domain_gets_one_verdict_through_the_api_the_wizard_and_dns(
    api: Client, typed: str, expected: str | None
) -> None:
    assert api_domain(api, typed) == expected
    assert wizard_domain(Client(), typed) == expected
    if expected is None:
        with pytest.raises(InvalidDomain):
            to_ascii(typed)
    else:
        assert to_ascii(typed) == expected
