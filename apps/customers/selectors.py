"""Every read of customer profiles that other parts of Safelist need."""

import re
from collections.abc import Container
from dataclasses import replace

from django.db.models import Model, OuterRef, Prefetch, QuerySet, Subquery

from apps.customers import dnsfacts
from apps.customers.models import (
    WIZARD_STEPS,
    ChecklistTick,
    CustomerProfile,
    PlanRecord,
    RecipientAccount,
    RecipientDomain,
    SendingMode,
    ShareLink,
)
from apps.customers.models import Basis as ProfileBasis
from apps.customers.stepprints import plan_fingerprints
from apps.dnscheck import facade, facts
from apps.policies.addresses import domain_of
from apps.policies.generator import build_plan, for_account
from apps.policies.types import (
    Basis,
    Mode,
    Plan,
    PlanRequest,
    SendingIdentity,
)
from apps.sending.selectors import platform_info

# Tokens (secrets.token_urlsafe) and references (secrets.token_hex) are URL-safe base64 or hex:
# anything else (a NUL byte, which PostgreSQL refuses in a query, or a space) is no token, and
# is turned away before any query is made. Look-ups by token or reference return None when
# nothing matches; the views turn that into a 404 (`apps.core.http.or_404`).
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _by_token[M: Model](rows: QuerySet[M], token: str) -> M | None:
    """The one row of `rows` with this token; None for any other token."""
    if not _WELL_FORMED.fullmatch(token):
        return None
    return rows.filter(token=token).first()


def profile_by_token(token: str) -> CustomerProfile | None:
    """The profile behind a resume link; None for anything else (never another profile)."""
    return _by_token(CustomerProfile.objects.all(), token)


def profile_by_support_ref(ref: str) -> CustomerProfile | None:
    """A profile as staff pages name it; None when unknown."""
    return CustomerProfile.objects.filter(support_ref=ref).first() if ref else None


def share_link_by_token(token: str) -> ShareLink | None:
    """An active share link; None when unknown or revoked."""
    rows = ShareLink.objects.select_related("profile", "account").filter(
        revoked_at__isnull=True, account__isnull=False
    )
    return _by_token(rows, token)


def share_link_of_profile(profile: CustomerProfile, token: str) -> ShareLink | None:
    """One of `profile`'s share links, revoked or not; None for any other token."""
    return _by_token(profile.share_links.all(), token)


def share_links_for_profile(profile: CustomerProfile) -> list[ShareLink]:
    return list(profile.share_links.select_related("account").order_by("-created_at"))


def recipient_accounts(profile: CustomerProfile) -> list[RecipientAccount]:
    """The profile's accounts with their domains, in order (one query each)."""
    domains = Prefetch("domains", queryset=RecipientDomain.objects.order_by("position", "id"))
    return list(profile.recipient_accounts.order_by("position", "id").prefetch_related(domains))


def recipient_account_by_ref(profile: CustomerProfile, ref: str) -> RecipientAccount | None:
    """One of `profile`'s organisations; None for any other reference."""
    if not _WELL_FORMED.fullmatch(ref):
        return None
    return profile.recipient_accounts.filter(ref=ref).first()


def from_addresses(profile: CustomerProfile) -> list[str]:
    return list(
        profile.sender_addresses.order_by("position", "id").values_list("address", flat=True)
    )


def sending_domain(profile: CustomerProfile) -> str:
    """The customer's own From domain whose SPF and DMARC decide how recipients judge the mail
    (§5): "" with the shared address (apps.dnscheck.facts.sending_domain_to_check)."""
    if profile.pk is None:
        return ""
    return facts.sending_domain_to_check(answers_for_profile(profile))


def own_domains(profile: CustomerProfile) -> set[str]:
    """Domains that are the customer's own: mail "from" them to them meets anti-spoofing (§2)."""
    addresses = [*from_addresses(profile), profile.customer_address, profile.contact_email]
    return {domain_of(a) for a in addresses if a and "@" in a}


def is_complete(profile: CustomerProfile) -> bool:
    """Whether the customer finished the wizard and their answers still make instructions: a
    profile whose last organisation was removed afterwards is a draft again."""
    return profile.wizard_step > WIZARD_STEPS and not missing_answers(profile)


def missing_answers(profile: CustomerProfile) -> dict[str, list[str]]:
    """What a profile still lacks before instructions can be made, keyed by field ({} = ready)."""
    missing: dict[str, list[str]] = {}
    if not profile.sending_mode:
        missing["sending_mode"] = ["Tell us how your invitations are sent (step 2)."]
    if not profile.recipient_accounts.exists():
        missing["recipient_accounts"] = [
            "Add at least one organisation that receives them (step 3)."
        ]
    return missing


