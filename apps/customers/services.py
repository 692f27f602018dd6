"""Every write to a customer's profile. Keyword-only, one transaction each.

Bad input raises `django.core.exceptions.ValidationError` keyed by field, before anything is
written, so a failed call changes nothing. History (django-simple-history) records each change:
support staff edits carry their user through the request middleware; customers are anonymous,
so their changes carry no user and a change reason naming the wizard step.
"""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.customers import dnsfacts
from apps.customers.models import (
    MAX_DOMAINS_PER_ACCOUNT,
    MAX_FROM_ADDRESSES,
    MAX_RECIPIENT_ACCOUNTS,
    WIZARD_STEPS,
    Basis,
    ChecklistTick,
    CustomerProfile,
    PlanRecord,
    RecipientAccount,
    RecipientDomain,
    SenderAddress,
    SendingMode,
    ShareLink,
)
from apps.customers.validation import normalise_domain, normalise_email
from apps.policies.types import Plan

# --- Helpers ------------------------------------------------------------------------------------


def _text(
    errors: dict[str, list[str]], field: str, value: str, *, required: bool, limit: int
) -> str:
    cleaned = " ".join((value or "").split())  # one line: these end up in headers and forms
    if required and not cleaned:
        errors.setdefault(field, []).append("This field is required.")
    elif len(cleaned) > limit:
        errors.setdefault(field, []).append(f"Keep this under {limit} characters.")
    return cleaned


def _email(errors: dict[str, list[str]], field: str, value: str, *, required: bool) -> str:
    if not (value or "").strip():
        if required:
            errors.setdefault(field, []).append("Enter an email address.")
        return ""
    try:
        return normalise_email(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return ""


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _reason(obj: Any, reason: str) -> None:
    obj._change_reason = reason  # read by simple_history when the row is saved


# --- About you ----------------------------------------------------------------------------------


def _about(
    organisation: str, contact_name: str, contact_email: str, account_reference: str
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {
        "organisation": _text(errors, "organisation", organisation, required=True, limit=200),
        "contact_name": _text(errors, "contact_name", contact_name, required=True, limit=200),
        "contact_email": _email(errors, "contact_email", contact_email, required=True),
        "account_reference": _text(
            errors, "account_reference", account_reference, required=False, limit=100
        ),
    }
    _raise(errors)
    return values


@transaction.atomic
def profile_create(
    *, organisation: str, contact_name: str, contact_email: str, account_reference: str = ""
) -> CustomerProfile:
    profile = CustomerProfile(
        **_about(organisation, contact_name, contact_email, account_reference), wizard_step=2
    )
    _reason(profile, "Created (about you)")
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
) -> CustomerProfile:
    for field, value in _about(
        organisation, contact_name, contact_email, account_reference
    ).items():
        setattr(profile, field, value)
    _reason(profile, "About you")
    profile.save()
    return profile


@transaction.atomic
def wizard_step_set(*, profile: CustomerProfile, step: int) -> CustomerProfile:
    """Where the resume link brings the customer back to (1–5, or 6 for the instructions)."""
    step = max(1, min(step, WIZARD_STEPS + 1))
    if profile.wizard_step != step:
        CustomerProfile.objects.filter(pk=profile.pk).update(wizard_step=step)
        profile.wizard_step = step
    return profile


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
) -> CustomerProfile:
    errors: dict[str, list[str]] = {}
    if mode not in SendingMode.values:
        errors["mode"] = ["Choose how your invitations are sent."]
    display = _text(errors, "display_name", display_name, required=False, limit=200)
    own = _email(
        errors,
        "customer_address",
        customer_address,
        required=mode == SendingMode.UNVERIFIED_ADDRESS,
    )
    addresses: list[str] = []
    if mode in (SendingMode.VERIFIED_ADDRESS, SendingMode.SENDING_DOMAIN):
        for raw in from_addresses:
            if not raw.strip():
                continue
            try:
                address = normalise_email(raw)
            except ValidationError as error:
                errors.setdefault("from_addresses", []).extend(error.messages)
                continue
            if address in addresses:
                errors.setdefault("from_addresses", []).append(f"{address} is listed twice.")
            addresses.append(address)
        if not addresses and "from_addresses" not in errors:
            errors["from_addresses"] = ["Enter the address your invitations are sent from."]
        if len(addresses) > MAX_FROM_ADDRESSES:
            errors.setdefault("from_addresses", []).append(
                f"Enter at most {MAX_FROM_ADDRESSES} From addresses."
            )
        domains = {address.rpartition("@")[2] for address in addresses}
        if mode == SendingMode.SENDING_DOMAIN and len(domains) > 1:
            errors.setdefault("from_addresses", []).append(
                "Every From address must be at your one sending domain "
                f"(these are at {', '.join(sorted(domains))})."
            )
    _raise(errors)

    old_domain = sending_domain(profile)
    profile.sending_mode = mode
    profile.display_name = display
    profile.customer_address = own
    profile.permit_whole_domain = bool(permit_whole_domain) and mode == SendingMode.SENDING_DOMAIN
    profile.sender_addresses.all().delete()
    for position, address in enumerate(addresses):
        sender = SenderAddress(
            profile=profile, address=address, domain=address.rpartition("@")[2], position=position
        )
        _reason(sender, "How you send")
        sender.save()
    if sending_domain(profile) != old_domain:
        profile.sending_domain_report = {}
        profile.sending_domain_checked_at = None
    _reason(profile, "How you send")
    profile.save()
    return profile


