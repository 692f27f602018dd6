"""Greylisting (§3), URL Protect and survey links (§11), and the check that the policies work
(§0 Message Tracking, §9 rule 9)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.rules.common import (
    AccountContext,
    Row,
    addresses_based_on,
    describe,
    envelope_domain,
    inferred,
    source_ips,
    step,
    validity,
)
from apps.policies.types import PolicyId, Step

# §0 [S89]: how an admin reads the envelope domain when the platform's record lacks it.
READ_ENVELOPE = (
    "the domain of the Return Address (envelope From) that Message Tracking shows for a "
    "message from {sender}"
)


def greylisting_bypass(ctx: AccountContext) -> list[Step]:
    """§9 rule 6: bulk or time-sensitive sends are held up by greylisting's first deferral."""
    if not ctx.account.bulk:
        return []
    ranges = ctx.bypass_ips
    domain = envelope_domain(ctx.platform)
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: no greylisting"),
        inferred(mc.SELECT_OPTION, mc.TAKE_NO_ACTION),  # §3: the API's no_action; label inferred
        (mc.ADDRESSES_BASED_ON, mc.ENVELOPE_FROM),  # §3: greylisting keys on the envelope
    ]
    if domain or not ranges:
        # §3 (inference): the envelope domain matches every message, even with per-message
        # local parts, and needs no IPs.
        sender = describe(ctx.sender.from_addresses)
        settings += [
            (mc.APPLIES_FROM, mc.EMAIL_DOMAIN),
            (mc.SPECIFICALLY, domain or READ_ENVELOPE.format(sender=sender)),
        ]
    else:
        settings.append((mc.APPLIES_FROM, mc.EVERYONE))
    if ranges:
        # §3: whether the form offers Source IP Ranges is UNCONFIRMED (said once, caveats).
        settings.append(inferred(mc.SOURCE_IPS, ", ".join(ranges)))
    settings += validity(override=False)
    return [
        step(
            PolicyId.GREYLISTING_BYPASS,
            title="Stop first-delivery delays (Greylisting)",
            settings=settings,
            why=(
                "Greylisting defers (451) the first message from each new server and sender to "
                "each recipient: bulk sends arrive minutes to hours late."
            ),
        )
    ]


def url_protection_bypass(ctx: AccountContext) -> list[Step]:
    """§9 rule 11: unique survey links may be rewritten and pre-scanned by URL Protect."""
    if not ctx.request.sending.unique_links:
        return []
    addresses = ctx.sender.from_addresses
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: no URL rewriting"),
        (mc.SELECT_OPTION, mc.DISABLE_URL_PROTECTION),  # §11 [S80]: as §4, not Take No Action
        (mc.ADDRESSES_BASED_ON, addresses_based_on(ctx, addresses)),
        (mc.APPLIES_FROM, mc.INDIVIDUAL_ADDRESS),
        *((mc.SPECIFICALLY, a.address) for a in addresses),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),
        *source_ips(ctx.bypass_ips),
        *validity(override=False),
    ]
    return [
        step(
            PolicyId.URL_PROTECTION_BYPASS,
            title="Optional: leave survey links unscanned (URL Protection Bypass)",
            settings=settings,
            why=(
                "If you use URL Protect: its scans can open or use up one-time survey links. "
                "The cost: these links are no longer checked on click."
            ),
            optional=True,
        )
    ]


def verify(ctx: AccountContext) -> Step:
    """§9 rule 9, §0: wait, then Message Tracking by From and by sender IP, within 7 days."""
    settings: list[Row] = [("From Address", describe(ctx.sender.from_addresses))]
    if ctx.sender.ip_ranges:
        settings.append(("Sender IP (any of)", ", ".join(ctx.sender.ip_ranges)))
    return step(
        PolicyId.VERIFY,
        title="Check that it works (Message Tracking)",
        settings=settings,
        why=(
            f"5 minutes after saving, send a test to someone at {ctx.organisation} who has "
            f"not had {ctx.platform.name} mail yet, and find it here."
        ),
    )


def allow_rule(ctx: AccountContext) -> list[Step]:
    """§10, §9 rule 10: Email Security – API has no gateway policies; Allow Rules win. The
    check that it works is Microsoft 365's message trace, whose steps follow."""
    settings: list[Row] = [inferred("Sender address", a.address) for a in ctx.sender.from_addresses]
    return [
        step(
            PolicyId.ALLOW_RULE,
            title="Allow the sender (Email Security – API: Allow Rule)",
            settings=settings,
            why=(
                f"Mimecast protects {ctx.organisation}'s Microsoft 365 through its API, where "
                "an Allow Rule for the sender address wins over every policy action."
            ),
            notes=["Microsoft 365's own filtering still applies: its steps follow."],
        ),
    ]
