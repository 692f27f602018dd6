"""Reading never writes: the customer's instructions, IT's page, every export and the support
profile run no INSERT, UPDATE or DELETE (a session aside), even with the platform's IP snapshot
due a refresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.customers import services
from apps.customers.models import CustomerProfile, PlanRecord
from apps.dnscheck import snapshots
from apps.sending.models import PlatformIPSnapshot
from apps.sending.selectors import platform_info
from tests.customers.factories import make_complete_profile, make_share_link
from tests.support.factories import make_staff
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in q["sql"]
    ]


@pytest.fixture
def profile() -> CustomerProfile:
    """A finished profile whose IP snapshot is over an hour old (a read once refreshed it)."""
    snapshots.refresh(platform_info())
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    PlatformIPSnapshot.objects.update(resolved_at=timezone.now() - timedelta(hours=3))
    return profile


@pytest.mark.parametrize(
    "name",
    ["instructions", "instructions_txt", "instructions_json", "instructions_pdf"],
)
def test_the_customers_pages_and_downloads_write_nothing(
    client: Client, profile: CustomerProfile, name: str
) -> None:
    assert _writes(client, url(name, profile)) == []


@pytest.mark.parametrize(
    "name", ["page", "instructions_txt", "instructions_json", "instructions_pdf"]
)
def test_its_page_and_downloads_write_nothing(
    client: Client, profile: CustomerProfile, name: str
) -> None:
    link = make_share_link(profile)
    link.refresh_from_db()
    assert _writes(client, reverse(f"it:{name}", kwargs={"token": link.token})) == []


@pytest.mark.parametrize("name", ["profile", "instructions_pdf", "instructions_text"])
def test_the_support_profile_and_its_exports_write_nothing(
    client: Client, profile: CustomerProfile, name: str
) -> None:
    client.force_login(make_staff())
    path = reverse(f"support:{name}", kwargs={"ref": profile.support_ref})
    assert _writes(client, path) == []


def test_the_check_above_sees_a_write(client: Client, profile: CustomerProfile) -> None:
    """The helper does catch a write: IT telling the page it was seen is one (a POST)."""
    link = make_share_link(profile)
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("it:seen", kwargs={"token": link.token}))
    assert any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries.captured_queries)


def test_a_read_leaves_the_old_snapshot_and_says_it_is_stale(
    client: Client, profile: CustomerProfile
) -> None:
    before = PlatformIPSnapshot.objects.count()
    data = client.get(url("instructions_json", profile)).json()
    assert PlatformIPSnapshot.objects.count() == before
    assert data["platform"]["ips_stale"] is True


def test_the_plan_shown_is_recorded_when_the_wizard_completes_not_on_a_view(
    client: Client,
) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    client.get(url("instructions", profile))
    assert PlanRecord.objects.filter(profile=profile).count() == 0
    client.get(url("review", profile))
    client.post(url("review", profile), {"revision": profile.revision})
    client.post(url("review", profile), {"revision": profile.revision})
    assert PlanRecord.objects.filter(profile=profile).count() == 1  # once per content
