"""Recipient organisations (one Mimecast account each) and their domains."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from apps.customers.models import ChecklistTick, CustomerProfile, RecipientAccount, RecipientDomain
from apps.customers.services._common import (
    email,
    normalised_list,
    raise_if,
    reason,
    text,
    touch,
)
from apps.customers.validation import normalise_domain
from apps.policies.limits import MAX_DOMAINS_PER_ACCOUNT, MAX_RECIPIENT_ACCOUNTS

# --- Who receives -------------------------------------------------------------------------------


def _account_values(
    *,
    profile: CustomerProfile,
    account: RecipientAccount | None,
    organisation: str,
    domains: Iterable[str],
    it_contact_email: str,
) -> tuple[str, list[str], str]:
    errors: dict[str, list[str]] = {}
    name = text(errors, "organisation", organisation, required=True, limit=200)
    contact = email(errors, "it_contact_email", it_contact_email, required=False)
    cleaned = normalised_list(
        errors,
        "domains",
        domains,
        normalise_domain,
        empty="Enter at least one email domain of this organisation.",
        limit=MAX_DOMAINS_PER_ACCOUNT,
        too_many=f"Enter at most {MAX_DOMAINS_PER_ACCOUNT} domains for one organisation.",
    )
    others = profile.recipient_accounts.all()
    if account is not None:
        others = others.exclude(pk=account.pk)
    if name and others.filter(organisation__iexact=name).exists():
        errors.setdefault("organisation", []).append(f"You have already added {name}.")
    taken = RecipientDomain.objects.filter(account__in=others, domain__in=cleaned)
    for row in taken.select_related("account"):
        errors.setdefault("domains", []).append(
            f"{row.domain} is already listed under {row.account.organisation}."
        )
    raise_if(errors)
    return name, cleaned, contact


@transaction.atomic
def recipient_account_add(
    *,
    profile: CustomerProfile,
    organisation: str,
    domains: Iterable[str],
    bulk: bool = False,
    it_contact_email: str = "",
) -> RecipientAccount:
    # Lock the profile so two concurrent adds cannot both pass the limit check.
    CustomerProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if profile.recipient_accounts.count() >= MAX_RECIPIENT_ACCOUNTS:
        raise ValidationError(
            {"organisation": [f"You can add at most {MAX_RECIPIENT_ACCOUNTS} organisations."]}
        )
    name, cleaned, contact = _account_values(
        profile=profile,
        account=None,
        organisation=organisation,
        domains=domains,
        it_contact_email=it_contact_email,
    )
    last = profile.recipient_accounts.aggregate(last=Max("position"))["last"]
    account = RecipientAccount(
        profile=profile,
        organisation=name,
        bulk=bool(bulk),
        it_contact_email=contact,
        position=0 if last is None else last + 1,
    )
    reason(account, "Who receives: added")
    account.save()
    for position, domain in enumerate(cleaned):
        row = RecipientDomain(account=account, domain=domain, position=position)
        reason(row, "Who receives: added")
        row.save()
    touch(profile)
    return account


@transaction.atomic
def recipient_account_update(
    *,
    account: RecipientAccount,
    organisation: str,
    domains: Iterable[str],
    bulk: bool | None = None,
    it_contact_email: str = "",
) -> RecipientAccount:
    """Keeps the stored DNS facts of domains that stay; new domains start unchecked."""
    name, cleaned, contact = _account_values(
        profile=account.profile,
        account=account,
        organisation=organisation,
        domains=domains,
        it_contact_email=it_contact_email,
    )
    account.organisation = name
    account.it_contact_email = contact
    if bulk is not None:
        account.bulk = bool(bulk)
    reason(account, "Who receives: changed")
    account.save()
    existing = {row.domain: row for row in account.domains.all()}
    for domain, row in existing.items():
        if domain not in cleaned:
            reason(row, "Who receives: removed")
            row.delete()
    for position, domain in enumerate(cleaned):
        row = existing.get(domain) or RecipientDomain(account=account, domain=domain)
        if row.pk is None or row.position != position:
            row.position = position
            reason(row, "Who receives: changed")
            row.save()
    touch(account.profile)
    return account


@transaction.atomic
def recipient_account_remove(*, account: RecipientAccount) -> None:
    profile = account.profile
    ChecklistTick.objects.filter(profile=profile, account_ref=account.ref).delete()
    reason(account, "Who receives: removed")
    account.delete()
    touch(profile)
