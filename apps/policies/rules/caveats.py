"""What a document says once, not in every step (§9 rule 12): caveats drawn from the steps the
plan holds, why each ‡ value is inferred, the basis actually used, and each account's summary."""

from __future__ import annotations

from collections.abc import Iterable

from apps.policies import mimecast as mc
from apps.policies.rules import google, microsoft365, others
from apps.policies.rules.authentication import dmarc_unchecked
from apps.policies.rules.common import Sender, describe, envelope_domain
from apps.policies.rules.delivery import READ_ENVELOPE
from apps.policies.types import AccountPlan, Basis, PlanRequest, PolicyId, Step
from apps.policies.wording import in_sentence

# Why each ‡ value is inferred, keyed by (policy, field).
_INFERRED: dict[tuple[PolicyId, str], str] = {
    # §3: the API action is no_action; the console label was not seen.
    (PolicyId.GREYLISTING_BYPASS, mc.SELECT_OPTION): (
        "Greylisting, Select Option: Mimecast names it only 'no action'; pick the option that "
        "does not greylist."
    ),
    # §3: contested between API wrappers; no source shows the console form.
    (PolicyId.GREYLISTING_BYPASS, mc.SOURCE_IPS): (
        "Greylisting, Source IP Ranges: unconfirmed whether the form has this field. If not, "
        "set Applies From: Email Domain, Specifically: {envelope}."
    ),
    # §2: "enable or disable the bypass", without the exact label.
    (PolicyId.ANTI_SPOOFING_SPF_BYPASS, mc.SELECT_OPTION): (
        "SPF-Based Bypass, Select Option: pick the option that enables the bypass."
    ),
    # §10: Allow Rules were not read field by field.
    (PolicyId.ALLOW_RULE, "Sender address"): (
        "Allow Rule: its menu path and field names are unconfirmed; allow by sender address."
    ),
}

_BASIS = {
    Basis.ADDRESS: "the From address",
    Basis.IP: "the platform's IP ranges",
    Basis.ADDRESS_AND_IP: "the From address and the platform's IP ranges",
}

# What an account's summary names, in the order of the steps, with the reason (§1–§4, §10).
_WHAT = {
    PolicyId.PERMITTED_SENDERS: "Permitted Senders (reputation and spam checks)",
    PolicyId.ANTI_SPOOFING_BYPASS: "an Anti-Spoofing exception (it uses your own domain)",
    PolicyId.ANTI_SPOOFING_SPF_BYPASS: "an Anti-Spoofing SPF-Based Bypass (it uses your own "
    "domain)",
    PolicyId.IMPERSONATION_BYPASS: "an Impersonation Protection Bypass (its display name)",
    PolicyId.GREYLISTING_BYPASS: "a Greylisting bypass (bulk sends)",
    PolicyId.ALLOW_RULE: "an Allow Rule (Email Security – API)",
    PolicyId.M365_ENHANCED_FILTERING: "Enhanced Filtering (Microsoft 365 behind a gateway)",
    PolicyId.M365_SENDER_ALLOW: "a Microsoft 365 sender allow (Junk and quarantine)",
    PolicyId.M365_SPOOFED_SENDER_ALLOW: "a Microsoft 365 spoofed-sender allow (your own domain)",
    PolicyId.GOOGLE_INBOUND_GATEWAY: "Gmail's Inbound gateway (a gateway in front)",
    PolicyId.GOOGLE_APPROVED_SENDERS: "Gmail approved senders (Spam)",
    PolicyId.GATEWAY_ALLOW: "the gateway's allow-list entry",
    PolicyId.GATEWAY_RATE_EXEMPTION: "a rate-control exemption (bulk sends)",
}


def inferred_notes(request: PlanRequest, sender: Sender, steps: Iterable[Step]) -> tuple[str, ...]:
    seen = {(s.policy, setting.field) for s in steps for setting in s.settings if setting.inferred}
    # §3: the IP-free route names the envelope domain, or says where to read it.
    envelope = envelope_domain(request.platform) or READ_ENVELOPE.format(
        sender=describe(sender.from_addresses)
    )
    return tuple(text.format(envelope=envelope) for key, text in _INFERRED.items() if key in seen)


def basis_note(request: PlanRequest, sender: Sender, accounts: tuple[AccountPlan, ...]) -> str:
    """The header's one sentence: the basis asked for, and what the steps actually use."""
    name = request.platform.name
    asked = _BASIS[request.basis]
    # The basis governs Permitted Senders: without one there is nothing to say.
    if not any(s.policy is PolicyId.PERMITTED_SENDERS for a in accounts for s in a.steps):
        return ""
    if request.basis is not Basis.ADDRESS and not sender.ip_ranges:
        return (
            f"You asked to match on {asked}; {name}'s IP ranges were unavailable, so the "
            "policies match on the From address only."
        )
    bypasses = any(a.ip_ranges for a in accounts) and request.basis is Basis.ADDRESS
    extra = f"; exceptions are also restricted to {name}'s IP ranges" if bypasses else ""
    return f"Permitted Senders match on {asked}, as you asked{extra}."


