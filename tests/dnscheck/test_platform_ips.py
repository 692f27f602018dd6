"""The platform's IP ranges: resolved from the real test server, stored as snapshots, the last
good one used when DNS fails; and the refresh_platform_ips / dnscheck commands."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.dnscheck import facade, platform_ips, snapshots
from apps.policies.types import PlatformInfo
from apps.sending.models import PlatformFacts, PlatformIPSnapshot
from apps.sending.selectors import platform_info

pytestmark = pytest.mark.django_db

# tests/dns/zones/ssmx.net.zone: spf.ssmx.net (ip4 ×2, include spf2: ip6, a:relay, mx:ssmx.net)
# and the A/AAAA of ms1, ms7 and ms8.
EXPECTED = (
    "192.0.2.0/25",
    "192.0.2.11/32",
    "192.0.2.17/32",
    "192.0.2.18/32",
    "192.0.2.200/32",
    "198.51.100.25/32",
    "203.0.113.7/32",
    "2001:db8:55::/48",
    "2001:db8:55::8/128",
    "2001:db8:77::7/128",
)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.usefixtures("test_dns")
def test_it_resolves_every_range_through_nested_includes_and_servers() -> None:
    ips = snapshots.refresh_if_due(platform_info())
    assert ips.ranges == EXPECTED
    assert ips.resolved_at is not None
    assert not ips.stale
    snapshot = PlatformIPSnapshot.objects.get()
    assert snapshot.ranges == list(EXPECTED)
    assert "server ms8.ssmx.net" in snapshot.sources["2001:db8:55::8/128"]
    assert any("mx:ssmx.net" in source for source in snapshot.sources["198.51.100.25/32"])


@pytest.mark.usefixtures("test_dns")
def test_it_widens_a_and_mx_addresses_by_their_prefix_lengths() -> None:
    # tests/dns/zones/spf.example.zone: "v=spf1 a:relay.cidr.spf.example/28 mx/24//64 -all"
    platform = PlatformInfo(name="P", shared_address="", spf_include="cidr.spf.example")
    resolution = platform_ips.resolve(platform)
    assert resolution.problems == []
    assert resolution.ranges == ("198.51.100.64/28", "203.0.113.0/24", "2001:db8:99::/64")


@pytest.mark.usefixtures("test_dns")
def test_it_reuses_a_fresh_snapshot_without_asking_dns(settings: Any) -> None:
    first = snapshots.refresh_if_due(platform_info())
    settings.DNS_PORT = 1  # nothing answers there
    again = snapshots.refresh_if_due(platform_info())
    assert again == first
    assert PlatformIPSnapshot.objects.count() == 1


def _old_snapshot(ranges: list[str], hours: int = 5) -> PlatformIPSnapshot:
    return PlatformIPSnapshot.objects.create(
        facts=PlatformFacts.objects.get(is_active=True),
        ranges=ranges,
        resolved_at=timezone.now() - timedelta(hours=hours),
    )


def test_it_uses_the_last_good_snapshot_when_dns_fails(settings: Any, silent_dns: int) -> None:
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 0.5
    old = _old_snapshot(["192.0.2.0/24"])
    ips = snapshots.refresh_if_due(platform_info())
    assert ips.ranges == ("192.0.2.0/24",)
    assert ips.stale
    assert ips.resolved_at == old.resolved_at
    assert snapshots.describe_age(ips.resolved_at) == "resolved 5 hours ago"
    assert PlatformIPSnapshot.objects.count() == 1


def test_during_an_outage_only_one_request_waits_on_dns(
    settings: Any, silent_dns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 0.5
    old = _old_snapshot(["192.0.2.0/24"], hours=3)
    resolutions: list[str] = []
    real_resolve = platform_ips.resolve

    def counting(platform: PlatformInfo) -> platform_ips.Resolution:
        resolutions.append(platform.spf_include)
        return real_resolve(platform)

    monkeypatch.setattr(platform_ips, "resolve", counting)
    first = snapshots.refresh_if_due(platform_info())
    later = [snapshots.refresh_if_due(platform_info()) for _ in range(5)]
    assert len(resolutions) == 1  # no waiting on DNS again
    for ips in (first, *later):
        assert ips.stale and ips.ranges == ("192.0.2.0/24",)
        assert ips.resolved_at == old.resolved_at  # its age is there to show
    assert snapshots.describe_age(later[0].resolved_at) == "resolved 3 hours ago"


def test_a_request_uses_the_old_snapshot_at_once_while_another_refreshes(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _old_snapshot(["192.0.2.0/24"])
    facts = PlatformFacts.objects.get(is_active=True)
    cache.add(snapshots._lock_key(facts), 1, 60)  # another worker's refresh is under way

    def no_dns(platform: PlatformInfo) -> platform_ips.Resolution:
        raise AssertionError("DNS asked while another request holds the refresh")

    monkeypatch.setattr(platform_ips, "resolve", no_dns)
    ips = snapshots.refresh_if_due(platform_info())
    assert ips.stale and ips.ranges == ("192.0.2.0/24",)


@pytest.mark.usefixtures("test_dns")
def test_after_a_stored_refresh_the_next_change_refreshes_again() -> None:
    _old_snapshot(["192.0.2.0/24"])
    assert snapshots.refresh_if_due(platform_info()).ranges == EXPECTED
    facts = PlatformFacts.objects.get(is_active=True)
    assert cache.add(snapshots._lock_key(facts), 1, 1)  # the lock was released


def test_it_says_so_when_dns_fails_and_there_is_no_snapshot(settings: Any, silent_dns: int) -> None:
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 0.5
    ips = snapshots.refresh_if_due(platform_info())
    assert ips.ranges == ()
    assert ips.stale
    assert snapshots.describe_age(ips.resolved_at) == "never resolved"


@pytest.mark.usefixtures("test_dns")
def test_refresh_platform_ips_stores_a_snapshot_and_reports_changes() -> None:
    _old_snapshot(["192.0.2.0/25", "198.18.0.0/15"])
    output = run("refresh_platform_ips")
    assert "Stored 10 ranges" in output
    assert "+ 2001:db8:55::/48" in output
    assert "- 198.18.0.0/15" in output
    assert "+ 192.0.2.0/25" not in output
    latest = PlatformIPSnapshot.objects.order_by("-resolved_at").first()
    assert latest is not None
    added, removed = latest.change()
    assert removed == ["198.18.0.0/15"]
    assert "2001:db8:55::/48" in added and "192.0.2.0/25" not in added
    assert "profile" in output.lower()


@pytest.mark.usefixtures("test_dns")
def test_refresh_platform_ips_says_when_nothing_changed() -> None:
    run("refresh_platform_ips")
    assert "No change since the previous snapshot." in run("refresh_platform_ips")


def test_refresh_platform_ips_fails_cleanly_when_dns_fails(settings: Any, silent_dns: int) -> None:
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 0.5
    _old_snapshot(["192.0.2.0/24"])
    with pytest.raises(CommandError, match="not refreshed"):
        run("refresh_platform_ips")
    assert PlatformIPSnapshot.objects.count() == 1


def test_describe_age_words_the_age() -> None:
    now = timezone.now()
    assert snapshots.describe_age(now - timedelta(minutes=1), now=now) == "resolved 1 minute ago"
    assert snapshots.describe_age(now - timedelta(days=2), now=now) == "resolved 2 days ago"
    assert snapshots.describe_age(now, now=now) == "resolved just now"


@pytest.mark.usefixtures("test_dns")
def test_dnscheck_prints_the_findings_for_a_domain() -> None:
    output = run("dnscheck", "ownorg.example")
    assert "Mimecast · Europe" in output
    assert "evidence: eu-smtp-inbound-1.mimecast.com" in output
    assert "console:  https://login-eu.mimecast.com/" in output
    assert "SPF:" in output and "includes spf.ssmx.net" in output
    assert "record: v=spf1 include:spf.ssmx.net -all" in output
    assert "DMARC policy none" in output


@pytest.mark.usefixtures("test_dns")
def test_dnscheck_can_check_only_the_gateway() -> None:
    output = run("dnscheck", "--recipient-only", "m365org.example", "bücher.example")
    assert "Microsoft 365" in output
    assert "bücher.example" in output
    assert "SPF:" not in output


@pytest.mark.usefixtures("test_dns")
def test_refresh_platform_ips_lists_the_profiles_whose_instructions_used_a_removed_range() -> None:
    from apps.customers.models import PlanRecord
    from apps.customers.services import profile_create

    _old_snapshot(["192.0.2.0/25", "198.18.0.0/15"])
    used = profile_create(
        organisation="Uses IPs Ltd", contact_name="A", contact_email="a@x.example"
    )
    other = profile_create(
        organisation="Addresses Ltd", contact_name="B", contact_email="b@x.example"
    )
    PlanRecord.objects.create(
        profile=used, plan={}, fingerprint="1", basis="ip", ip_ranges=["198.18.0.0/15"]
    )
    PlanRecord.objects.create(profile=other, plan={}, fingerprint="2", basis="address")
    output = run("refresh_platform_ips")
    assert "1 profile(s) whose instructions need re-sending" in output
    assert "Uses IPs Ltd" in output
    assert "Addresses Ltd" not in output


def test_reading_the_ips_never_asks_dns_nor_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_snapshot(["192.0.2.0/24"], hours=2)

    def no_dns(platform: PlatformInfo) -> platform_ips.Resolution:
        raise AssertionError("a read asked DNS")

    monkeypatch.setattr(platform_ips, "resolve", no_dns)
    ips = facade.platform_ips(platform_info())
    assert ips.stale and ips.ranges == ("192.0.2.0/24",)
    assert ips.resolved_at == old.resolved_at
    assert PlatformIPSnapshot.objects.count() == 1


def test_a_refresh_under_way_elsewhere_is_not_repeated_by_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _old_snapshot(["192.0.2.0/24"])
    cache.add(snapshots._lock_key(PlatformFacts.objects.get(is_active=True)), 1, 60)
    monkeypatch.setattr(platform_ips, "resolve", lambda platform: pytest.fail("DNS asked"))
    with pytest.raises(CommandError):
        run("refresh_platform_ips")
