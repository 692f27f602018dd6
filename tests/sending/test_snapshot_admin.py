import pytest
from django.utils import timezone

from apps.sending.models import PlatformFacts, PlatformIPSnapshot


@pytest.mark.django_db
def test_staff_can_read_ip_snapshots_but_not_write_them(admin_client) -> None:
    snapshot = PlatformIPSnapshot.objects.create(
        facts=PlatformFacts.objects.get(is_active=True),
        ranges=["192.0.2.0/25"],
        resolved_at=timezone.now(),
    )

    listing = admin_client.get("/admin/sending/platformipsnapshot/")
    assert listing.status_code == 200
    assert "192.0.2.0/25" in listing.content.decode()
    assert admin_client.get("/admin/sending/platformipsnapshot/add/").status_code == 403
    response = admin_client.post(
        f"/admin/sending/platformipsnapshot/{snapshot.pk}/change/", {"ranges": '["10.0.0.0/8"]'}
    )
    assert response.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.ranges == ["192.0.2.0/25"]


@pytest.mark.django_db
def test_a_snapshots_change_is_computed_from_the_one_before() -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    now = timezone.now()
    first = PlatformIPSnapshot.objects.create(
        facts=facts, ranges=["192.0.2.0/25", "198.18.0.0/15"], resolved_at=now
    )
    second = PlatformIPSnapshot.objects.create(
        facts=facts, ranges=["192.0.2.0/25", "203.0.113.0/24"], resolved_at=now
    )
    assert first.change() == (["192.0.2.0/25", "198.18.0.0/15"], [])  # the first adds them all
    assert second.change() == (["203.0.113.0/24"], ["198.18.0.0/15"])
