"""DMARC for the customer's own From domain (§5, §9 rules 3–4): no policy can rescue mail that
fails an enforcing DMARC record, so this is said first, to every recipient account."""

from __future__ import annotations

from apps.policies.addresses import domain_of
from apps.policies.rules.common import Sender, ascii_domain, envelope_domain
from apps.policies.types import Mode, PlanRequest, SendingDomainFacts

ENFORCING = ("quarantine", "reject")


def own_from_domains(request: PlanRequest, sender: Sender) -> list[str]:
    """The customer's own From domains: a verified address or a sending domain (not shared)."""
    if request.sending.mode is Mode.UNVERIFIED_ADDRESS:
        return []
    return list(dict.fromkeys(domain_of(a.address) for a in sender.from_addresses))


def dmarc_blockers(request: PlanRequest, sender: Sender) -> tuple[str, ...]:
    """§5: the From domain's DMARC would fail under p=quarantine/reject for the platform's mail."""
    out = []
    for domain in own_from_domains(request, sender):
        facts = _facts(request, domain)
        if facts is None or facts.dmarc_policy.lower() not in ENFORCING:
            continue
        if facts.dkim_selectors_found or _spf_aligns(request, facts, domain):
            continue
        out.append(_failing(request, facts, domain))
    return tuple(out)


def dmarc_unchecked(request: PlanRequest, sender: Sender) -> tuple[str, ...]:
    """The own From domains whose DMARC could not be read: said once, as a caveat."""
    return tuple(d for d in own_from_domains(request, sender) if _facts(request, d) is None)


def _facts(request: PlanRequest, domain: str) -> SendingDomainFacts | None:
    facts = request.sending_domain_facts
    return facts if facts is not None and ascii_domain(facts.domain) == domain else None


def _spf_aligns(request: PlanRequest, facts: SendingDomainFacts, domain: str) -> bool:
    """SPF aligns only when the envelope (Return-Path) domain is the From domain's own (§5)."""
    envelope = envelope_domain(request.platform)
    ours = facts.envelope_aligned or (
        bool(envelope) and (envelope == domain or envelope.endswith("." + domain))
    )
    return ours and facts.spf_authorises_platform is True


def _failing(request: PlanRequest, facts: SendingDomainFacts, domain: str) -> str:
    platform = request.platform
    selectors = platform.dkim_selectors
    dkim = (
        ", ".join(f"{s}._domainkey.{domain}" for s in selectors)
        if selectors
        else f"the selector {platform.name} gives you, under _domainkey.{domain}"
    )
    held = "held" if facts.dmarc_policy.lower() == "quarantine" else "rejected"
    return (
        f"{platform.name}'s mail fails {domain}'s DMARC (p={facts.dmarc_policy.lower()}): no "
        f"DKIM signature for {domain}, and SPF does not align. It will be {held} and no "
        f"allow-list policy can rescue it. The sender must publish {platform.name}'s DKIM key "
        f"for {domain} at {dkim}."
    )
