from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache

from apps.dnscheck import facade
from apps.policies.types import GatewayInfo, PlatformInfo, PlatformIPs, SendingDomainFacts


class DnsSpy:
    """Records what the real apps.dnscheck.facade was asked, and lets every call through to it
    (and so to the test DNS server, tests/dns/zones)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.detected: list[list[str]] = []
        self.ip_lookups = 0
        self.fact_lookups: list[str] = []
        real_detect = facade.detect_gateways
        real_ips = facade.platform_ips
        real_facts = facade.sending_domain_facts

        def detect_gateways(groups: Sequence[Sequence[str]]) -> list[GatewayInfo]:
            self.detected += [list(group) for group in groups]
            return real_detect(groups)

        inside_facts = False

        def platform_ips(platform: PlatformInfo) -> PlatformIPs:
            # The sending-domain check reads the IPs for its own SPF verdict; not counted.
            self.ip_lookups += not inside_facts
            return real_ips(platform)

        def sending_domain_facts(domain: str, platform: PlatformInfo) -> SendingDomainFacts:
            nonlocal inside_facts
            self.fact_lookups.append(domain)
            inside_facts = True
            try:
                return real_facts(domain, platform)
            finally:
                inside_facts = False

        monkeypatch.setattr(facade, "detect_gateways", detect_gateways)
        monkeypatch.setattr(facade, "platform_ips", platform_ips)
        monkeypatch.setattr(facade, "sending_domain_facts", sending_domain_facts)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch, test_dns: Any, client: Any) -> DnsSpy:
    """The real DNS facade against the test server, watched. The first request of a run
    imports the URLconf, which must not eat a lookup's DNS budget: it is made here."""
    client.get("/healthz")
    return DnsSpy(monkeypatch)


class FakeDns:
    """Stands in for apps.dnscheck.facade; records what it was asked. Only for the property
    tests, which send thousands of bodies: the contract tests use the real server (`dns`)."""

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
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    fake = FakeDns()
    for name in ("detect_gateways", "platform_ips", "sending_domain_facts"):
        monkeypatch.setattr(facade, name, getattr(fake, name))
    return fake


@pytest.fixture
def api_settings(settings: Any) -> Any:
    """A generous rate limit and an empty counter, so only the rate-limit test trips it."""
    settings.API_RATE_LIMIT = "100000/m"
    cache.clear()
    return settings