def sending_domain(profile: CustomerProfile) -> str:
    """The customer's sending domain ("" unless the mode is sending_domain)."""
    if profile.sending_mode != SendingMode.SENDING_DOMAIN or profile.pk is None:
        return ""
    first = profile.sender_addresses.order_by("position", "id").first()
    return first.domain if first else ""


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
    name = _text(errors, "organisation", organisation, required=True, limit=200)
    contact = _email(errors, "it_contact_email", it_contact_email, required=False)
    cleaned: list[str] = []
    for raw in domains:
        if not raw.strip():
            continue
        try:
            domain = normalise_domain(raw)
        except ValidationError as error:
            errors.setdefault("domains", []).extend(error.messages)
            continue
        if domain in cleaned:
            errors.setdefault("domains", []).append(f"{domain} is listed twice.")
        cleaned.append(domain)
    if not cleaned and "domains" not in errors:
        errors["domains"] = ["Enter at least one email domain of this organisation."]
    if len(cleaned) > MAX_DOMAINS_PER_ACCOUNT:
        errors.setdefault("domains", []).append(
            f"Enter at most {MAX_DOMAINS_PER_ACCOUNT} domains for one organisation."
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
    _raise(errors)
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
    _reason(account, "Who receives: added")
    account.save()
    for position, domain in enumerate(cleaned):
        row = RecipientDomain(account=account, domain=domain, position=position)
        _reason(row, "Who receives: added")
        row.save()
    _touch(profile)
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
    _reason(account, "Who receives: changed")
    account.save()
    existing = {row.domain: row for row in account.domains.all()}
    for domain, row in existing.items():
        if domain not in cleaned:
            _reason(row, "Who receives: removed")
            row.delete()
    for position, domain in enumerate(cleaned):
        row = existing.get(domain) or RecipientDomain(account=account, domain=domain)
        if row.pk is None or row.position != position:
            row.position = position
            _reason(row, "Who receives: changed")
            row.save()
    _touch(account.profile)
    return account


@transaction.atomic
def recipient_account_remove(*, account: RecipientAccount) -> None:
    profile = account.profile
    ChecklistTick.objects.filter(profile=profile, account_ref=account.ref).delete()
    _reason(account, "Who receives: removed")
    account.delete()
    _touch(profile)


def _touch(profile: CustomerProfile) -> None:
    CustomerProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now())


# --- Options and completion ----------------------------------------------------------------------


@transaction.atomic
def options_set(*, profile: CustomerProfile, basis: str, bulk_refs: set[str]) -> CustomerProfile:
    if basis not in Basis.values:
        raise ValidationError({"basis": ["Choose what the policies should match on."]})
    accounts = list(profile.recipient_accounts.all())
    unknown = set(bulk_refs) - {account.ref for account in accounts}
    if unknown:
        raise ValidationError(
            {"bulk_refs": ["One of the organisations chosen is not in this profile."]}
        )
    for account in accounts:
        bulk = account.ref in bulk_refs
        if account.bulk != bulk:
            account.bulk = bulk
            _reason(account, "Options")
            account.save()
    profile.basis = basis
    _reason(profile, "Options")
    profile.save()
    return profile


