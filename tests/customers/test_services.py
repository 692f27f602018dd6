from typing import Any

import pytest
from django.core.exceptions import ValidationError

from apps.customers import selectors, services
from apps.customers.models import (
    Basis,
    ChecklistTick,
    CustomerProfile,
    RecipientAccount,
    RecipientDomain,
    SendingMode,
)
from apps.policies import types
from apps.policies.limits import MAX_DOMAINS_PER_ACCOUNT, MAX_RECIPIENT_ACCOUNTS
from tests.customers.factories import (
    make_account,
    make_complete_profile,
    make_profile,
    make_share_link,
)

pytestmark = pytest.mark.django_db


def test_it_creates_a_profile_with_a_long_random_token() -> None:
    profile = make_profile(contact_email="Luke@OwnOrg.Example")
    assert profile.contact_email == "luke@ownorg.example"
    assert len(profile.token) >= 43  # 32 bytes, URL-safe base64
    assert not selectors.is_complete(profile)
    assert profile.history.count() == 1


def test_it_rejects_a_bad_contact_email_keyed_by_field() -> None:
    with pytest.raises(ValidationError) as caught:
        make_profile(contact_email="not an address", organisation="")
    assert set(caught.value.message_dict) == {"contact_email", "organisation"}
    assert CustomerProfile.objects.count() == 0


def test_it_updates_about_you_and_keeps_history() -> None:
    profile = make_profile()
    services.profile_update_about(
        profile=profile, organisation="New name", contact_name="L", contact_email="l@x.example"
    )
    profile.refresh_from_db()
    assert profile.organisation == "New name"
    assert [h.organisation for h in profile.history.order_by("history_id")] == [
        "Example Surveys Ltd",
        "New name",
    ]


def test_it_requires_the_customer_address_in_unverified_mode() -> None:
    profile = make_profile()
    with pytest.raises(ValidationError) as caught:
        services.sending_identity_set(
            profile=profile,
            mode="unverified_address",
            from_addresses=[],
            display_name="",
            customer_address="",
        )
    assert "customer_address" in caught.value.message_dict


def test_it_rejects_sending_domain_addresses_at_two_domains() -> None:
    profile = make_profile()
    with pytest.raises(ValidationError) as caught:
        services.sending_identity_set(
            profile=profile,
            mode="sending_domain",
            from_addresses=["a@one.example", "b@two.example"],
            display_name="",
            customer_address="",
        )
    assert "from_addresses" in caught.value.message_dict
    assert profile.sender_addresses.count() == 0


def test_it_replaces_the_from_addresses_and_finds_the_sending_domain() -> None:
    profile = make_profile()
    for addresses in (["a@old.example"], ["Surveys@OwnOrg.example", "hr@ownorg.example"]):
        services.sending_identity_set(
            profile=profile,
            mode="sending_domain",
            from_addresses=addresses,
            display_name="HR",
            customer_address="",
        )
    assert list(profile.sender_addresses.values_list("address", flat=True)) == [
        "surveys@ownorg.example",
        "hr@ownorg.example",
    ]
    assert selectors.sending_domain(profile) == "ownorg.example"


def test_it_rejects_a_duplicate_domain_across_organisations() -> None:
    profile = make_profile()
    make_account(profile)
    with pytest.raises(ValidationError) as caught:
        make_account(profile, organisation="Other", domains=["PartnerOrg.example."])
    assert "already listed under Partner Org" in caught.value.message_dict["domains"][0]
    assert RecipientAccount.objects.count() == 1


def test_it_rejects_a_duplicate_organisation_name() -> None:
    profile = make_profile()
    make_account(profile)
    with pytest.raises(ValidationError) as caught:
        make_account(profile, organisation="partner org", domains=["other.example"])
    assert "organisation" in caught.value.message_dict


