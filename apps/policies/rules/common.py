"""What every rule looks at: one recipient account in the light of the whole request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from apps.policies import mimecast as mc
from apps.policies.addresses import InvalidAddress, domain_of, normalise_address, normalise_domain
from apps.policies.types import (
    Basis,
    Mode,
    PlanRequest,
    PlatformInfo,
    PolicyId,
    RecipientAccount,
    SendingDomainFacts,
    Setting,
    Step,
    WhitelistAddress,
)


@dataclass(frozen=True)
class Sender:
    """How the platform's mail looks to every recipient, worked out once per plan."""

    from_addresses: tuple[WhitelistAddress, ...]  # the header From addresses recipients see
    display_text: str  # what the display name shows
    display_addresses: tuple[WhitelistAddress, ...]  # addresses written in the display name
    ip_ranges: tuple[str, ...]  # the platform's ranges, CIDR
    shared: bool  # the From is the platform's shared address


@dataclass(frozen=True)
class AccountContext:
    request: PlanRequest
    account: RecipientAccount
    sender: Sender
    domains: tuple[str, ...]  # the account's domains, ASCII, lower-case

    @property
    def platform(self) -> PlatformInfo:
        return self.request.platform

    @property
    def basis(self) -> Basis:
        return self.request.basis

    @property
    def mode(self) -> Mode:
        return self.request.sending.mode

    @property
    def organisation(self) -> str:
        return self.account.organisation or ", ".join(self.domains)

    @property
    def policy_ips(self) -> tuple[str, ...]:
        """Source IP Ranges for policies that follow the chosen basis (§9 rule 7)."""
        return self.sender.ip_ranges if self.basis is not Basis.ADDRESS else ()

    def is_internal(self, address: WhitelistAddress) -> bool:
        return domain_of(address.address) in self.domains

    def facts_for(self, domain: str) -> SendingDomainFacts | None:
        facts = self.request.sending_domain_facts
        if facts is None:
            return None
        try:
            facts_domain = normalise_domain(facts.domain)[0]
        except InvalidAddress:
            facts_domain = facts.domain.strip().rstrip(".").lower()
        return facts if facts_domain == domain else None


def step(
    policy: PolicyId,
    *,
    title: str,
    settings: list[tuple[str, str]],
    why: str,
    notes: list[str],
    reference: str,
) -> Step:
    """A step with its console paths; keys are numbered when the account's steps are joined."""
    return Step(
        key=policy.value,
        policy=policy,
        title=title,
        path=mc.console_path(policy),
        settings=tuple(Setting(field, value) for field, value in settings),
        why=why,
        notes=tuple(note for note in notes if note),
        reference=reference,
    )


def addresses_based_on(ctx: AccountContext, addresses: tuple[WhitelistAddress, ...]) -> str:
    """Header From, or Both only when the envelope sender is known to be that same address.

    §9 rule 2: the default Return Address matches only the envelope, which may differ.
    """
    bounce = ctx.platform.bounce_address.strip()
    try:
        bounce = normalise_address(bounce).address.lower() if bounce else ""
    except InvalidAddress:
        bounce = bounce.lower()
    if bounce and addresses and all(a.address.lower() == bounce for a in addresses):
        return mc.BOTH
    return mc.HEADER_FROM


@lru_cache(maxsize=64)
def when(moment: datetime | None) -> str:
    if moment is None:
        return "at an unrecorded time"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"on {moment.day} {moment:%B %Y at %H:%M} UTC"


def ip_note(ctx: AccountContext, ranges: tuple[str, ...]) -> str:
    """§9 rule 7: IP ranges go stale when the platform adds servers; say when they were read."""
    if not ranges:
        return ""
    ips = ctx.request.platform_ips
    stale = (
        " The latest lookup failed, so these are the last ranges that could be read."
        if ips.stale
        else ""
    )
    # §0 gives the field as n.n.n.n/x and says nothing of IPv6: say so rather than assume.
    ipv6 = (
        " UNCONFIRMED: Mimecast's documentation shows only IPv4 notation for this field; if "
        "the form refuses the IPv6 ranges, enter the IPv4 ones and ask Mimecast support."
        if any(":" in r for r in ranges)
        else ""
    )
    return (
        f"These IP ranges were looked up {when(ips.resolved_at)}.{stale} They change when "
        f"{ctx.platform.name} adds or replaces sending servers; update this policy when that "
        f"happens, or new servers' mail will be treated like any other sender's.{ipv6}"
    )


def address_note(ctx: AccountContext) -> str:
    """§9 rule 7: address-based matching survives server changes (but is forgeable)."""
    return (
        f"This matches on the From address, so it keeps working when {ctx.platform.name} "
        "changes its sending servers."
    )


def describe(addresses: tuple[WhitelistAddress, ...]) -> str:
    return ", ".join(
        a.address if a.display == a.address else f"{a.address} ({a.display})" for a in addresses
    )


def ip_advice(ctx: AccountContext, what: str) -> str:
    """§2 and §9 rule 5: exceptions are best restricted to the sender's IP ranges."""
    if ctx.sender.ip_ranges:
        ips = ctx.request.platform_ips
        stale = " (the latest lookup failed: these are the last ranges read)" if ips.stale else ""
        return (
            f"Mimecast recommends restricting this {what} to the sender's IP ranges. "
            f"{ctx.platform.name}'s ranges, looked up {when(ips.resolved_at)}{stale}, are: "
            f"{', '.join(ctx.sender.ip_ranges)}. To restrict it, add them under Source IP "
            f"Ranges; they change when {ctx.platform.name} adds or replaces sending servers, "
            "so the policy then needs updating."
        )
    return (
        f"Mimecast recommends restricting this {what} to the sender's IP ranges; "
        f"{ctx.platform.name}'s ranges were not available when these instructions were made."
    )


def ip_hint(ctx: AccountContext) -> str:
    """How to get IP-scoped steps: choose an IP basis, or wait for a lookup that failed."""
    if ctx.basis is Basis.ADDRESS:
        # The customer's choice of basis, in words an IT admin reading the plan understands too.
        return "choose to match on IP addresses as well when these instructions are made"
    return "they could not be looked up this time; add them once they are available"
