"""Anti-Spoofing exceptions: mail "from" the recipient's own domain, sent from outside (§2).

Anti-Spoofing only acts when the From is at one of the recipient's own domains, and an exception
scoped to an external address does nothing [S85]: so only internal From addresses get a step, and
a display name showing an internal address never does (§9 rule 2).
"""

from __future__ import annotations

import re

from apps.policies import mimecast as mc
from apps.policies.addresses import domain_of
from apps.policies.rules.common import (
    AccountContext,
    Row,
    inferred,
    source_ips,
    step,
    validity,
)
from apps.policies.types import Mode, PolicyId, Step, WhitelistAddress

SPF_TERMS_CHECKED = 10  # §2 limits: IPs reached after the 10th term fail the check


def internal_from(ctx: AccountContext) -> tuple[WhitelistAddress, ...]:
    """§9 rule 3: From addresses at one of this account's own domains."""
    return tuple(a for a in ctx.sender.from_addresses if ctx.is_internal(a))


def anti_spoofing(ctx: AccountContext) -> list[Step]:
    """§9 rule 3: (a) Take No Action restricted to the platform's IPs, (b) the SPF-Based Bypass;
    an exception with neither is never handed over to save."""
    own = internal_from(ctx)
    if not own:
        return []  # §9 rule 4: Anti-Spoofing is irrelevant
    spf_ok = [d for d in dict.fromkeys(domain_of(a.address) for a in own) if not spf_gap(ctx, d)]
    steps = [
        _take_no_action(ctx, target, applies_from)
        for target, applies_from in _targets(ctx, own)
        if ctx.bypass_ips or _domain(target, applies_from) not in spf_ok
    ]
    if spf_ok:
        steps.append(_spf_bypass(ctx, tuple(spf_ok), optional=bool(ctx.bypass_ips)))
    return steps


def _targets(ctx: AccountContext, own: tuple[WhitelistAddress, ...]) -> list[tuple[str, str]]:
    """Each exception's scope: the whole domain when the customer permits it, else each address."""
    if ctx.mode is Mode.SENDING_DOMAIN and ctx.request.sending.permit_whole_domain:
        return [(d, mc.EMAIL_DOMAIN) for d in dict.fromkeys(domain_of(a.address) for a in own)]
    return [(a.address, mc.INDIVIDUAL_ADDRESS) for a in own]


def _domain(target: str, applies_from: str) -> str:
    return target if applies_from == mc.EMAIL_DOMAIN else domain_of(target)


def spf_gap(ctx: AccountContext, domain: str) -> str:
    """Why `domain`'s SPF cannot carry an SPF-Based Bypass ("" when it can): it must authorise
    the platform within its first 10 terms and must not end in +all (§2 limits)."""
    facts = ctx.facts_for(domain)
    include = ctx.platform.spf_include
    # The same words as every other page: "SPF: missing", "SPF: couldn't check" (dnscheck.status).
    if facts is None or facts.spf_authorises_platform is None:
        return (
            f"SPF: couldn't check — whether {domain}'s SPF record authorises {ctx.platform.name} "
            "is not known"
        )
    if facts.spf_status == "missing":
        return f"SPF: missing — {domain} publishes no SPF record"
    if facts.spf_status == "invalid":
        return f"SPF: has a problem — {domain}'s SPF record is broken"
    if not facts.spf_authorises_platform:
        return f"SPF: needs a change — {domain}'s SPF record does not include:{include}"
    terms = [t.lower() for t in facts.spf_record.split()[1:]]
    if terms and terms[-1] in ("+all", "all"):
        return f"{domain}'s SPF record ends in {terms[-1]}, which Mimecast does not allow here"
    position = _term_position(terms, include.lower())
    if position is None and len(terms) >= SPF_TERMS_CHECKED:
        return (
            f"{domain}'s SPF record has {len(terms)} terms and reaches {ctx.platform.name} "
            f"through a nested one; Mimecast checks only the first {SPF_TERMS_CHECKED}"
        )
    if position is not None and position > SPF_TERMS_CHECKED:
        return (
            f"include:{include} is term {position} of {domain}'s SPF record; Mimecast checks "
            f"only the first {SPF_TERMS_CHECKED}"
        )
    return ""


def _term_position(terms: list[str], include: str) -> int | None:
    pattern = re.compile(rf"^[+?~-]?(include:|redirect=){re.escape(include)}$")
    return next((i for i, term in enumerate(terms, start=1) if pattern.match(term)), None)


def _take_no_action(ctx: AccountContext, target: str, applies_from: str) -> Step:
    ranges = ctx.bypass_ips
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: Anti-Spoofing exception for {target}"),
        (mc.SELECT_OPTION, mc.TAKE_NO_ACTION),  # §2 best-practice exception
        (mc.ADDRESSES_BASED_ON, mc.BOTH),  # §2 [S85]: Mimecast's own fix uses Both
        (mc.APPLIES_FROM, applies_from),
        (mc.SPECIFICALLY, target),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),  # §2 default policy: To Internal Addresses
        *source_ips(ranges),  # §2: restricted to the sending IPs, whatever the basis
        *validity(),
    ]
    domain = _domain(target, applies_from)
    return step(
        PolicyId.ANTI_SPOOFING_BYPASS,
        title="Exempt it from Anti-Spoofing (Anti-Spoofing: Take No Action)",
        settings=settings,
        why=(
            f"Anti-Spoofing rejects (550) outside mail that uses {ctx.organisation}'s own "
            f"domain; this lets {target} through from {ctx.platform.name}'s servers only."
        ),
        # §9 rule 3: without IPs (or SPF) the exception would let anyone in as this address.
        blocked="" if ranges else _missing(ctx, domain),
    )


def _missing(ctx: AccountContext, domain: str) -> str:
    name, include = ctx.platform.name, ctx.platform.spf_include
    return (
        f"This exception needs {name}'s Source IP Ranges, which could not be looked up when "
        "these instructions were made; open them again later (or ask "
        f"{name}) to get them. Saved without them it would let anyone send as this address. "
        f"Alternatively, once {domain}'s SPF record has include:{include} within its first "
        f"{SPF_TERMS_CHECKED} terms, an Anti-Spoofing SPF-Based Bypass listing {domain} does "
        f"the same job (now: {spf_gap(ctx, domain)})."
    )


def _spf_bypass(ctx: AccountContext, domains: tuple[str, ...], *, optional: bool) -> Step:
    listed = ", ".join(domains)
    settings: list[Row] = [
        (mc.NARRATIVE, f"{ctx.platform.name}: SPF-Based Bypass for {listed}"),
        inferred(mc.SELECT_OPTION, mc.ENABLED),  # §2: "enable or disable"; label not given
        (mc.SPF_DOMAINS, listed),  # §2: list the internal domain being spoofed
        (mc.APPLIES_FROM, mc.EVERYONE),  # §2: recommended Everyone → Everyone
        (mc.APPLIES_TO, mc.EVERYONE),
        *validity(override=False),
    ]
    why = (
        f"Lets {listed} mail past Anti-Spoofing whenever it passes SPF, which authorises "
        f"{ctx.platform.name}; this survives server changes."
    )
    return step(
        PolicyId.ANTI_SPOOFING_SPF_BYPASS,
        title="Exempt it when SPF passes (Anti-Spoofing SPF-Based Bypass)",
        settings=settings,
        why=f"Optional, beside the exception: {why[0].lower()}{why[1:]}" if optional else why,
        notes=[
            # §2 limits: one such policy per mail flow, listing many domains.
            f"Only one SPF-Based Bypass applies per mail flow: if one exists, add {listed} to it."
        ],
        optional=optional,
    )
