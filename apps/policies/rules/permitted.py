"""Permitted Senders: the allow-list entry every Mimecast recipient account needs (§1)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import domain_of
from apps.policies.rules.common import (
    AccountContext,
    address_note,
    addresses_based_on,
    describe,
    ip_hint,
    ip_note,
    step,
)
from apps.policies.types import Basis, Mode, PolicyId, Step, WhitelistAddress


def permitted_senders(ctx: AccountContext) -> list[Step]:
    """§9 rule 1: deferred, held or spam-marked mail needs an admin Permitted Senders policy."""
    if ctx.mode is Mode.SENDING_DOMAIN and ctx.request.sending.permit_whole_domain:
        return [_by_domain(ctx, domain) for domain in _from_domains(ctx)]
    return [_by_address(ctx, address) for address in ctx.sender.from_addresses]


def _from_domains(ctx: AccountContext) -> list[str]:
    seen: list[str] = []
    for address in ctx.sender.from_addresses:
        if domain_of(address.address) not in seen:
            seen.append(domain_of(address.address))
    return seen


def _by_address(ctx: AccountContext, address: WhitelistAddress) -> Step:
    # §9 rule 2: match the header From, as an Individual Email Address (most specific, §0).
    return _permit(
        ctx,
        narrative=f"Permit {ctx.platform.name} mail from {address.address}",
        based_on=addresses_based_on(ctx, (address,)),
        applies_from=mc.INDIVIDUAL_ADDRESS,
        specifically=address.address,
        subject=f"mail whose From address is {describe((address,))}",
    )


def _by_domain(ctx: AccountContext, domain: str) -> Step:
    # §9 rule 2: Applies From may be an Email Domain when the customer permits a whole domain.
    addresses = tuple(a for a in ctx.sender.from_addresses if domain_of(a.address) == domain)
    return _permit(
        ctx,
        narrative=f"Permit {ctx.platform.name} mail from {domain}",
        based_on=addresses_based_on(ctx, addresses),
        applies_from=mc.EMAIL_DOMAIN,
        specifically=domain,
        subject=f"mail whose From address is at {domain}",
    )


def _permit(
    ctx: AccountContext,
    *,
    narrative: str,
    based_on: str,
    applies_from: str,
    specifically: str,
    subject: str,
) -> Step:
    ranges = ctx.policy_ips
    settings = [
        (mc.NARRATIVE, narrative),
        (mc.SELECT_OPTION, mc.PERMIT_SENDER),  # §1
        (mc.ADDRESSES_BASED_ON, based_on),  # §9 rule 2
        (mc.APPLIES_FROM, applies_from),
    ]
    if specifically:
        settings.append((mc.SPECIFICALLY, specifically))
    settings.append((mc.APPLIES_TO, mc.INTERNAL_ADDRESSES))  # §0: usually Internal Addresses
    if ranges:
        settings.append((mc.SOURCE_IPS, ", ".join(ranges)))  # §0: CIDR, single IPs as /32
    settings += [
        (mc.POLICY_OVERRIDE, mc.OVERRIDE_OFF),  # §9 rule 8: only if a more specific one competes
        (mc.PERPETUAL, mc.PERPETUAL_VALUE),
    ]
    # §1: what a permit bypasses and what it does not.
    why = (
        f"Lets {subject} past reputation and spam checks (and, Mimecast says, greylisting) "
        f"for everyone at "
        f"{ctx.organisation}. A permit works only inside the one Mimecast account it is saved "
        "in, so every recipient organisation needs its own. It does not switch off virus "
        "scanning, Anti-Spoofing, Impersonation Protect or DNS Authentication - Inbound, and "
        "a Blocked Senders entry for the same sender still wins."
    )
    notes = [
        "Create a new policy rather than editing the default one.",
        "If another, more specific Permitted Senders policy already covers these senders, tick "
        "Policy Override so this one wins.",
        ip_note(ctx, ranges) if ranges else address_note(ctx),
    ]
    if ctx.basis is Basis.IP and ranges:
        # §9 rule 7: both in one policy is the strongest; the address keeps other senders out.
        what = "domain" if applies_from == mc.EMAIL_DOMAIN else "address"
        notes.append(
            f"The policy names the From {what} as well as {ctx.platform.name}'s IP ranges: "
            f"without it, every {ctx.platform.name} customer's mail from those servers would "
            "be permitted too."
        )
    if based_on == mc.HEADER_FROM:
        notes.append(
            "Choose the Message From Address: the default Return Address matches the hidden "
            f"envelope sender, which for {ctx.platform.name} mail may be a different address."
        )
        # §1 conflict and §9 rule 6: a header-only permit is unlikely to act at greylisting time.
        notes.append(
            "Greylisting decides from the sending server and the envelope, before the header "
            "From is read, so this policy may not stop first-delivery delays (451 deferrals) "
            "even though Mimecast says permitted senders skip greylisting. This is an "
            "inference: Mimecast does not say at which stage a permit is checked. "
            + (
                "The Greylisting step below covers it."
                if ctx.account.bulk
                else "If first deliveries are deferred, add a Greylisting policy for "
                f"{ctx.platform.name}'s IP ranges as well."
            )
        )
    if ctx.sender.shared:
        notes.append(
            "This address is shared by every customer of the platform: see the warning about "
            "narrowing who it applies to."
        )
    return step(
        PolicyId.PERMITTED_SENDERS,
        title="Permit the sender (Permitted Senders policy)",
        settings=settings,
        why=why,
        notes=notes,
        reference="§1, §9 rules 1, 2 and 7",
    )


def shared_address_warning(ctx: AccountContext) -> str:
    """§9 rule 2: the shared address is every platform customer's From; say what that means."""
    if not ctx.sender.shared or not ctx.sender.from_addresses:
        return ""
    name = ctx.platform.name
    shared = ctx.sender.from_addresses[0].address
    has_ips = bool(ctx.policy_ips)
    ips = (
        f" The IP ranges in these steps stop forgeries from other servers, but not other {name} "
        "customers' mail."
        if has_ips
        else ""
    )
    add_ips = "" if has_ips else f", add {name}'s IP ranges ({ip_hint(ctx)})"
    return (
        f"{shared} is shared by every {name} customer. Permitting it lets mail from any "
        f"{name} customer (and anyone who forges that From address) into {ctx.organisation}."
        f"{ips} To narrow it: set Applies To to only the people who receive this mail (a "
        f"profile group) instead of all internal addresses{add_ips}, or best, send from your "
        "own verified address or your own sending domain, so the policies name an address "
        "that is yours alone."
    )
