"""Impersonation Protection Bypass: a display name that names the recipients' own domain (§4)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import domains_named_in_text
from apps.policies.rules.common import (
    AccountContext,
    address_note,
    addresses_based_on,
    describe,
    ip_advice,
    ip_note,
    step,
)
from apps.policies.rules.spoofing import internal_display
from apps.policies.types import Mode, PolicyId, Step, WhitelistAddress


def display_name_hits(ctx: AccountContext) -> tuple[str, ...]:
    """§9 rule 5: what in the display name points at this account's own domains."""
    hits = [a.address for a in internal_display(ctx)]
    for domain in domains_named_in_text(ctx.sender.display_text, ctx.domains):
        if not any(hit.endswith("@" + domain) for hit in hits):
            hits.append(domain)
    return tuple(hits)


def impersonation_bypass(ctx: AccountContext) -> list[Step]:
    """§9 rule 5: Permitted Senders does not cover Impersonation Protect; a bypass does."""
    hits = display_name_hits(ctx)
    if not hits:
        return []
    return [_bypass(ctx, address, hits) for address in ctx.sender.from_addresses]


def _bypass(ctx: AccountContext, address: WhitelistAddress, hits: tuple[str, ...]) -> Step:
    ranges = ctx.policy_ips
    settings = [
        (mc.NARRATIVE, f"Impersonation bypass for {ctx.platform.name} mail from {address.address}"),
        (mc.SELECT_OPTION, mc.TAKE_NO_ACTION_IMPERSONATION),  # §4 (versions conflict)
        (mc.ADDRESSES_BASED_ON, addresses_based_on(ctx, (address,))),
        (mc.APPLIES_FROM, mc.INDIVIDUAL_ADDRESS),
        (mc.SPECIFICALLY, address.address),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),
    ]
    if ranges:
        settings.append((mc.SOURCE_IPS, ", ".join(ranges)))  # §9 rule 5: ideally IP-scoped
    settings += [(mc.PERPETUAL, mc.PERPETUAL_VALUE)]
    better = (
        "verify your own address with the platform, or set up your own sending domain"
        if ctx.mode is Mode.UNVERIFIED_ADDRESS
        else "use a display name that does not contain an address or domain of the recipients"
    )
    notes = [
        "UNCONFIRMED: Mimecast does not document which check acts on a display name that "
        "contains an address or domain of the recipient organisation (Anti-Spoofing or "
        "Impersonation Protect's Internal User Name), nor that either one does. "
        "If the test message is still held, Message Tracking names the policy that acted.",
        "Select Option: Mimecast's documentation has two versions of this form. One offers "
        "'Take no action' or 'Disable Impersonation Protect' (choose 'Take no action'); the "
        "other asks for a definition instead. Choose whichever option stops Impersonation "
        "Protect acting on this sender.",
        "This bypass switches off every Impersonation Protect check for this sender; single "
        "checks cannot be excluded.",
    ]
    # §9 rule 7: say what each basis means for server changes.
    notes += [ip_note(ctx, ranges)] if ranges else [address_note(ctx), ip_advice(ctx, "bypass")]
    return step(
        PolicyId.IMPERSONATION_BYPASS,
        title="Allow its display name (Impersonation Protection Bypass)",
        settings=settings,
        why=(
            f"The mail's display name shows {', '.join(hits)}, which belongs to "
            f"{ctx.organisation}, while the real From address is {describe((address,))}. "
            "Mimecast may treat that as someone impersonating a colleague and hold or block "
            f"the mail. The better fix is to {better}: then no bypass is needed."
        ),
        notes=notes,
        reference="§4, §9 rule 5",
    )


def display_name_warning(ctx: AccountContext) -> str:
    """§9 rule 5: a person's name in the display name may match an internal user's name.

    Only said where the sender is inside the recipient organisation (its From is at one of the
    account's domains), since only then is the display name likely a colleague's name.
    """
    text = ctx.sender.display_text.strip()
    if not text or display_name_hits(ctx) or ctx.sender.display_addresses:
        return ""
    if not any(ctx.is_internal(a) for a in ctx.sender.from_addresses):
        return ""
    return (
        f"If the display name '{text}' is the name of someone at {ctx.organisation}, "
        "Impersonation Protect's Internal User Name check may count it as an impersonation "
        "hit; whether the mail is then held depends on the policy's Number of Hits. If "
        "Message Tracking shows Impersonation Protect acted, add an Impersonation Protection "
        "Bypass for this sender (Permitted Senders does not cover it)."
    )
