"""What every export says besides the Plan's own fields, worded once for the PDF and the text.

Nothing here decides anything: it names what the Plan already contains (which policy kinds its
steps use, which accounts it covers) so the PDF cover and the text header read the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from apps.policies.types import AccountPlan, Basis, Plan, PolicyId

# The policy types as the Mimecast console names them (docs/mimecast-policies.md §1–§4).
POLICY_NAMES: dict[PolicyId, str] = {
    PolicyId.PERMITTED_SENDERS: "Permitted Senders",
    PolicyId.GREYLISTING_BYPASS: "Greylisting",
    PolicyId.ANTI_SPOOFING_BYPASS: "Anti-Spoofing",
    PolicyId.ANTI_SPOOFING_SPF_BYPASS: "Anti-Spoofing SPF Based Bypass",
    PolicyId.IMPERSONATION_BYPASS: "Impersonation Protection Bypass",
}

BASIS_LABELS: dict[Basis, str] = {
    Basis.ADDRESS: "the From address",
    Basis.IP: "the platform's source IP ranges",
    Basis.ADDRESS_AND_IP: "the From address and the platform's source IP ranges",
}

# Why each kind of step is there, in one clause each (§1, §3, §2, §4).
_REASONS: tuple[tuple[frozenset[PolicyId], str], ...] = (
    (
        frozenset({PolicyId.PERMITTED_SENDERS}),
        "Mimecast's reputation and spam checks can defer, hold or reject mail from a sender it "
        "does not know",
    ),
    (
        frozenset({PolicyId.GREYLISTING_BYPASS}),
        "greylisting defers the first message from every new sender (451 errors), so bulk "
        "invitations arrive late or pile up behind real blocks",
    ),
    (
        frozenset({PolicyId.ANTI_SPOOFING_BYPASS, PolicyId.ANTI_SPOOFING_SPF_BYPASS}),
        "Anti-Spoofing rejects mail from outside that shows the recipients' own domain as its "
        "sender",
    ),
    (
        frozenset({PolicyId.IMPERSONATION_BYPASS}),
        "the customer's own address appears as the display name, which Mimecast may treat as "
        "impersonation",
    ),
)


def when(moment: datetime | None) -> str:
    """A timestamp as people read it, always in UTC: "28 Nov 2026, 07:30 UTC"."""
    if moment is None:
        return "unknown"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%d %b %Y, %H:%M UTC")


def gateway_line(account: AccountPlan) -> str:
    """ "Mimecast, Europe" / "Microsoft 365" / "Unknown"."""
    gateway = account.gateway
    return f"{gateway.label}, {gateway.region_label}" if gateway.region_label else gateway.label


def account_label(account: AccountPlan) -> str:
    return f"{account.organisation} ({', '.join(account.domains)})"


def idn_hint(account: AccountPlan) -> str:
    """A line under the addresses when one of them has a Unicode form beside it."""
    if any(entry.display != entry.address for entry in account.whitelist_addresses):
        return (
            "Type each address exactly as shown; the form in brackets is only how the same "
            "address reads with its international characters."
        )
    return ""


@dataclass(frozen=True)
class Cover:
    title: str
    organisation: str
    generated: str
    facts: str
    covers: tuple[str, ...]
    summary: str
    basis: str


def cover(plan: Plan, organisation: str) -> Cover:
    platform = plan.platform
    facts = f"{platform.name} (platform details version {platform.version or 'unknown'})"
    if platform.ip_ranges:
        stale = " (last good answer: DNS failed)" if platform.ips_stale else ""
        facts += f"; IP ranges resolved {when(platform.ips_resolved_at)}{stale}"
    title = "Mimecast instructions"
    if organisation:
        title += f" for mail from {organisation}"
    return Cover(
        title=title,
        organisation=organisation,
        generated=when(plan.generated_at),
        facts=facts,
        covers=tuple(f"{account_label(a)}: {gateway_line(a)}" for a in plan.accounts),
        summary=summary(plan, organisation),
        basis=BASIS_LABELS.get(plan.basis, str(plan.basis)),
    )


def summary(plan: Plan, organisation: str) -> str:
    """One paragraph: what IT must do, and only the reasons that this plan's steps address."""
    sender = organisation or "The customer"
    mimecast = [a for a in plan.accounts if a.gateway.mimecast_steps_apply]
    others = len(plan.accounts) - len(mimecast)
    used = {step.policy for account in mimecast for step in account.steps}
    parts = [f"{sender} sends survey invitations through {plan.platform.name}."]
    names = [name for policy, name in POLICY_NAMES.items() if policy in used]
    if mimecast and names:
        if len(plan.accounts) == 1:
            where = "for the recipient account below"
        elif not others:
            where = f"for each of the {len(mimecast)} recipient accounts below"
        else:
            where = f"for {len(mimecast)} of the {len(plan.accounts)} recipient accounts below"
        parts.append(
            f"For them to reach their recipients, IT must create these policies in Mimecast "
            f"{where}: {_join(names)}, then send a test."
        )
        reasons = [text for policies, text in _REASONS if policies & used]
        if reasons:
            parts.append(f"This is needed because {_join(reasons, sep='; ')}.")
    elif not plan.accounts:
        parts.append("No recipient accounts were given, so there is nothing to configure yet.")
    else:
        parts.append("No Mimecast policies are needed for the accounts below.")
    if mimecast and others:
        rest = "The other account needs" if others == 1 else f"The other {others} accounts need"
        parts.append(f"{rest} no Mimecast policies.")
    return " ".join(parts)


def _join(items: list[str], sep: str = ", ") -> str:
    if len(items) <= 1:
        return "".join(items)
    last = "; and " if sep == "; " else " and "
    return f"{sep.join(items[:-1])}{last}{items[-1]}"