@transaction.atomic
def profile_complete(*, profile: CustomerProfile) -> CustomerProfile:
    errors: dict[str, list[str]] = {}
    if not profile.sending_mode:
        errors["sending_mode"] = ["Tell us how your invitations are sent (step 2)."]
    if not profile.recipient_accounts.exists():
        errors["recipient_accounts"] = [
            "Add at least one organisation that receives them (step 3)."
        ]
    _raise(errors)
    profile.status = CustomerProfile.Status.COMPLETE
    profile.wizard_step = WIZARD_STEPS + 1
    _reason(profile, "Completed")
    profile.save()
    return profile


# --- DNS facts ------------------------------------------------------------------------------------


def dns_recheck(*, profile: CustomerProfile) -> None:
    """Look up every recipient domain and the sending domain (concurrently, outside any
    transaction: no locks held while waiting on DNS), then store what was found. Never raises
    on DNS failure: a failed lookup is stored as such."""
    domains = list(
        RecipientDomain.objects.filter(account__profile=profile).values_list("domain", flat=True)
    )
    results = dnsfacts.check_all(domains, sending_domain(profile))
    with transaction.atomic():
        dnsfacts.store(profile, results)


def sending_domain_check(*, profile: CustomerProfile) -> None:
    """Look up the sending domain's SPF / DKIM / DMARC now and store the answer (step 2)."""
    domain = sending_domain(profile)
    if domain:
        results = dnsfacts.check_all([], domain)
        with transaction.atomic():
            dnsfacts.store(profile, results)


def recipient_domains_check(*, account: RecipientAccount) -> None:
    """The same as `dns_recheck`, for one recipient account's domains only (wizard step 3)."""
    domains = list(account.domains.values_list("domain", flat=True))
    results = dnsfacts.check_all(domains, "")
    with transaction.atomic():
        dnsfacts.store(account.profile, results)


# --- Sharing and checklist -----------------------------------------------------------------------


@transaction.atomic
def share_link_create(*, profile: CustomerProfile, label: str = "") -> ShareLink:
    errors: dict[str, list[str]] = {}
    cleaned = _text(errors, "label", label, required=False, limit=200)
    _raise(errors)
    link = ShareLink(profile=profile, label=cleaned)
    _reason(link, "Share link created")
    link.save()
    return link


@transaction.atomic
def share_link_revoke(*, share_link: ShareLink) -> ShareLink:
    if share_link.revoked_at is None:
        share_link.revoked_at = timezone.now()
        _reason(share_link, "Share link revoked")
        share_link.save()
    return share_link


@transaction.atomic
def checklist_tick_set(
    *,
    profile: CustomerProfile,
    share_link: ShareLink | None = None,
    account_ref: str,
    step_key: str,
    done: bool,
) -> ChecklistTick | None:
    if share_link is not None and (share_link.profile_id != profile.pk or not share_link.is_active):
        raise ValidationError({"share_link": ["This link is no longer active."]})
    if not profile.recipient_accounts.filter(ref=account_ref).exists():
        raise ValidationError({"account_ref": ["This organisation is not in the profile."]})
    if not step_key or len(step_key) > 64:
        raise ValidationError({"step_key": ["Unknown step."]})
    existing = ChecklistTick.objects.filter(
        profile=profile, account_ref=account_ref, step_key=step_key
    )
    if not done:
        for tick in existing:
            _reason(tick, "Step unticked")
            tick.delete()
        return None
    tick = existing.first()
    if tick is None:
        tick = ChecklistTick(
            profile=profile, account_ref=account_ref, step_key=step_key, share_link=share_link
        )
        _reason(tick, "Step ticked")
        tick.save()
    return tick


# --- What the customer was told ------------------------------------------------------------------


def plan_fingerprint(plan_dict: dict[str, Any]) -> str:
    """A hash of the plan's content, leaving out when it was generated."""
    content = {key: value for key, value in plan_dict.items() if key != "generated_at"}
    text = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def plan_record_save(*, profile: CustomerProfile, plan: Plan) -> PlanRecord:
    from apps.policies.serialize import plan_to_dict

    plan_dict = plan_to_dict(plan)
    fingerprint = plan_fingerprint(plan_dict)
    latest = profile.plan_records.order_by("-created_at", "-id").first()
    if latest is not None and latest.fingerprint == fingerprint:
        return latest
    ranges = sorted({r for account in plan.accounts for r in account.ip_ranges})
    return PlanRecord.objects.create(
        profile=profile,
        plan=plan_dict,
        fingerprint=fingerprint,
        basis=str(plan.basis),
        ip_ranges=ranges,
        platform_version=plan.platform.version,
    )
