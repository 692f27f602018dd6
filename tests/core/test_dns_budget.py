"""A request has one DNS budget, however many checks it makes (apps.core.middleware)."""

import json
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

# Sending as a domain the recipients own, gateway left to detection, IP basis: the API checks
# the recipient's MX, the platform's IPs and the sending domain's SPF/DMARC/DKIM, each under
# its own deadline.
REQUEST = {
    "sending": {"mode": "sending_domain", "from_addresses": ["surveys@never-answers.example"]},
    "recipients": [
        {"organisation": "Silent Ltd", "domains": ["never-answers.example"], "gateway": None}
    ],
    "basis": "address_and_ip",
}


@pytest.mark.django_db
def test_every_lookup_in_a_request_shares_one_deadline(
    client: Client, settings: Any, silent_dns: int
) -> None:
    client.get("/healthz")  # the first request imports the URLconf: not part of the figure
    cache.clear()
    settings.DNS_TIMEOUT = 0.5
    settings.DNS_DEADLINE = 0.6
    started = time.monotonic()
    response = client.post("/api/v1/plan", json.dumps(REQUEST), content_type="application/json")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["accounts"][0]["steps"]  # the plan still comes out
    # Three checks with a deadline each would take three times the budget.
    assert elapsed < settings.DNS_DEADLINE + 0.4, elapsed
