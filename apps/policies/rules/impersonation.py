"""Impersonation Protection Bypass: a display name that names the recipients' own domain (§4).

Impersonation Protect judges external senders only [S22], so a From at the recipient's own
domain never gets this step; Anti-Spoofing and DNS Authentication judge that mail instead.
"""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import domain_of, domains_named_in_text
from apps.policies.rules.common import (
    AccountContext,
    Row,
    addresses_based_on,
    source_ips,
    step,
    validity,
)
from apps.policies.types import Mode, PolicyId, Step, WhitelistAddress


def display_name_hits(ctx: AccountContext) -> tuple[str, ...]:
    """§9 rule 5: what in the display name points at this account's own domains."""
    hits = [a.address for a in ctx.sender.display_addresses if ctx.is_internal(a)]
    for domain in domains_named_in_text(ctx.sender.display_text, ctx.domains):
        if not any(hit.endswith("@" + domain) for hit in hits):
            hits.append(domain)
    return tuple(hits)


def external_from(ctx: AccountContext) -> tuple[WhitelistAddress, ...]:
    """§4: only external senders are evaluated by Impersonation Protect."""
    return tuple(a for a in ctx.sender.from_addresses if not ctx.is_internal(a))


def impersonation_bypass(ctx: AccountContext) -> list[Step]:
    """§9 rule 5: Permitted Senders does not cover Impersonation Protect; a bypass does."""
    hits = display_name_hits(ctx)
    if not hits:
        return []
    return [_bypass(ctx, address, hits) for address in external_from(ctx)]


def _bypass(ctx: AccountContext, address: WhitelistAddress, hits: tuple[str, ...]) -> Step:
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: impersonation bypass for {address.address}"),
        # §4 [S83][S47]: "Take No Action" would switch the bypass off.
        (mc.SELECT_OPTION, mc.DISABLE_IMPERSONATION),
        (mc.ADDRESSES_BASED_ON, addresses_based_on(ctx, (address,))),
        (mc.APPLIES_FROM, mc.INDIVIDUAL_ADDRESS),
        (mc.SPECIFICALLY, address.address),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),
        *source_ips(ctx.bypass_ips),  # §4: vendors scope it to their source IPs
        *validity(override=False),  # §0: a cumulative type
    ]
    # §9 rule 3: verifying moves the problem to Anti-Spoofing and DMARC; it does not remove it.
    fix = (
        "Sending from your own verified address or domain instead removes the display-name "
        "match, but mail to your own colleagues then needs the Anti-Spoofing exception and a "
        "DMARC pass instead of this bypass."
        if ctx.mode is Mode.UNVERIFIED_ADDRESS
        else "A display name without an address or domain of the recipients needs no bypass."
    )
    return step(
        PolicyId.IMPERSONATION_BYPASS,
        title="Let its display name through (Impersonation Protection Bypass)",
        settings=settings,
        why=(
            f"The display name shows {', '.join(hits)} (at {ctx.organisation}) while the From "
            f"is {address.address}, which Mimecast may hold as impersonation."
        ),
        notes=[fix],
    )


def display_name_warning(ctx: AccountContext) -> str:
    """§4, §9 rule 5: Internal User Name compares display names; only for external senders
    whose display name is a plain name and who write to their own organisation."""
    text = ctx.sender.display_text.strip()
    customer = ctx.request.sending.customer_address
    if not text or ctx.sender.display_addresses or display_name_hits(ctx):
        return ""
    if not external_from(ctx) or not customer or domain_of(customer) not in ctx.domains:
        return ""
    return (
        f"If '{text}' is the name of someone at {ctx.organisation}, Impersonation Protect's "
        "Internal User Name check may hold the mail; if Message Tracking shows that, add an "
        "Impersonation Protection Bypass for the From address (Select Option: Disable "
        "Impersonation Protect)."
    )
