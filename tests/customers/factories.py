"""Small builders for customer profiles in tests."""

from typing import Any

from apps.customers import services
from apps.customers.models import CustomerProfile, RecipientAccount, ShareLink


def make_profile(**about: Any) -> CustomerProfile:
    values = {
        "organisation": "Example Surveys Ltd",
        "contact_name": "Luke Example",
        "contact_email": "luke@ownorg.example",
        **about,
    }
    return services.profile_create(**values)


def make_account(profile: CustomerProfile, **values: Any) -> RecipientAccount:
    defaults: dict[str, Any] = {"organisation": "Partner Org", "domains": ["partnerorg.example"]}
    return services.recipient_account_add(profile=profile, **{**defaults, **values})


def make_complete_profile() -> CustomerProfile:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=["surveys@ownorg.example"],
        display_name="Own Org surveys",
        customer_address="luke@ownorg.example",
    )
    make_account(profile, organisation="Own Org", domains=["ownorg.example"])
    make_account(profile)
    return profile


def make_checked_profile(from_address: str, *accounts: tuple[str, list[str]]) -> CustomerProfile:
    """A finished profile sending as `from_address` (its own domain) to `accounts` (organisation,
    domains; Partner Org when none), with its DNS looked up against the test server."""
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=[from_address],
        display_name="",
        customer_address="luke@ownorg.example",
    )
    for organisation, domains in accounts or (("Partner Org", ["partnerorg.example"]),):
        make_account(profile, organisation=organisation, domains=domains)
    services.dns_recheck(profile=profile)
    return services.profile_complete(profile=profile)


def make_share_link(
    profile: CustomerProfile, *, account: RecipientAccount | None = None, label: str = ""
) -> ShareLink:
    """A share link for `account`, by default the profile's first organisation (one is added
    when it has none)."""
    if account is None:
        account = profile.recipient_accounts.order_by("position", "id").first() or make_account(
            profile
        )
    return services.share_link_create(profile=profile, account_ref=account.ref, label=label)
