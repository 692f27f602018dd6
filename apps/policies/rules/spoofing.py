"""Anti-Spoofing exceptions: mail "from" the recipient's own domain, sent from outside (§2)."""

from __future__ import annotations

from apps.policies import mimecast as mc
from apps.policies.addresses import domain_of
from apps.policies.rules.common import (
    AccountContext,
    address_note,
    addresses_based_on,
    describe,
    ip_advice,
    ip_hint,
    ip_note,
    step,
)
from apps.policies.types import Mode, PolicyId, Step, WhitelistAddress

FROM_ONLY_WARNING = (
    "The Anti-Spoofing exception for {who} matches on the From address only. Mimecast warns "
    "against this: it lets in mail with that From address from any server in the world, "
    "including forgeries. Restricting it to {platform}'s IP ranges ({hint}) is Mimecast's "
    "recommended form."
)


def internal_from(ctx: AccountContext) -> tuple[WhitelistAddress, ...]:
    """§9 rule 3: From addresses at one of this account's own domains."""
    return tuple(a for a in ctx.sender.from_addresses if ctx.is_internal(a))


def internal_display(ctx: AccountContext) -> tuple[WhitelistAddress, ...]:
    """Addresses in the display name at one of this account's domains (§4 display-name case)."""
    return tuple(a for a in ctx.sender.display_addresses if ctx.is_internal(a))


def spf_domains(ctx: AccountContext) -> tuple[str, ...]:
    """§9 rule 3(b): own domains whose SPF (per DNS facts) authorises the platform."""
    found: list[str] = []
    for address in internal_from(ctx):
        domain = domain_of(address.address)
        facts = ctx.facts_for(domain)
        # §2 limits: no domains whose SPF ends in +all.
        if (
            facts is not None
            and facts.spf_authorises_platform is True
            and not ends_in_plus_all(facts.spf_record)
            and domain not in found
        ):
            found.append(domain)
    return tuple(found)


def ends_in_plus_all(record: str) -> bool:
    """§2: an SPF record ending in `+all`; a bare `all` has the default qualifier `+` too."""
    terms = record.strip().lower().split()
    return bool(terms) and terms[-1] in ("+all", "all")


def anti_spoofing(ctx: AccountContext) -> list[Step]:
    """§9 rule 4: nothing to do unless a From (or display-name) address is at an own domain."""
    own = internal_from(ctx)
    spf = spf_domains(ctx)
    steps: list[Step] = []
    if spf:
        steps.append(_spf_bypass(ctx, spf))
    # §9 rule 3(a): a Take No Action exception for each own-domain From not covered by SPF.
    rest = tuple(a for a in own if domain_of(a.address) not in spf)
    if ctx.mode is Mode.SENDING_DOMAIN and ctx.request.sending.permit_whole_domain:
        for domain in dict.fromkeys(domain_of(a.address) for a in rest):
            group = tuple(a for a in rest if domain_of(a.address) == domain)
            steps.append(_take_no_action(ctx, group, domain=domain, display_case=False))
    else:
        steps += [_take_no_action(ctx, (a,), domain="", display_case=False) for a in rest]
    # §4 display-name case: reported as blocked like spoofing; which check acts is UNCONFIRMED.
    if internal_display(ctx) and not own:
        steps += [
            _take_no_action(ctx, (a,), domain="", display_case=True)
            for a in ctx.sender.from_addresses
        ]
    return steps


def from_only_warning(ctx: AccountContext, steps: list[Step]) -> str:
    """§2: a From-only exception accepts forged mail from anywhere; say so when we give one."""
    loose = [
        s
        for s in steps
        if s.policy is PolicyId.ANTI_SPOOFING_BYPASS
        and not any(setting.field == mc.SOURCE_IPS for setting in s.settings)
    ]
    if not loose:
        return ""
    named = [x.value for s in loose for x in s.settings if x.field == mc.SPECIFICALLY]
    who = ", ".join(dict.fromkeys(named))
    return FROM_ONLY_WARNING.format(who=who, platform=ctx.platform.name, hint=ip_hint(ctx))


