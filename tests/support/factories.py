"""Small builders for support console tests: profiles with accounts, domains and senders."""

from __future__ import annotations

from itertools import count

from django.contrib.auth.models import User

from apps.customers.models import (
    CustomerProfile,
    RecipientAccount,
    RecipientDomain,
    SenderAddress,
    SendingMode,
)

_numbers = count(1)


def make_staff(username: str = "agent", *, staff: bool = True) -> User:
    return User.objects.create_user(
        username=username, password="not-used-in-tests-7Yq!", is_staff=staff
    )


def make_profile(
    organisation: str = "Acme Research Ltd",
    *,
    contact_name: str = "Jo Bloggs",
    contact_email: str | None = None,
    account_reference: str = "",
    recipients: dict[str, list[str]] | None = None,
    senders: list[str] = (),  # type: ignore[assignment]
    gateway: str = "",
) -> CustomerProfile:
    n = next(_numbers)
    profile = CustomerProfile.objects.create(
        organisation=organisation,
        contact_name=contact_name,
        contact_email=contact_email or f"contact{n}@customer{n}.example",
        account_reference=account_reference,
        sending_mode=SendingMode.VERIFIED_ADDRESS if senders else SendingMode.UNVERIFIED_ADDRESS,
        customer_address=contact_email or f"contact{n}@customer{n}.example",
    )
    for position, (name, domains) in enumerate((recipients or {}).items()):
        account = RecipientAccount.objects.create(
            profile=profile, organisation=name, position=position
        )
        for index, domain in enumerate(domains):
            RecipientDomain.objects.create(
                account=account, domain=domain, gateway=gateway, position=index
            )
    for position, address in enumerate(senders):
        SenderAddress.objects.create(
            profile=profile, address=address, domain=address.rpartition("@")[2], position=position
        )
    return profile
