"""Share links for IT and the checklist ticks made through them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.customers.models import ChecklistTick, CustomerProfile, ShareLink
from apps.customers.services._common import lock_profile, raise_if, reason, text
from apps.customers.stepprints import StepChanges, seen_steps, step_changes
from apps.policies.types import AccountPlan

# --- Sharing and checklist -----------------------------------------------------------------------


@transaction.atomic
def share_link_create(*, profile: CustomerProfile, account_ref: str, label: str = "") -> ShareLink:
    """A link for the IT team of one of `profile`'s recipient organisations."""
    errors: dict[str, list[str]] = {}
    cleaned = text(errors, "label", label, required=False, limit=200)
    account = profile.recipient_accounts.filter(ref=account_ref).first() if account_ref else None
    if account is None:
        errors["account"] = ["Choose one of this profile's organisations for the link."]
    raise_if(errors)
    link = ShareLink(profile=profile, account=account, label=cleaned)
    reason(link, f"Share link created for {account.organisation if account else ''}")
    link.save()
    return link


@transaction.atomic
def share_links_create_missing(*, profile: CustomerProfile) -> list[ShareLink]:
    """One link for each organisation that has no active link yet (the one-click "a link for
    each organisation")."""
    linked = set(
        ShareLink.objects.filter(profile=profile, revoked_at__isnull=True).values_list(
            "account_id", flat=True
        )
    )
    return [
        share_link_create(profile=profile, account_ref=account.ref)
        for account in profile.recipient_accounts.order_by("position", "id")
        if account.pk not in linked
    ]


@transaction.atomic
def share_link_revoke(*, share_link: ShareLink) -> ShareLink:
    if share_link.revoked_at is None:
        share_link.revoked_at = timezone.now()
        reason(share_link, "Share link revoked")
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
    fingerprint: str = "",
) -> ChecklistTick | None:
    """Tick (or untick) a step; `fingerprint` is the step's content as IT saw it
    (stepprints.step_fingerprint). Ticking a step whose old tick was for other content moves
    the tick to the content shown now."""
    if share_link is not None and (share_link.profile_id != profile.pk or not share_link.is_active):
        raise ValidationError({"share_link": ["This link is no longer active."]})
    if not profile.recipient_accounts.filter(ref=account_ref).exists():
        raise ValidationError({"account_ref": ["This organisation is not in the profile."]})
    if not step_key or len(step_key) > 64:
        raise ValidationError({"step_key": ["Unknown step."]})
    lock_profile(profile)
    existing = ChecklistTick.objects.filter(
        profile=profile, account_ref=account_ref, step_key=step_key
    )
    if not done:
        for unticked in existing:
            reason(unticked, "Step unticked")
            unticked.delete()
        return None
    if len(fingerprint) > 64:
        raise ValidationError({"fingerprint": ["Unknown step."]})
    tick = existing.first()
    if tick is None:
        tick = ChecklistTick(
            profile=profile,
            account_ref=account_ref,
            step_key=step_key,
            share_link=share_link,
            fingerprint=fingerprint,
        )
        reason(tick, "Step ticked")
        tick.save()
    elif tick.fingerprint != fingerprint:
        tick.fingerprint = fingerprint
        tick.share_link = share_link or tick.share_link
        reason(tick, "Step ticked again after it changed")
        tick.save()
    return tick


@transaction.atomic
def checklist_ticks_stamp(
    *, profile: CustomerProfile, fingerprints: dict[tuple[str, str], str]
) -> None:
    """Ticks made before they carried a fingerprint are taken as given for the step as it is
    now (the first time it is shown): from then on a change to the step clears them."""
    for tick in ChecklistTick.objects.filter(profile=profile, fingerprint=""):
        current = fingerprints.get((tick.account_ref, tick.step_key))
        if current:
            tick.fingerprint = current
            reason(tick, "Tick tied to the step's content")
            tick.save()


def share_link_seen(*, share_link: ShareLink, account: AccountPlan) -> StepChanges:
    """IT opened its link and saw `account`'s steps: what changed since its last visit (nothing
    on the first), and remember what it saw now."""
    changes = step_changes(share_link.seen_steps, account) if share_link.seen_at else StepChanges()
    share_link.seen_steps = seen_steps(account)
    share_link.seen_at = timezone.now()
    ShareLink.objects.filter(pk=share_link.pk).update(
        seen_steps=share_link.seen_steps, seen_at=share_link.seen_at
    )
    return changes
