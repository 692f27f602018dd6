"""Small builders for customer profiles in tests."""

from typing import Any

from apps.customers import services
from apps.customers.models import CustomerProfile, RecipientAccount


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