def answers_for_profile(profile: CustomerProfile) -> facts.Answers:
    """What the customer told the wizard, as the facts layer takes it."""
    mode = Mode(profile.sending_mode or SendingMode.UNVERIFIED_ADDRESS)
    sending = SendingIdentity(
        mode=mode,
        from_addresses=tuple(from_addresses(profile)) if mode != Mode.UNVERIFIED_ADDRESS else (),
        display_name=profile.display_name,
        customer_address=profile.customer_address,
        permit_whole_domain=profile.permit_whole_domain,
        unique_links=profile.unique_links,
    )
    accounts = tuple(
        facts.AccountAnswer(
            organisation=account.organisation,
            domains=tuple(row.domain for row in account.domains.all()),
            bulk=account.bulk,
            ref=account.ref,
            mimecast_api=account.mimecast_api,
        )
        for account in recipient_accounts(profile)
    )
    return facts.Answers(
        sending=sending, accounts=accounts, basis=Basis(profile.basis or ProfileBasis.ADDRESS)
    )


def facts_for_profile(profile: CustomerProfile) -> facts.Facts:
    """The DNS facts stored on the profile, and the platform's IPs from the latest snapshot:
    no DNS lookups, no writes."""
    platform = platform_info()
    rows = RecipientDomain.objects.filter(account__profile=profile)
    return facts.Facts(
        platform=platform,
        domains=dnsfacts.stored_checks(rows),
        sending_domain=dnsfacts.stored_report(profile),
        platform_ips=facade.platform_ips(platform),
    )


def plan_request_for_profile(profile: CustomerProfile) -> PlanRequest:
    """The generator's input, from stored answers and stored DNS facts."""
    return facts.plan_request(answers_for_profile(profile), facts_for_profile(profile))


def plan_for_profile(profile: CustomerProfile) -> Plan:
    return build_plan(plan_request_for_profile(profile))


def plan_for_account(plan: Plan, account_ref: str) -> Plan:
    """`plan` with one recipient organisation's steps only, and only the caveats those steps
    need: what its IT team's share link, PDF and text show (no steps once it is removed)."""
    try:
        return for_account(plan, account_ref)
    except KeyError:
        return replace(plan, accounts=(), caveats=(), inferred=())


def checklist_for_profile(profile: CustomerProfile) -> dict[tuple[str, str], ChecklistTick]:
    ticks = ChecklistTick.objects.filter(profile=profile).select_related("share_link")
    return {(tick.account_ref, tick.step_key): tick for tick in ticks}


def checklist_for_plan(
    profile: CustomerProfile, plan: Plan
) -> dict[tuple[str, str], ChecklistTick]:
    """The ticks that still hold: each for a step of `plan` whose content is exactly what was
    ticked. A step that changed since (or is gone) has no tick."""
    prints = plan_fingerprints(plan)
    return {
        key: tick
        for key, tick in checklist_for_profile(profile).items()
        if key in prints and tick.fingerprint in (prints[key], "")
    }


def checklist_progress(plan: Plan, ticks: Container[tuple[str, str]]) -> dict[str, int]:
    """How many of the plan's steps IT ticked, e.g. {"done": 1, "total": 5}."""
    keys = {(account.ref, step.key) for account in plan.accounts for step in account.steps}
    return {"done": sum(key in ticks for key in keys), "total": len(keys)}


def latest_plan_record(profile: CustomerProfile) -> PlanRecord | None:
    return profile.plan_records.order_by("-created_at", "-id").first()


def profiles_affected_by_ip_change(*, removed: set[str], added: set[str]) -> list[CustomerProfile]:
    """Profiles whose latest shown plan used a removed range, or whose policies match on IPs
    and so now lack a new range."""
    if not removed and not added:
        return []
    latest = PlanRecord.objects.filter(profile=OuterRef("pk")).order_by("-created_at", "-id")
    rows = CustomerProfile.objects.annotate(latest_record=Subquery(latest.values("pk")[:1])).filter(
        latest_record__isnull=False
    )
    records = PlanRecord.objects.only("id", "ip_ranges").in_bulk(
        [row.latest_record for row in rows]
    )
    affected: list[CustomerProfile] = []
    for profile in rows:
        used = set(records[profile.latest_record].ip_ranges or ())
        uses_ips = profile.basis in (ProfileBasis.IP, ProfileBasis.ADDRESS_AND_IP)
        if used & removed or (uses_ips and added - used):
            affected.append(profile)
    return affected
