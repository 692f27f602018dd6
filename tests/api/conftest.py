from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from apps.dnscheck import facade
from apps.dnscheck.types import (
    CheckStatus,
    DomainCheck,
    DomainStatus,
    RecordCheck,
    SendingDomainReport,
)
from apps.policies.types import PlatformInfo, PlatformIPs


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
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    fake = FakeDns()
    for name in ("check_recipient_domains", "platform_ips", "check_sending_domain"):
        monkeypatch.setattr(facade, name, getattr(fake, name))
    return fake


@pytest.fixture
def api_settings(settings):  # type: ignore[no-untyped-def]
    """A generous rate limit and an empty counter, so only the rate-limit test trips it."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}
    cache.clear()
    return settings
