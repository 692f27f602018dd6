"""How Safelist words facts for people, in one place: timestamps and the short badge beside a
recipient domain or a plan's organisation.

Which timestamp wording goes where:
- `in_sentence` inside the instructions' prose (a caveat, a note): "… looked up on 2 November
  2026 at 09:30 UTC"; the page, the PDF and the text export all carry it.
- `stamp` as a label on its own (the PDF cover's "Generated", the text export's header):
  "2 Nov 2026, 09:30 UTC".
- `age` for how old a fact is, to an operator (the refresh command): "3 hours ago".
All in UTC: the readers of one plan sit in different time zones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from apps.policies import gateways
from apps.policies import mimecast as mc


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def in_sentence(moment: datetime | None) -> str:
    """ "on 2 November 2026 at 09:30 UTC", to follow a verb in a sentence."""
    if moment is None:
        return "at an unrecorded time"
    moment = _utc(moment)
    return f"on {moment.day} {moment:%B %Y at %H:%M} UTC"


def stamp(moment: datetime | None) -> str:
    """ "2 Nov 2026, 09:30 UTC", a label on its own."""
    if moment is None:
        return "unknown"
    moment = _utc(moment)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def age(moment: datetime | None, *, now: datetime) -> str:
    """ "3 hours ago", "just now"; "never" for no moment."""
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


# --- Badges -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # a Bootstrap colour: success (Mimecast), secondary (another), warning (trouble)


# A recipient domain's DNS check without a gateway (apps.dnscheck.types.DomainStatus values).
_NO_GATEWAY = {
    "invalid": "not a valid domain",
    "unknown": "unknown gateway",
    "no_mx": "no gateway found",
}
# A domain no mail can reach (null MX, no mail records, no such domain, a well-known typo): one
# plain badge whatever the reason, in red; its message says which, most often a typo.
CANNOT_RECEIVE_STATUSES = frozenset({"null_mx", "no_mail", "not_found", "typo"})
CANNOT_RECEIVE_TEXT = "can't receive email"
# Why a check could not be made (apps.dnscheck.answers.Status values of failed lookups).
_FAILURE = {
    "timeout": "timeout",
    "servfail": "DNS server failure",
    "refused": "refused",
    "malformed": "unreadable answer",
    "truncated": "answer too large",
    "error": "DNS unreachable",
}


def gateway_name(gateway: str | None, region: str | None) -> str:
    """ "Mimecast · Europe", "Cisco Secure Email": the gateway and, for Mimecast, its region."""
    label = gateways.label(gateway)
    if gateway == gateways.MIMECAST and region and region in mc.REGIONS:
        return f"{label} · {mc.REGIONS[region].label}"
    return label


def domain_badge(*, status: str, gateway: str | None, region: str | None, failure: str) -> Badge:
    """The badge beside a recipient domain, from its DNS facts: `status` is the check's
    DomainStatus ("" when never checked), `failure` the failed lookup's status."""
    if not status:
        return Badge("not checked yet", "secondary")
    if gateway:
        return Badge(
            gateway_name(gateway, region),
            "success" if gateway == gateways.MIMECAST else "secondary",
        )
    if status in CANNOT_RECEIVE_STATUSES:
        return Badge(CANNOT_RECEIVE_TEXT, "danger")
    if status in _NO_GATEWAY:
        return Badge(_NO_GATEWAY[status], "warning")
    return Badge(f"couldn't check ({_FAILURE.get(failure, 'error')})", "warning")


def plan_badge(*, name: str | None, label: str, region_label: str, has_steps: bool) -> Badge:
    """The badge beside an organisation in a plan (its apps.policies.types.GatewaySummary):
    green when it has steps to follow."""
    if not name:
        return Badge("provider not known", "warning")
    text = f"{label} · {region_label}" if region_label else label
    return Badge(text, "success" if has_steps else "secondary")
