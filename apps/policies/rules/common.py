"""What every rule looks at: one recipient account in the light of the whole request."""

from __future__ import annotations

from dataclasses import dataclass

from apps.policies import mimecast as mc
from apps.policies.addresses import InvalidAddress, domain_of, normalise_address, normalise_domain
from apps.policies.types import (
    Basis,
    ConsolePath,
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

# A value written with `inferred(...)` is shown with ‡; the plan says once why (caveats.py).
Row = tuple[str, str] | Setting


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
        """Source IP Ranges for Permitted Senders, which follows the chosen basis (§9 rule 7)."""
        return self.sender.ip_ranges if self.basis is not Basis.ADDRESS else ()

    @property
    def bypass_ips(self) -> tuple[str, ...]:
        """Source IP Ranges for every bypass, whenever known (§2 [S11], §4 vendor practice):
        the basis governs Permitted Senders, not whether a bypass is opened to forgeries."""
        return self.sender.ip_ranges

    def is_internal(self, address: WhitelistAddress) -> bool:
        return domain_of(address.address) in self.domains

    def facts_for(self, domain: str) -> SendingDomainFacts | None:
        facts = self.request.sending_domain_facts
        if facts is None:
            return None
        return facts if ascii_domain(facts.domain) == domain else None


def ascii_domain(raw: str) -> str:
    try:
        return normalise_domain(raw)[0]
    except InvalidAddress:
        return raw.strip().rstrip(".").lower()


def inferred(field: str, value: str) -> Setting:
    """A value the reference infers rather than documents (§3 Greylisting label, §2 Enable)."""
    return Setting(field, value, inferred=True)


def step(
    policy: PolicyId,
    *,
    title: str,
    settings: list[Row],
    why: str,
    notes: list[str] | None = None,
    optional: bool = False,
    blocked: str = "",
    path: ConsolePath | None = None,
    help_url: str = "",
) -> Step:
    """A step with its console paths and help article (Mimecast's unless given); keys are
    numbered when the account's steps are joined."""
    return Step(
        key=policy.value,
        policy=policy,
        title=title,
        path=path or mc.console_path(policy),
        settings=tuple(row if isinstance(row, Setting) else Setting(*row) for row in settings),
        why=why,
        notes=tuple(note for note in notes or () if note),
        optional=optional,
        blocked=blocked,
        help_url=help_url or mc.HELP_URLS.get(policy, ""),
    )


def validity(*, override: bool = True) -> list[Row]:
    """§0 Validity: Always On; Policy Override unticked, unless an existing policy of the same
    type has it [S82] (said once per document, caveats.py)."""
    rows: list[Row] = [(mc.POLICY_OVERRIDE, mc.LEAVE_UNTICKED)] if override else []
    rows.append((mc.PERPETUAL, mc.ALWAYS_ON))
    return rows


def source_ips(ranges: tuple[str, ...]) -> list[Row]:
    """§0: CIDR, single IPs as /32; no row at all when there are none."""
    return [(mc.SOURCE_IPS, ", ".join(ranges))] if ranges else []


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


def envelope_domain(platform: PlatformInfo) -> str:
    """§3: the platform's envelope (Return-Path) domain, as recorded; "" when not recorded."""
    if platform.envelope_domain.strip():
        return ascii_domain(platform.envelope_domain)
    if "@" in platform.bounce_address:
        return ascii_domain(domain_of(platform.bounce_address.strip()))
    return ""


def describe(addresses: tuple[WhitelistAddress, ...]) -> str:
    return ", ".join(
        a.address if a.display == a.address else f"{a.address} ({a.display})" for a in addresses
    )