def test_it_rejects_too_many_domains_and_saves_none() -> None:
    profile = make_profile()
    domains = [f"d{i}.example" for i in range(MAX_DOMAINS_PER_ACCOUNT + 1)]
    with pytest.raises(ValidationError) as caught:
        make_account(profile, domains=domains)
    assert f"at most {MAX_DOMAINS_PER_ACCOUNT} domains" in caught.value.message_dict["domains"][0]
    assert RecipientDomain.objects.count() == 0


def test_it_rejects_more_than_the_account_limit() -> None:
    profile = make_profile()
    for i in range(MAX_RECIPIENT_ACCOUNTS):
        make_account(profile, organisation=f"Org {i}", domains=[f"o{i}.example"])
    with pytest.raises(ValidationError) as caught:
        make_account(profile, organisation="One more", domains=["more.example"])
    assert (
        f"at most {MAX_RECIPIENT_ACCOUNTS} organisations"
        in caught.value.message_dict["organisation"][0]
    )


def test_it_keeps_dns_facts_of_domains_that_stay_on_update() -> None:
    profile = make_profile()
    account = make_account(profile, domains=["a.example", "b.example"])
    account.domains.filter(domain="a.example").update(gateway="mimecast", region="eu")
    services.recipient_account_update(
        account=account, organisation="Renamed", domains=["c.example", "a.example"]
    )
    rows = list(account.domains.order_by("position"))
    assert [(r.domain, r.gateway) for r in rows] == [("c.example", ""), ("a.example", "mimecast")]


def test_it_removes_an_account_with_its_ticks() -> None:
    profile = make_complete_profile()
    account = profile.recipient_accounts.all()[0]
    services.checklist_tick_set(profile=profile, account_ref=account.ref, step_key="s-1", done=True)
    services.recipient_account_remove(account=account)
    assert ChecklistTick.objects.count() == 0
    assert profile.recipient_accounts.count() == 1


def test_it_sets_options_and_bulk_by_ref() -> None:
    profile = make_complete_profile()
    first, second = profile.recipient_accounts.order_by("position")
    services.options_set(profile=profile, basis="address_and_ip", bulk_refs={second.ref})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.bulk, second.bulk) == (False, True)
    profile.refresh_from_db()
    assert profile.basis == "address_and_ip"


def test_it_rejects_an_unknown_basis_or_foreign_ref() -> None:
    profile = make_complete_profile()
    other = make_account(make_profile(), organisation="Elsewhere", domains=["else.example"])
    with pytest.raises(ValidationError):
        services.options_set(profile=profile, basis="hostname", bulk_refs=set())
    with pytest.raises(ValidationError):
        services.options_set(profile=profile, basis="ip", bulk_refs={other.ref})
    profile.refresh_from_db()
    assert profile.basis == "address"


def test_it_completes_only_a_profile_with_mode_and_recipients() -> None:
    with pytest.raises(ValidationError):
        services.profile_complete(profile=make_profile())
    profile = services.profile_complete(profile=make_complete_profile())
    assert selectors.is_complete(profile)


def test_it_ticks_and_unticks_a_step_once() -> None:
    profile = make_complete_profile()
    ref = profile.recipient_accounts.all()[0].ref
    link = make_share_link(profile, label="IT")
    for _ in range(2):
        services.checklist_tick_set(
            profile=profile, share_link=link, account_ref=ref, step_key="k", done=True
        )
    assert ChecklistTick.objects.get().share_link == link
    services.checklist_tick_set(profile=profile, account_ref=ref, step_key="k", done=False)
    assert ChecklistTick.objects.count() == 0


def test_it_refuses_ticks_through_a_revoked_or_foreign_link() -> None:
    profile = make_complete_profile()
    ref = profile.recipient_accounts.all()[0].ref
    link = services.share_link_revoke(share_link=make_share_link(profile))
    foreign = make_share_link(make_profile())
    for share_link in (link, foreign):
        with pytest.raises(ValidationError):
            services.checklist_tick_set(
                profile=profile, share_link=share_link, account_ref=ref, step_key="k", done=True
            )
    with pytest.raises(ValidationError):
        services.checklist_tick_set(profile=profile, account_ref="nope", step_key="k", done=True)
    assert ChecklistTick.objects.count() == 0


