"""The same situation gives the same Plan through the API (facts from DNS now) and through the
wizard's stored profile (facts stored when it checked DNS): both go through the one builder,
apps.dnscheck.facts.plan_request, against the real test DNS server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import services
from apps.customers.models import CustomerProfile
from apps.dnscheck import snapshots
from apps.sending.selectors import platform_info
from tests.customers.factories import make_account, make_profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_settings", "test_dns")]

SENDING: dict[str, Any] = {
    "mode": "sending_domain",
    "from_addresses": ["surveys@ownorg.example"],
    "display_name": "Own Org surveys",
    "customer_address": "luke@ownorg.example",
    "permit_whole_domain": False,
    "unique_links": True,
}
# (organisation, domains, bulk): an account of the customer's own domain, a partner, and one
# whose domains disagree (Microsoft 365 and Mimecast), which the gateway's detail spells out.
ACCOUNTS = [
    ("Own Org", ["ownorg.example"], False),
    ("Partner Org", ["partnerorg.example"], True),
    ("Mixed Org", ["m365org.example", "mc-de.gateways.example"], False),
]


def _profile(basis: str, accounts: list[tuple[str, list[str], bool]]) -> CustomerProfile:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode=SENDING["mode"],
        from_addresses=SENDING["from_addresses"],
        display_name=SENDING["display_name"],
        customer_address=SENDING["customer_address"],
    )
    bulk_refs = []
    for organisation, domains, bulk in accounts:
        account = make_account(profile, organisation=organisation, domains=domains)
        if bulk:
            bulk_refs.append(account.ref)
    services.options_set(profile=profile, basis=basis, bulk_refs=bulk_refs)
    services.dns_recheck(profile=profile)  # what the wizard's DNS checks store
    return profile


def _api_body(profile: CustomerProfile, basis: str) -> dict[str, Any]:
    return {
        "sending": SENDING,
        "basis": basis,
        "recipients": [
            {
                "organisation": account.organisation,
                "domains": [row.domain for row in account.domains.order_by("position", "id")],
                "gateway": None,
                "bulk": account.bulk,
                "ref": account.ref,
            }
            for account in profile.recipient_accounts.order_by("position", "id")
        ],
    }


def _without_time(plan: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in plan.items() if key != "generated_at"}


@pytest.mark.parametrize(
    ("basis", "accounts"),
    [
        ("address", ACCOUNTS),
        ("address_and_ip", ACCOUNTS),
        # No bulk account, no own domain: no step uses the platform's IPs, on either path.
        ("address", [("Partner Org", ["partnerorg.example"], False)]),
    ],
    ids=["address", "address-and-ip", "no-ips-needed"],
)
def test_it_gives_the_same_plan_through_the_api_and_the_wizard(
    client: Client, basis: str, accounts: list[tuple[str, list[str], bool]]
) -> None:
    snapshots.refresh(platform_info())  # the platform's IPs, as refresh_platform_ips stores them
    profile = _profile(basis, accounts)
    api = client.post("/api/v1/plan", json.dumps(_api_body(profile, basis)), "application/json")
    assert api.status_code == 200, api.content
    stored = client.get(reverse("customer:instructions_json", kwargs={"token": profile.token}))
    assert stored.status_code == 200
    assert _without_time(api.json()) == _without_time(stored.json())


def test_the_comparison_sees_a_different_situation(client: Client) -> None:
    """The check above can fail: another basis through the API is another plan."""
    snapshots.refresh(platform_info())
    profile = _profile("address", ACCOUNTS)
    body = _api_body(profile, "ip")
    api = client.post("/api/v1/plan", json.dumps(body), "application/json")
    stored = client.get(reverse("customer:instructions_json", kwargs={"token": profile.token}))
    assert _without_time(api.json()) != _without_time(stored.json())
