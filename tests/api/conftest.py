from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache

from apps.dnscheck import facade, snapshots
from apps.dnscheck.types import (
    CheckStatus,
    DomainCheck,
    DomainStatus,
    RecordCheck,
    SendingDomainReport,
)
from apps.policies.types import PlatformInfo, PlatformIPs
from apps.sending.selectors import platform_info


class DnsSpy:
    """Records what the real apps.dnscheck.facade was asked, and lets every call through to it
    (and so to the test DNS server, tests/dns/zones)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.detected: list[list[str]] = []
        self.ip_lookups = 0
        self.fact_lookups: list[str] = []
        real_domains = facade.check_recipient_domains
        real_ips = facade.platform_ips
        real_report = facade.check_sending_domain
        inside_report = False

        def check_recipient_domains(domains: Sequence[str]) -> dict[str, DomainCheck]:
            if domains:
                self.detected.append(list(domains))
            return real_domains(domains)

        def platform_ips(platform: PlatformInfo) -> PlatformIPs:
            # The sending-domain check reads the IPs for its own SPF verdict; not counted.
            self.ip_lookups += not inside_report
            return real_ips(platform)

        def check_sending_domain(domain: str, platform: PlatformInfo) -> SendingDomainReport:
            nonlocal inside_report
            self.fact_lookups.append(domain)
            inside_report = True
            try:
                return real_report(domain, platform)
            finally:
                inside_report = False

        monkeypatch.setattr(facade, "check_recipient_domains", check_recipient_domains)
        monkeypatch.setattr(facade, "platform_ips", platform_ips)
        monkeypatch.setattr(facade, "check_sending_domain", check_sending_domain)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch, test_dns: Any, client: Any) -> DnsSpy:
    """The real DNS facade against the test server, watched, with the platform's IP snapshot
    refreshed from it (reads never refresh it). The first request of a run imports the URLconf,
    which must not eat a lookup's DNS budget: it is made here."""
    client.get("/healthz")
    snapshots.refresh(platform_info())
    return DnsSpy(monkeypatch)


class FakeDns:
    """Stands in for apps.dnscheck.facade; records what it was asked."""

    def __init__(self) -> None:
        self.gateway = "mimecast"
        self.region = "de"
        self.mx = ("de-smtp-inbound-1.mimecast.com",)
        self.ranges: tuple[str, ...] = ("192.0.2.10", "198.51.100.0/24")
        self.spf: bool | None = None
        self.detected: list[list[str]] = []
        self.ip_lookups = 0
        self.fact_lookups: list[str] = []

    def check_recipient_domains(self, domains: Sequence[str]) -> dict[str, DomainCheck]:
        if domains:
            self.detected.append(list(domains))
        return {
            d: DomainCheck(
                d,
                d,
                DomainStatus.GATEWAY,
                gateway=self.gateway,
                region=self.region,
                evidence=self.mx,
            )
            for d in domains
        }

    def platform_ips(self, platform: PlatformInfo) -> PlatformIPs:
        self.ip_lookups += 1
        return PlatformIPs(self.ranges, resolved_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))

    def check_sending_domain(self, domain: str, platform: PlatformInfo) -> SendingDomainReport:
        self.fact_lookups.append(domain)
        check = RecordCheck(CheckStatus.UNKNOWN, "")
        return SendingDomainReport(
            domain, domain, check, check, check, spf_authorises_platform=self.spf
        )


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """Only for the property tests, which send thousands of bodies: the contract tests use the
    real DNS server (`dns`)."""
    fake = FakeDns()
    for name in ("check_recipient_domains", "platform_ips", "check_sending_domain"):
        monkeypatch.setattr(facade, name, getattr(fake, name))
    return fake


@pytest.fixture
def api_settings(settings: Any) -> Any:
    """A generous rate limit and an empty counter, so nothing here trips it."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}
    cache.clear()
    return settings
