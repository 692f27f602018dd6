"""The JSON API with real DNS behind it: a null gateway is detected, and the plan's evidence,
platform IPs and sending-domain facts come from the DNS checks (real test server)."""

import json
from typing import Any

import pytest
from django.test import Client

from apps.dnscheck import snapshots
from apps.sending.selectors import platform_info
from tests.dnscheck.test_platform_ips import EXPECTED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings: Any, client: Client) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}
    # The first request of a run imports the URLconf, which must not eat a lookup's DNS budget.
    client.get("/healthz")


def plan(client: Client, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sending": {"mode": "sending_domain", "from_addresses": ["surveys@ownorg.example"]},
        "recipients": [
            {"organisation": "Own Org", "domains": ["ownorg.example"], "gateway": None},
            {"organisation": "Partner", "domains": ["partnerorg.example"], "gateway": None},
            {"organisation": "M365 Org", "domains": ["m365org.example"], "gateway": None},
        ],
        "basis": "address_and_ip",
    }
    body.update(overrides)
    response = client.post("/api/v1/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_null_gateway_is_detected_with_its_evidence(client: Client) -> None:
    own, partner, m365 = plan(client)["accounts"]
    assert (own["gateway"]["name"], own["gateway"]["region"]) == ("mimecast", "eu")
    assert own["gateway"]["evidence"] == [
        "eu-smtp-inbound-1.mimecast.com",
        "eu-smtp-inbound-2.mimecast.com",
    ]
    assert (partner["gateway"]["name"], partner["gateway"]["region"]) == ("mimecast", "us")
    assert m365["gateway"]["name"] == "microsoft365"


def test_the_plan_uses_the_platforms_ips_from_dns(client: Client) -> None:
    snapshots.refresh(platform_info())  # as refresh_platform_ips stores them
    data = plan(client)
    # Every range spf.ssmx.net resolves to (tests/dns/zones/ssmx.net.zone), and nothing else.
    assert sorted(data["platform"]["ip_ranges"]) == sorted(EXPECTED)
    assert data["platform"]["ips_stale"] is False
    assert data["platform"]["ips_resolved_at"]


def test_the_sending_domains_dmarc_comes_from_dns(client: Client) -> None:
    recipients = [{"organisation": "Partner", "domains": ["partnerorg.example"], "gateway": None}]

    def blockers(domain: str) -> list[str]:
        sending = {"mode": "sending_domain", "from_addresses": [f"surveys@{domain}"]}
        [account] = plan(client, sending=sending, recipients=recipients)["accounts"]
        return account["blockers"]

    # good.spf.example inherits spf.example's p=reject; SPF authorises the platform but does
    # not align, and no DKIM key is found: the plan says first that no policy can rescue it.
    [blocker] = blockers("good.spf.example")
    assert "fails good.spf.example's DMARC (p=reject)" in blocker
    assert "no allow-list policy can rescue it" in blocker
    # ownorg.example publishes p=none: nothing blocks.
    assert blockers("ownorg.example") == []
