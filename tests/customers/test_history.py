"""Support can see what the customer had entered, and when, from the history."""

import pytest

from apps.customers import services
from apps.customers.models import RecipientAccount
from tests.customers.factories import make_account, make_profile

pytestmark = pytest.mark.django_db


def test_it_records_each_answer_with_when_and_why() -> None:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="unverified_address",
        from_addresses=[],
        display_name="",
        customer_address="luke@ownorg.example",
    )
    services.options_set(profile=profile, basis="ip", bulk_refs=set())
    history = list(profile.history.order_by("history_id"))
    assert [h.history_change_reason for h in history] == [
        "Created (about you)",
        "How you send",
        "Options",
    ]
    assert [h.basis for h in history] == ["address", "address", "ip"]
    assert all(h.history_date and h.history_user is None for h in history)


def test_it_keeps_removed_organisations_in_the_history() -> None:
    profile = make_profile()
    account = make_account(profile)
    services.recipient_account_remove(account=account)
    removed = RecipientAccount.history.filter(ref=account.ref, history_type="-").get()
    assert removed.organisation == "Partner Org"
    assert removed.history_change_reason == "Who receives: removed"
