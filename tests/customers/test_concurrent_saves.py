"""Simultaneous identical saves (a double-click, a retried request) on PostgreSQL: each one
succeeds and the outcome is as if it had been sent once, never an IntegrityError."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from apps.customers import selectors, services
from apps.customers.models import ChecklistTick, CustomerProfile
from tests.customers.factories import make_complete_profile

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one write transaction at a time; the race needs PostgreSQL (CI)",
    ),
]

RACERS = 8


def _at_once(call: Callable[[], object]) -> list[BaseException]:
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            call()
        except BaseException as error:  # collected for the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_identical_sending_saves_at_once_all_succeed() -> None:
    profile = make_complete_profile()

    def save() -> None:
        services.sending_identity_set(
            profile=CustomerProfile.objects.get(pk=profile.pk),
            mode="sending_domain",
            from_addresses=["surveys@ownorg.example", "hr@ownorg.example"],
            display_name="Own Org surveys",
            customer_address="luke@ownorg.example",
        )

    assert _at_once(save) == []
    assert selectors.from_addresses(CustomerProfile.objects.get(pk=profile.pk)) == [
        "surveys@ownorg.example",
        "hr@ownorg.example",
    ]


def test_identical_ticks_at_once_all_succeed() -> None:
    profile = make_complete_profile()
    account = profile.recipient_accounts.all()[0]
    assert account is not None

    def tick() -> None:
        services.checklist_tick_set(
            profile=CustomerProfile.objects.get(pk=profile.pk),
            account_ref=account.ref,
            step_key="permitted_senders-1",
            done=True,
        )

    assert _at_once(tick) == []
    assert ChecklistTick.objects.filter(profile=profile).count() == 1