def caveats(
    request: PlanRequest, sender: Sender, accounts: tuple[AccountPlan, ...]
) -> tuple[str, ...]:
    name = request.platform.name
    steps = [s for a in accounts for s in a.steps]
    policies = {s.policy for s in steps}
    out: list[str] = []
    if any(a.ip_ranges for a in accounts):
        ips = request.platform_ips
        stale = " (the latest lookup failed: these are the last ranges read)" if ips.stale else ""
        out.append(
            f"IP ranges as looked up {in_sentence(ips.resolved_at)}{stale}; when {name} changes "
            "servers, update the policies that list them."
        )
        if any(":" in r for a in accounts for r in a.ip_ranges):
            # §0 gives the field as n.n.n.n/x only.
            out.append(
                "If Source IP Ranges refuses an IPv6 range, leave it out (Mimecast documents "
                "IPv4 only)."
            )
    if any(
        x.field == mc.ADDRESSES_BASED_ON and x.value == mc.HEADER_FROM
        for s in steps
        for x in s.settings
    ):
        # §9 rule 2: the default matches only the envelope.
        out.append(
            "Addresses Based On: not the default Return Address, which is "
            f"{name}'s envelope sender."
        )
    if any(
        PolicyId.PERMITTED_SENDERS in {s.policy for s in a.steps}
        and PolicyId.GREYLISTING_BYPASS not in {s.policy for s in a.steps}
        for a in accounts
    ):
        # §1 conflict, §9 rule 6 (inference).
        out.append(
            "First deliveries still deferred (451)? Add a Greylisting bypass: greylisting acts "
            "before the header From is read, so a permit may not prevent it."
        )
    if PolicyId.IMPERSONATION_BYPASS in policies:
        # §4, §12: UNCONFIRMED which control acts on an address in a display name.
        out.append(
            "Unconfirmed: which check acts on an address in a display name. Still held? "
            "Message Tracking names the policy; for Content Examination, add a Content "
            "Examination Bypass for the sender."
        )
    if PolicyId.URL_PROTECTION_BYPASS in policies:
        # §11: the alternative and its cost.
        out.append(
            "Instead of the URL Protection Bypass, a permitted Managed URL for the survey site "
            "(rewriting off) keeps links intact; its option label is unconfirmed."
        )
    if PolicyId.PERMITTED_SENDERS in policies:
        # §1: what a permit does not bypass; vendor convention; §0 [S82] Override in practice.
        out.append(
            "Create new policies; don't edit the defaults. Tick Policy Override only if an "
            "existing policy of the same type has it. Permits don't bypass Anti-Spoofing, "
            "Impersonation Protect, DNS Authentication or Blocked Senders."
        )
    if PolicyId.VERIFY in policies:
        # §0 [S89]: what Message Tracking keeps.
        out.append("Message Tracking keeps rejected and deferred mail 7 days, naming the policy.")
    for domain in dmarc_unchecked(request, sender):
        # §5: DMARC of the customer's own domain matters at every recipient.
        out.append(
            f"DMARC: couldn't check — {domain}'s DMARC is not known: if it publishes "
            f"p=quarantine or p=reject, {name}'s mail must pass DKIM for {domain}, or no "
            "policy here helps."
        )
    for row in dict.fromkeys(
        row
        for a in accounts
        if a.steps and (row := others.gateway_for(a.gateway.name, a.gateway.evidence))
    ):
        out += others.caveats(row)
    if any(s.policy.value.startswith("m365_") for s in steps):
        out.append(microsoft365.DONT)
    if any(s.policy.value.startswith("google_") for s in steps):
        out.append(google.DONT)
    if any(a.gateway.region_label for a in accounts):
        # §0 navigation, §6 [S53].
        out.append(
            f"Older consoles: {mc.LEGACY_PREFIX} instead of {mc.CURRENT_PREFIX}, and "
            f"Administration → Message Center. {mc.ACCOUNT_CODE}"
        )
    return tuple(out)


def account_summary(organisation: str, steps: tuple[Step, ...]) -> str:
    """One sentence: what this account's admin adds, and why, for its own steps only."""
    wanted = (_WHAT[s.policy] for s in steps if s.policy in _WHAT and not s.optional)
    needed = list(dict.fromkeys(wanted))
    if not needed:
        return ""
    listed = needed[0] if len(needed) == 1 else f"{', '.join(needed[:-1])} and {needed[-1]}"
    return f"At {organisation}, add {listed}, then test."