# --- Rules found untested by breaking them on purpose ---------------------------------------------


def test_it_refuses_a_from_address_listed_twice_and_saves_nothing() -> None:
    profile = make_profile()
    with pytest.raises(ValidationError) as caught:
        services.sending_identity_set(
            profile=profile,
            mode="verified_address",
            from_addresses=["surveys@ownorg.example", "Surveys@OwnOrg.Example"],
            display_name="",
            customer_address="",
        )
    assert caught.value.message_dict["from_addresses"] == [
        "surveys@ownorg.example is listed twice."
    ]
    assert not profile.sender_addresses.exists()
    assert CustomerProfile.objects.get(pk=profile.pk).sending_mode == profile.sending_mode


def test_it_refuses_a_recipient_domain_listed_twice_in_one_organisation() -> None:
    profile = make_profile()
    with pytest.raises(ValidationError) as caught:
        make_account(profile, domains=["partnerorg.example", "PartnerOrg.example."])
    assert caught.value.message_dict["domains"] == ["partnerorg.example is listed twice."]
    assert not RecipientAccount.objects.exists() and not RecipientDomain.objects.exists()


def test_a_new_sending_domain_discards_the_old_domains_dns_report(test_dns: object) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    profile.refresh_from_db()
    assert profile.sending_domain_report["domain"] == "ownorg.example"

    def send_from(*addresses: str) -> CustomerProfile:
        services.sending_identity_set(
            profile=profile,
            mode="sending_domain",
            from_addresses=addresses,
            display_name="",
            customer_address="",
        )
        return CustomerProfile.objects.get(pk=profile.pk)

    # Another address at the same domain keeps what DNS said about the domain...
    kept = send_from("hr@ownorg.example")
    assert kept.sending_domain_report["domain"] == "ownorg.example"
    assert kept.sending_domain_checked_at is not None
    # ...another domain must not inherit it.
    moved = send_from("surveys@m365org.example")
    assert moved.sending_domain_report == {}
    assert moved.sending_domain_checked_at is None


def test_saving_an_earlier_step_moves_the_resume_point_back() -> None:
    profile = services.profile_complete(profile=make_complete_profile())
    assert profile.wizard_step == 6
    services.wizard_step_set(profile=profile, step=2)
    assert CustomerProfile.objects.get(pk=profile.pk).wizard_step == 2


def test_a_steps_answers_and_the_move_to_the_next_step_are_one_write() -> None:
    profile = make_profile()
    assert profile.wizard_step == 2
    about: dict[str, Any] = {"contact_name": "Ann", "contact_email": "ann@org.example"}
    with pytest.raises(ValidationError):  # answers refused: the customer stays where they were
        services.profile_update_about(profile=profile, organisation="", **about, next_step=3)
    assert CustomerProfile.objects.get(pk=profile.pk).wizard_step == 2
    services.profile_update_about(profile=profile, organisation="Org", **about, next_step=3)
    assert CustomerProfile.objects.get(pk=profile.pk).wizard_step == 3
    services.profile_update_about(profile=profile, organisation="Org", **about)  # stays
    assert CustomerProfile.objects.get(pk=profile.pk).wizard_step == 3


def test_a_completed_profile_is_a_draft_again_once_its_last_organisation_goes() -> None:
    """Complete is derived, not stored: finishing the wizard and still having answers that make
    instructions (support saw "Complete" on a profile with nothing left to instruct)."""
    profile = make_complete_profile()
    services.profile_complete(profile=profile)
    assert selectors.is_complete(profile)
    for account in list(profile.recipient_accounts.all()):
        services.recipient_account_remove(account=account)
    assert not selectors.is_complete(profile)


def test_the_profiles_choices_are_the_engines_values() -> None:
    assert [c.value for c in SendingMode] == [m.value for m in types.Mode]
    assert [c.value for c in Basis] == [b.value for b in types.Basis]
