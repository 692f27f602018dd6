"""Permitted Senders: the allow-list entry every Mimecast recipient account needs (§1)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import domain_of
from apps.policies.rules.common import (
    AccountContext,
    Row,
    addresses_based_on,
    describe,
    source_ips,
    step,
    validity,
)
from apps.policies.types import Mode, PolicyId, Step, WhitelistAddress


def permitted_senders(ctx: AccountContext) -> list[Step]:
    """§9 rule 1: deferred, held or spam-marked mail needs an admin Permitted Senders policy."""
    if ctx.mode is Mode.SENDING_DOMAIN and ctx.request.sending.permit_whole_domain:
        return [_by_domain(ctx, domain) for domain in from_domains(ctx)]
    return [_by_address(ctx, address) for address in ctx.sender.from_addresses]


def from_domains(ctx: AccountContext) -> list[str]:
    return list(dict.fromkeys(domain_of(a.address) for a in ctx.sender.from_addresses))


def _by_address(ctx: AccountContext, address: WhitelistAddress) -> Step:
    # §9 rule 2: match the header From, as an Individual Email Address (most specific, §0).
    return _permit(
        ctx,
        target=address.address,
        based_on=addresses_based_on(ctx, (address,)),
        applies_from=mc.INDIVIDUAL_ADDRESS,
        subject=describe((address,)),
    )


def _by_domain(ctx: AccountContext, domain: str) -> Step:
    # §9 rule 2: Applies From may be an Email Domain when the customer permits a whole domain.
    addresses = tuple(a for a in ctx.sender.from_addresses if domain_of(a.address) == domain)
    return _permit(
        ctx,
        target=domain,
        based_on=addresses_based_on(ctx, addresses),
        applies_from=mc.EMAIL_DOMAIN,
        subject=f"any address at {domain}",
    )


def _permit(
    ctx: AccountContext, *, target: str, based_on: str, applies_from: str, subject: str
) -> Step:
    ranges = ctx.policy_ips
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: permit {target}"),
        (mc.SELECT_OPTION, mc.PERMIT_SENDER),  # §1
        (mc.ADDRESSES_BASED_ON, based_on),  # §9 rule 2
        (mc.APPLIES_FROM, applies_from),
        (mc.SPECIFICALLY, target),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),  # §0: usually Internal Addresses
        *source_ips(ranges),  # §9 rule 7: only when the customer chose to match on IPs
        *validity(),  # §0, §9 rule 8
    ]
    return step(
        PolicyId.PERMITTED_SENDERS,
        title="Permit the sender (Permitted Senders)",
        settings=settings,
        # §1: what a permit bypasses.
        why=(f"Lets mail from {subject} past reputation and spam checks at {ctx.organisation}."),
    )
