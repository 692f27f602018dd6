"""History: every change to a profile and its parts, newest first, with who and before/after."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import services
from apps.customers.models import CustomerProfile, PlanRecord, ShareLink
from apps.support.history import profile_history
from tests.support.factories import make_staff

pytestmark = pytest.mark.django_db


def _profile() -> CustomerProfile:
    return services.profile_create(
        organisation="History Org Ltd", contact_name="Ann Old", contact_email="ann@history.example"
    )


def test_it_lists_changes_newest_first_with_before_and_after() -> None:
    profile = _profile()
    services.profile_update_about(
        profile=profile,
        organisation="History Org Ltd",
        contact_name="Ann New",
        contact_email="ann@history.example",
    )
    services.recipient_account_add(
        profile=profile, organisation="Partner", domains=["partnerorg.example"]
    )
    entries = profile_history(profile)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    renamed = next(
        e
        for e in entries
        if e.what == "Customer profile"
        and e.action == "changed"
        and any(c.field == "Contact name" for c in e.changes)
    )
    change = next(c for c in renamed.changes if c.field == "Contact name")
    assert (change.old, change.new) == ("Ann Old", "Ann New")
    whats = {e.what for e in entries}
    assert "Recipient account Partner" in whats
    assert "Recipient domain partnerorg.example" in whats
    created = next(e for e in entries if e.what == "Customer profile" and e.action == "created")
    assert any(c.new == "History Org Ltd" for c in created.changes)
    assert all(c.field != "Token" for e in entries for c in e.changes)


def test_it_records_which_staff_member_made_a_change(client: Client) -> None:
    profile = _profile()
    link = ShareLink.objects.create(profile=profile, label="IT")
    client.force_login(make_staff("bob"))
    client.post(
        reverse(
            "support:share_link_revoke",
            kwargs={"ref": profile.support_ref, "link_id": link.pk},
        )
    )
    client.post(
        reverse("support:note_add", kwargs={"ref": profile.support_ref}), {"body": "Called"}
    )
    entries = profile_history(profile)
    revoked = next(e for e in entries if e.what.startswith("Share link") and e.action == "changed")
    assert revoked.who == "bob" and revoked.reason == "Share link revoked"
    assert any(c.field == "Revoked at" and c.old == "—" for c in revoked.changes)
    assert any(e.what == "Staff note" and e.who == "bob" for e in entries)
    page = client.get(
        reverse("support:profile", kwargs={"ref": profile.support_ref})
    ).content.decode()
    assert "Share link revoked" in page and "bob" in page


def test_it_keeps_changes_to_removed_accounts() -> None:
    profile = _profile()
    account = services.recipient_account_add(
        profile=profile, organisation="Gone Ltd", domains=["gone.example"]
    )
    services.recipient_account_remove(account=account)
    entries = profile_history(profile)
    assert any(e.what == "Recipient account Gone Ltd" and e.action == "deleted" for e in entries)
    assert any(e.what == "Recipient domain gone.example" for e in entries)


def test_it_lists_each_version_of_the_instructions_the_customer_was_shown() -> None:
    profile = _profile()
    PlanRecord.objects.create(
        profile=profile, plan={}, fingerprint="a", basis="ip", ip_ranges=["185.5.88.10/32"]
    )
    shown = [e for e in profile_history(profile) if e.what == "Instructions shown to the customer"]
    assert len(shown) == 1
    assert shown[0].changes[0].new == "185.5.88.10/32"