def _take_no_action(
    ctx: AccountContext,
    addresses: tuple[WhitelistAddress, ...],
    *,
    domain: str,
    display_case: bool,
) -> Step:
    ranges = ctx.policy_ips
    target = domain or addresses[0].address
    settings = [
        (mc.NARRATIVE, f"Anti-Spoofing exception for {ctx.platform.name} mail from {target}"),
        (mc.SELECT_OPTION, mc.TAKE_NO_ACTION),  # §2 best-practice exception
        (mc.ADDRESSES_BASED_ON, addresses_based_on(ctx, addresses)),
        (mc.APPLIES_FROM, mc.EMAIL_DOMAIN if domain else mc.INDIVIDUAL_ADDRESS),
        (mc.SPECIFICALLY, target),
        (mc.APPLIES_TO, mc.INTERNAL_ADDRESSES),  # §2 default policy: To Internal Addresses
    ]
    if ranges:
        settings.append((mc.SOURCE_IPS, ", ".join(ranges)))  # §2: restricted to source IPs
    settings += [(mc.POLICY_OVERRIDE, mc.OVERRIDE_OFF), (mc.PERPETUAL, mc.PERPETUAL_VALUE)]
    # §9 rule 7: say what each basis means for server changes.
    notes = [ip_note(ctx, ranges)] if ranges else [address_note(ctx), ip_advice(ctx, "exception")]
    if display_case:
        why = (
            f"The display name of this mail shows an address at {ctx.organisation}'s own "
            f"domain ({describe(internal_display(ctx))}). Senders report that Mimecast "
            "treats this as spoofing and blocks the mail, although Mimecast's documentation "
            "does not say so (see the note); this exception lets it through."
        )
        notes.append(
            "UNCONFIRMED: Mimecast's documentation does not say whether Anti-Spoofing or "
            "Impersonation Protect acts on an address shown in the display name. If the test "
            "message is still blocked, Message Tracking names the policy that acted."
        )
    else:
        subject = "From addresses (…) are" if len(addresses) > 1 else "From address (…) is"
        why = (
            f"The mail's {subject.replace('…', describe(addresses))} at {ctx.organisation}'s "
            "own domain but comes from outside Mimecast, so the Anti-Spoofing policy rejects it "
            "(550) unless there is an exception. "
            + (
                f"This one takes no action only for mail from {ctx.platform.name}'s servers, "
                "which is Mimecast's recommended form."
                if ranges
                else "This one matches the From address only: see the warning about forgeries."
            )
        )
        notes.append(
            "Make sure the mail passes SPF, DKIM and DMARC for this domain, or the DNS "
            "Authentication - Inbound policy can still reject or hold it."
        )
        notes.append(_why_not_spf(ctx, domain or domain_of(addresses[0].address)))
    notes.append(
        "With Anti-Spoofing bypassed, Impersonation Protect will not catch a spoof of this "
        "address, so keep the exception as narrow as possible."
    )
    return step(
        PolicyId.ANTI_SPOOFING_BYPASS,
        title="Allow it past Anti-Spoofing (Anti-Spoofing policy: Take No Action)",
        settings=settings,
        why=why,
        notes=notes,
        reference="§2, §9 rule 3" if not display_case else "§2, §4",
    )


def _why_not_spf(ctx: AccountContext, domain: str) -> str:
    """§2 / §9 rule 3(b): say why the SPF Based Bypass was not offered for this domain."""
    facts = ctx.facts_for(domain)
    name, include = ctx.platform.name, ctx.platform.spf_include
    alternative = (
        "an Anti-Spoofing SPF Based Bypass listing this domain would be an alternative that "
        f"keeps working when {name} changes servers."
    )
    if facts is None or facts.spf_authorises_platform is None:
        return (
            f"We could not check whether {domain}'s SPF record authorises {name}. If it does "
            f"(it includes {include}), {alternative}"
        )
    if facts.spf_authorises_platform is False:
        return (
            f"{domain}'s SPF record does not authorise {name}. If the domain's owner adds "
            f"include:{include} to it, mail also passes SPF, and {alternative}"
        )
    last = facts.spf_record.split()[-1] if facts.spf_record.split() else "+all"
    return (
        f"{domain}'s SPF record ends in '{last}', which lets every server pass (+all), and "
        "Mimecast says such domains must not be listed in an Anti-Spoofing SPF Based Bypass, "
        "so this exception is used instead."
    )


def _spf_bypass(ctx: AccountContext, domains: tuple[str, ...]) -> Step:
    listed = ", ".join(domains)
    settings = [
        (mc.NARRATIVE, f"SPF-based Anti-Spoofing bypass for {listed}"),
        (mc.SELECT_OPTION, mc.ENABLED),  # §2: enable or disable the bypass
        (mc.SPF_DOMAINS, listed),  # §2: list the internal domain being spoofed
        (mc.APPLIES_FROM, mc.EVERYONE),  # §2: recommended Everyone → Everyone
        (mc.APPLIES_TO, mc.EVERYONE),
        (mc.PERPETUAL, mc.PERPETUAL_VALUE),
    ]
    return step(
        PolicyId.ANTI_SPOOFING_SPF_BYPASS,
        title="Allow it past Anti-Spoofing when SPF passes (Anti-Spoofing SPF Based Bypass)",
        settings=settings,
        why=(
            f"The mail's From address is at {ctx.organisation}'s own domain, so Anti-Spoofing "
            f"would reject it. {listed} already authorises {ctx.platform.name} in its SPF "
            "record, so Mimecast can check each message's sending server against it: mail "
            "that passes is let through, forgeries from other servers are not. This keeps "
            f"working when {ctx.platform.name} changes servers, as long as the SPF record "
            "stays correct."
        ),
        notes=[
            "Select Option: choose the option that enables the bypass (Mimecast's "
            "documentation describes this choice only as enable or disable, without the exact "
            "label).",
            "Only one SPF Based Bypass policy applies per mail flow, but it can list many "
            "domains: if one exists already, add the domain to it instead.",
            "The domain's SPF record must not end in +all and must stay within 10 terms, or "
            "the check fails for servers listed after the 10th.",
            "Make sure the mail also passes DKIM and DMARC, or the DNS Authentication - "
            "Inbound policy can still reject or hold it.",
            *_long_spf_notes(ctx, domains),
        ],
        reference="§2, §9 rule 3(b)",
    )


def _long_spf_notes(ctx: AccountContext, domains: tuple[str, ...]) -> list[str]:
    """§2 limits: SPF records with 10 or more terms break the check after the 10th."""
    notes = []
    for domain in domains:
        facts = ctx.facts_for(domain)
        terms = [t for t in (facts.spf_record.split() if facts else []) if t.lower() != "v=spf1"]
        if len(terms) >= 10:
            notes.append(
                f"{domain}'s SPF record has {len(terms)} terms. Mimecast's check breaks for "
                "records with 10 or more (servers reached after the 10th term fail): make sure "
                f"include:{ctx.platform.spf_include} comes within the first 10 terms, or "
                "shorten the record, before relying on this bypass."
            )
    return notes
