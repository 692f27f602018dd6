"""What every export says besides the Plan's own fields, worded once for the PDF and the text.

Nothing here decides anything: it names what the Plan already contains (which accounts it
covers, the basis it used, which values are inferred) so the PDF cover and the text header read
the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.policies.types import AccountPlan, Plan, Setting
from apps.policies.wording import stamp

OTHER_GATEWAYS = ("m365_", "google_", "gateway_")  # policy ids of the steps for other gateways
INFERRED_MARK = "‡"  # beside a value the plan marks as inferred; the plan's `inferred` says why


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
    heading: str
    title: str
    organisation: str
    generated: str
    facts: str
    covers: tuple[str, ...]
    basis: str


def plan_heading(plan: Plan) -> str:
    """Mimecast's name only where every step is Mimecast's (the PDF cover and the IT page)."""
    others = any(s.policy.value.startswith(OTHER_GATEWAYS) for a in plan.accounts for s in a.steps)
    return "Allow-list instructions" if others else "Mimecast instructions"


def cover(plan: Plan, organisation: str) -> Cover:
    platform = plan.platform
    title = heading = plan_heading(plan)
    if organisation:
        title += f" for mail from {organisation}"
    return Cover(
        heading=heading,
        title=title,
        organisation=organisation,
        generated=stamp(plan.generated_at),
        facts=f"{platform.name} (platform details version {platform.version or 'unknown'})",
        covers=tuple(f"{account_label(a)}: {gateway_line(a)}" for a in plan.accounts),
        basis=plan.basis_note,
    )


def setting_value(setting: Setting) -> str:
    """A value as IT reads it: with ‡ when it is inferred rather than documented."""
    return f"{setting.value} {INFERRED_MARK}" if setting.inferred else setting.value
