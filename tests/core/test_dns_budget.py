"""A request has one DNS budget, however many checks it makes (apps.dnscheck.middleware)."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from apps.dnscheck import deadline, resolver
from apps.dnscheck import middleware as dns_middleware
from apps.dnscheck.answers import Answer

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
    client: Client, settings: Any, silent_dns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get("/healthz")  # the first request imports the URLconf: not part of the budget
    cache.clear()
    # A budget far longer than the lookups need, so that every one of them runs even on a
    # loaded machine: what is checked is that each nests in the request's one budget.
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 5.0
    deadlines: list[float | None] = []
    real_resolve = resolver._resolve

    def spy(qname: str, rdtype: str, config: Any) -> Answer:
        deadlines.append(deadline._deadline.get())
        return real_resolve(qname, rdtype, config)

    monkeypatch.setattr(resolver, "_resolve", spy)
    opened: list[float] = []

    @contextmanager
    def request_budget() -> Iterator[float]:
        with deadline.overall_deadline() as ends:
            opened.append(ends)
            yield ends

    monkeypatch.setattr(dns_middleware, "overall_deadline", request_budget)
    response = client.post("/api/v1/plan", json.dumps(REQUEST), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["accounts"][0]["steps"]  # the plan still comes out
    # The MX, platform IP and sending-domain checks each ran under a deadline of their own,
    # nested in the request's one: none ends later than the request's budget.
    [request_ends] = opened
    assert len(deadlines) >= 3
    assert all(d is not None and d <= request_ends for d in deadlines), (request_ends, deadlines)
