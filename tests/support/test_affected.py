"""Profiles affected by a platform IP change: their last instructions used a changed range."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.customers.models import Basis, CustomerProfile, PlanRecord
from apps.sending.models import PlatformFacts, PlatformIPSnapshot
from apps.support.selectors import ip_change
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db

OLD = ["185.5.88.10/32", "185.5.88.11/32"]
NEW = ["185.5.88.11/32", "194.116.212.0/24"]


def _snapshots(*range_lists: list[str]) -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    start = timezone.now() - timedelta(days=len(range_lists))
    for day, ranges in enumerate(range_lists):
        PlatformIPSnapshot.objects.create(
            facts=facts, ranges=ranges, resolved_at=start + timedelta(days=day)
        )


def _shown(profile: CustomerProfile, ranges: list[str], basis: str = Basis.ADDRESS) -> None:
    profile.basis = basis
    profile.save()
    PlanRecord.objects.create(
        profile=profile, plan={}, fingerprint=str(profile.pk), basis=basis, ip_ranges=ranges
    )


def test_it_lists_profiles_told_to_use_a_removed_or_missing_range(client: Client) -> None:
    _snapshots(OLD, NEW)
    used_removed = make_profile("Used Removed Ltd")
    _shown(used_removed, OLD, Basis.ADDRESS_AND_IP)
    up_to_date = make_profile("Up To Date Ltd")
    _shown(up_to_date, NEW, Basis.IP)
    address_only = make_profile("Address Only Ltd")
    _shown(address_only, [])
    never_shown = make_profile("Never Shown Ltd")  # noqa: F841 - has no plan record

    change = ip_change()
    assert change.removed == ("185.5.88.10/32",) and change.added == ("194.116.212.0/24",)
    assert change.profiles == [used_removed]

    client.force_login(make_staff())
    html = client.get(reverse("support:affected")).content.decode()
    assert "Used Removed Ltd" in html and "185.5.88.10/32" in html
    assert reverse("support:profile", kwargs={"ref": used_removed.support_ref}) in html
    for other in ["Up To Date Ltd", "Address Only Ltd", "Never Shown Ltd"]:
        assert other not in html


def test_it_compares_only_the_latest_two_snapshots() -> None:
    _snapshots(["10.0.0.0/8"], OLD, OLD)
    profile = make_profile("Old Change Ltd")
    _shown(profile, ["10.0.0.0/8"], Basis.IP)
    change = ip_change()
    assert (change.removed, change.added, change.profiles) == ((), (), [])


def test_it_says_so_when_there_is_nothing_to_compare(client: Client) -> None:
    client.force_login(make_staff())
    assert "no snapshot" in client.get(reverse("support:affected")).content.decode()
    _snapshots(OLD)
    assert "only one snapshot" in client.get(reverse("support:affected")).content.decode()
