"""Plain values the instructions page shows about its DNS facts: when they were last looked up,
and what a new lookup changed."""

from datetime import datetime

from apps.customers import dnsfacts, selectors
from apps.customers.models import CustomerProfile
from apps.customers.validation import domain_display
from apps.dnscheck import status


def dns_snapshot(profile: CustomerProfile) -> dict[str, str]:
    """What the stored DNS facts say, for comparing before and after a new lookup: each
    recipient domain's badge and the sending domain's SPF / DKIM / DMARC statuses."""
    snapshot = {
        domain_display(row.domain): dnsfacts.badge(row).text
        for account in selectors.recipient_accounts(profile)
        for row in account.domains.all()
    }
    for fact in status.sending_facts(profile.sending_domain_report):
        snapshot[fact.name] = fact.status_label
    return snapshot


def dns_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What a new lookup changed, one line each, e.g. "example.org: gateway now Mimecast ·
    Europe (was Microsoft 365)", "SPF now OK (was missing)"; [] when nothing did."""
    out = []
    for key, now in after.items():
        was = before.get(key)
        if was is None or was == now:
            continue
        if key in dict(status.RECORDS).values():
            out.append(f"{key} now {now} (was {was})")
        else:
            out.append(f"{key}: gateway now {now} (was {was})")
    return out


def last_checked(profile: CustomerProfile) -> datetime | None:
    """When the domains were last looked up (the latest of the profile's checks)."""
    times = [
        row.checked_at
        for account in selectors.recipient_accounts(profile)
        for row in account.domains.all()
        if row.checked_at
    ]
    if profile.sending_domain_checked_at:
        times.append(profile.sending_domain_checked_at)
    return max(times, default=None)
