"""The JSON API with real DNS behind it: a null gateway is detected, and the plan's evidence,
platform IPs and sending-domain facts come from the DNS checks (real test server)."""

import json
from typing import Any

import pytest
from django.test import Client

from apps.dnscheck import snapshots
from apps.sending.selectors import platform_info

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}


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
    assert "192.0.2.0/25" in json.dumps(data["platform"])
    assert "2001:db8:55::/48" in json.dumps(data["platform"])
