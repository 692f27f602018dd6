"""About you, how you send, options, completion and the wizard position."""

from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.customers import selectors
from apps.customers.models import WIZARD_STEPS, Basis, CustomerProfile, SenderAddress, SendingMode
from apps.customers.services._common import (
    email,
    lock_profile,
    normalised_list,
    raise_if,
    reason,
    save_answers,
    text,
)
from apps.customers.validation import normalise_email
from apps.policies.addresses import domain_of
from apps.policies.limits import MAX_FROM_ADDRESSES

# --- About you ----------------------------------------------------------------------------------


def _about(
    organisation: str, contact_name: str, contact_email: str, account_reference: str
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {
        "organisation": text(errors, "organisation", organisation, required=True, limit=200),
        "contact_name": text(errors, "contact_name", contact_name, required=True, limit=200),
        "contact_email": email(errors, "contact_email", contact_email, required=True),
        "account_reference": text(
            errors, "account_reference", account_reference, required=False, limit=100
        ),
    }
    raise_if(errors)
    return values


@transaction.atomic
def profile_create(
    *, organisation: str, contact_name: str, contact_email: str, account_reference: str = ""
) -> CustomerProfile:
    profile = CustomerProfile(
        **_about(organisation, contact_name, contact_email, account_reference), wizard_step=2
    )
    reason(profile, "Created (about you)")
    profile.save()
    return profile


@transaction.atomic
def profile_update_about(
    *,
    profile: CustomerProfile,
    organisation: str,
    contact_name: str,
    contact_email: str,
    account_reference: str = "",
    next_step: int | None = None,
) -> CustomerProfile:
    """Step 1's answers; with `next_step`, the customer moves on to it in the same transaction."""
    for field, value in _about(
        organisation, contact_name, contact_email, account_reference
    ).items():
        setattr(profile, field, value)
    reason(profile, "About you")
    save_answers(profile)
    _move_to(profile, next_step)
    return profile


@transaction.atomic
def wizard_step_set(*, profile: CustomerProfile, step: int) -> CustomerProfile:
    """Where the resume link brings the customer back to (1–5, or 6 for the instructions)."""
    _move_to(profile, step)
    return profile


def _move_to(profile: CustomerProfile, step: int | None) -> None:
    """Set the wizard position (`wizard_step_set`; nothing for None) in the caller's
    transaction: a step's service saves the answers and moves the customer on as one write."""
    if step is None:
        return
    step = max(1, min(step, WIZARD_STEPS + 1))
    if profile.wizard_step != step:
        CustomerProfile.objects.filter(pk=profile.pk).update(wizard_step=step)
        profile.wizard_step = step


# --- How you send -------------------------------------------------------------------------------


@transaction.atomic
def sending_identity_set(
    *,
    profile: CustomerProfile,
    mode: str,
    from_addresses: Iterable[str],
    display_name: str,
    customer_address: str,
    permit_whole_domain: bool = False,
    next_step: int | None = None,
) -> CustomerProfile:
    """Step 2's answers; with `next_step`, the customer moves on to it in the same transaction."""
    errors: dict[str, list[str]] = {}
    if mode not in SendingMode.values:
        errors["mode"] = ["Choose how your invitations are sent."]
    display = text(errors, "display_name", display_name, required=False, limit=200)
    own = email(
        errors,
        "customer_address",
        customer_address,
        required=mode == SendingMode.UNVERIFIED_ADDRESS,
    )
    addresses: list[str] = []
    if mode in (SendingMode.VERIFIED_ADDRESS, SendingMode.SENDING_DOMAIN):
        addresses = normalised_list(
            errors,
            "from_addresses",
            from_addresses,
            normalise_email,
            empty="Enter the address your invitations are sent from.",
            limit=MAX_FROM_ADDRESSES,
            too_many=f"Enter at most {MAX_FROM_ADDRESSES} From addresses.",
        )
        domains = {domain_of(address) for address in addresses}
        if mode == SendingMode.SENDING_DOMAIN and len(domains) > 1:
            errors.setdefault("from_addresses", []).append(
                "Every From address must be at your one sending domain "
                f"(these are at {', '.join(sorted(domains))})."
            )
    raise_if(errors)

    lock_profile(profile)
    old_domain = selectors.sending_domain(profile)
    profile.sending_mode = mode
    profile.display_name = display
    profile.customer_address = own
    profile.permit_whole_domain = bool(permit_whole_domain) and mode == SendingMode.SENDING_DOMAIN
    profile.sender_addresses.all().delete()
    for position, address in enumerate(addresses):
        sender = SenderAddress(
            profile=profile, address=address, domain=domain_of(address), position=position
        )
        reason(sender, "How you send")
        sender.save()
    if selectors.sending_domain(profile) != old_domain:
        profile.sending_domain_report = {}
        profile.sending_domain_checked_at = None
    reason(profile, "How you send")
    save_answers(profile)
    _move_to(profile, next_step)
    return profile


# --- Options and completion ----------------------------------------------------------------------


@transaction.atomic
def options_set(
    *,
    profile: CustomerProfile,
    basis: str,
    bulk_refs: Collection[str],
    api_refs: Collection[str] = (),
    unique_links: bool = True,
    next_step: int | None = None,
) -> CustomerProfile:
    """Step 4's answers; with `next_step`, the customer moves on to it in the same transaction."""
    if basis not in Basis.values:
        raise ValidationError({"basis": ["Choose what the policies should match on."]})
    accounts = list(profile.recipient_accounts.all())
    refs = {account.ref for account in accounts}
    for field, chosen in (("bulk_refs", bulk_refs), ("api_refs", api_refs)):
        if set(chosen) - refs:
            raise ValidationError(
                {field: ["One of the organisations chosen is not in this profile."]}
            )
    for account in accounts:
        bulk, api = account.ref in bulk_refs, account.ref in api_refs
        if (account.bulk, account.mimecast_api) != (bulk, api):
            account.bulk, account.mimecast_api = bulk, api
            reason(account, "Options")
            account.save()
    profile.basis = basis
    profile.unique_links = bool(unique_links)
    reason(profile, "Options")
    save_answers(profile)
    _move_to(profile, next_step)
    return profile


@transaction.atomic
def profile_complete(*, profile: CustomerProfile) -> CustomerProfile:
    raise_if(selectors.missing_answers(profile))
    profile.wizard_step = WIZARD_STEPS + 1
    reason(profile, "Completed")
    profile.save()
    return profile
