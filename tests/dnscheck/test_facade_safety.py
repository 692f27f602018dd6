"""The facade's promises: nothing raises, and one profile's lookups run side by side.

The first tests stub the implementation behind the facade (allowed for unit tests); the
concurrency test uses a real socket that never answers."""

import pickle
import time
from typing import Any

import pytest

from apps.dnscheck import authentication, facade, recipients, snapshots
from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.types import CheckStatus, DomainStatus
from apps.policies.types import PlatformInfo, PlatformIPs

PLATFORM = PlatformInfo(
    name="SmartSurvey", shared_address="m@example.net", spf_include="spf.ssmx.net"
)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("unexpected")


def test_an_unexpected_error_becomes_a_status_for_recipient_domains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recipients, "check_domains", _boom)
    check = facade.check_recipient_domain("example.com")
    assert check.status is DomainStatus.ERROR
    assert check.message.startswith("couldn't check")
    [info] = facade.detect_gateways([["example.com"]])
    assert info.name is None
    assert info.detail.startswith("couldn't check")


def test_an_unexpected_error_becomes_stale_platform_ips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots, "latest_ips", _boom)
    assert facade.platform_ips(PLATFORM) == PlatformIPs(stale=True)


def test_an_unexpected_error_becomes_an_unknown_sending_domain_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(snapshots, "latest_ips", lambda platform: PlatformIPs())
    monkeypatch.setattr(authentication, "check_spf", _boom)
    report = facade.check_sending_domain("example.com", PLATFORM)
    assert report.spf.status is report.dmarc.status is CheckStatus.UNKNOWN
    assert facade.sending_domain_facts("example.com", PLATFORM).spf_authorises_platform is None


def test_answers_survive_the_shared_cache() -> None:
    answer = Answer("example.com", "MX", Status.OK, ("10 mx.example.com.",), ttl=300)
    assert pickle.loads(pickle.dumps(answer)) == answer  # noqa: S301 - our own bytes


def test_lookups_for_many_domains_run_side_by_side(settings: Any, silent_dns: int) -> None:
    settings.DNS_TIMEOUT = 0.5
    settings.DNS_DEADLINE = 3.0
    domains = [f"d{i}.example" for i in range(8)]
    started = time.monotonic()
    checks = facade.check_recipient_domains(domains)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5  # one after another would take 4 s
    assert all(c.badge == "couldn't check (timeout)" for c in checks.values())
    assert all("didn't answer within 0.5 s" in c.message for c in checks.values())
