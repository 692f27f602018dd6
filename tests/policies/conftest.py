from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from apps.dnscheck import facade
from apps.policies.types import GatewayInfo, PlatformInfo, PlatformIPs, SendingDomainFacts


class FakeDns:
    """Stands in for apps.dnscheck.facade; records what it was asked."""

    def __init__(self) -> None:
        self.gateway = GatewayInfo(
            name="mimecast", region="de", evidence=("de-smtp-inbound-1.mimecast.com",)
        )
        self.ranges: tuple[str, ...] = ("192.0.2.10", "198.51.100.0/24")
        self.spf: bool | None = None
        self.detected: list[list[str]] = []
        self.ip_lookups = 0
        self.fact_lookups: list[str] = []

    def detect_gateways(self, groups: Sequence[Sequence[str]]) -> list[GatewayInfo]:
        self.detected += [list(group) for group in groups]
        return [self.gateway for _ in groups]

    def platform_ips(self, platform: PlatformInfo) -> PlatformIPs:
        self.ip_lookups += 1
        return PlatformIPs(self.ranges, resolved_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))

    def sending_domain_facts(self, domain: str, platform: PlatformInfo) -> SendingDomainFacts:
        self.fact_lookups.append(domain)
        return SendingDomainFacts(domain=domain, spf_authorises_platform=self.spf)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    fake = FakeDns()
    for name in ("detect_gateways", "platform_ips", "sending_domain_facts"):
        monkeypatch.setattr(facade, name, getattr(fake, name))
    return fake


@pytest.fixture
def api_settings(settings):
    """A generous rate limit and an empty counter, so only the rate-limit test trips it."""
    settings.API_RATE_LIMIT = "100000/m"
    cache.clear()
    return settings
