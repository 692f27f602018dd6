"""A tick belongs to the exact step content it was given for (issue 12, item 7)."""

from dataclasses import replace

import pytest

from apps.customers import selectors, services
from apps.customers.models import ChecklistTick
from apps.customers.stepprints import seen_steps, step_changes, step_fingerprint
from apps.policies.types import Setting
from tests.customers.factories import make_complete_profile, make_share_link


def _plan(profile):
    return selectors.plan_for_profile(profile)


@pytest.fixture
def profile(db: None, test_dns: object):
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    return profile


def test_the_fingerprint_follows_every_setting(profile) -> None:
    step = _plan(profile).accounts[1].steps[0]
    assert step_fingerprint(step) == step_fingerprint(replace(step, why="other words"))
    other = replace(step, settings=(*step.settings[:-1], Setting(step.settings[-1].field, "x")))
    assert step_fingerprint(other) != step_fingerprint(step)
    assert step_fingerprint(replace(step, title="Another")) != step_fingerprint(step)


def test_a_changed_step_loses_its_tick_and_an_unchanged_one_keeps_it(profile) -> None:
    partner = _plan(profile).accounts[1]
    for step in partner.steps:
        services.checklist_tick_set(
            profile=profile,
            account_ref=partner.ref,
            step_key=step.key,
            done=True,
            fingerprint=step_fingerprint(step),
        )
    services.options_set(profile=profile, basis="address_and_ip", bulk_refs=set())
    ticks = selectors.checklist_for_plan(profile, _plan(profile))
    assert (partner.ref, "permitted_senders-1") not in ticks
    assert (partner.ref, "verify-1") in ticks
    assert ChecklistTick.objects.count() == len(partner.steps)  # kept, just not counted


def test_old_ticks_are_tied_to_the_step_as_first_shown(profile) -> None:
    partner = _plan(profile).accounts[1]
    services.checklist_tick_set(
        profile=profile, account_ref=partner.ref, step_key="permitted_senders-1", done=True
    )
    from apps.customers.stepprints import plan_fingerprints

    services.checklist_ticks_stamp(profile=profile, fingerprints=plan_fingerprints(_plan(profile)))
    assert ChecklistTick.objects.get().fingerprint == step_fingerprint(partner.steps[0])


def test_it_says_what_was_added_changed_and_is_no_longer_needed(profile) -> None:
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=["surveys@ownorg.example", "news@ownorg.example"],
        display_name="",
        customer_address="",
    )
    before = seen_steps(_plan(profile).accounts[1])
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=["surveys@ownorg.example"],
        display_name="",
        customer_address="",
    )
    services.options_set(profile=profile, basis="address_and_ip", bulk_refs=set())
    changes = step_changes(before, _plan(profile).accounts[1])
    assert changes.added == []
    # The permit for surveys@ now names the platform's IPs; the steps that listed both
    # addresses (URL Protection, the check) changed too; news@'s permit is no longer needed.
    assert "Permit the sender (Permitted Senders)" in changes.changed
    assert len(changes.removed) == 1
    assert changes.removed[0].startswith("You can delete the Permitted Senders policy named “")
    assert "news@ownorg.example" in changes.removed[0]


def test_the_first_visit_has_no_changes_and_each_change_is_said_once(profile) -> None:
    link = make_share_link(profile, account=profile.recipient_accounts.reverse()[0])
    partner = _plan(profile).accounts[1]
    assert not services.share_link_seen(share_link=link, account=partner)
    services.options_set(profile=profile, basis="address_and_ip", bulk_refs=set())
    partner = _plan(profile).accounts[1]
    assert services.share_link_seen(share_link=link, account=partner).changed
    assert not services.share_link_seen(share_link=link, account=partner)
