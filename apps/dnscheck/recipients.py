"""Recipient domains: gateway and region from MX, and one verdict per recipient account."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import cast

from dns.rdtypes.ANY.MX import MX

from apps.dnscheck import gateways, typos
from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.concurrency import gather
from apps.dnscheck.names import InvalidDomain, to_ascii, to_display
from apps.dnscheck.resolver import lookup
from apps.dnscheck.types import DomainCheck, DomainStatus
from apps.policies import mimecast as mc
from apps.policies.gateways import label as gateway_label


def check_domain(domain: str) -> DomainCheck:
    try:
        name = to_ascii(domain)
    except InvalidDomain as error:
        shown = domain.strip()
        return DomainCheck(
            domain=shown,
            display_domain=shown,
            status=DomainStatus.INVALID,
            message=str(error),
            dns_status=Status.INVALID,
        )
    meant = typos.suggestion(name)
    if meant is not None:
        shown = to_display(name)
        return DomainCheck(
            domain=name,
            display_domain=shown,
            status=DomainStatus.TYPO,
            message=f"{shown} can't receive email — check the spelling (did you mean {meant}?).",
            dns_status=DomainStatus.TYPO,
        )
    mx = lookup(name, "MX")
    if mx.ok:
        return _from_mx(name, mx)
    if mx.status is Status.NODATA:
        return _without_mx(name, mx)
    return _unanswered(name, mx)


def _from_mx(name: str, mx: Answer) -> DomainCheck:
    shown = to_display(name)
    records = sorted(
        (mx_rdata.preference, mx_rdata.exchange.to_text(omit_final_dot=True).lower())
        for mx_rdata in cast(list[MX], mx.rdatas())
    )
    hosts = [host for _, host in records if host not in ("", ".")]
    if not hosts:
        # RFC 7505: a single "MX 0 ." says the domain accepts no mail at all.
        return DomainCheck(
            domain=name,
            display_domain=shown,
            status=DomainStatus.NULL_MX,
            evidence=(".",),
            message=f"{shown} can't receive email — check the spelling. It publishes a null MX, "
            "which says it accepts no email (RFC 7505).",
            dns_status=DomainStatus.NULL_MX,
        )
    found = gateways.classify(hosts)
    evidence = tuple(hosts)
    via = f"MX {', '.join(hosts[:3])}{' …' if len(hosts) > 3 else ''}"
    if found.gateway is None:
        return DomainCheck(
            domain=name,
            display_domain=shown,
            status=DomainStatus.UNKNOWN,
            evidence=evidence,
            message=f"{shown}: {via} — not a gateway we recognise.",
            dns_status=mx.status,
        )
    provider = found.gateway
    region = mc.REGIONS.get(found.region or "")
    also = [gateway_label(p) for p in found.also_seen]
    sentence = f"{shown} is protected by {provider.label}"
    if region:
        sentence += f", {region.label} region"
    sentence += f" ({via})."
    if len(found.regions_seen) > 1:
        labels = ", ".join(mc.REGIONS[r].label for r in found.regions_seen)
        sentence += f" Its MX hosts are in several Mimecast regions ({labels}); the first is used."
    if also:
        # other-gateways §13.0 rule 1: another MX host is a second way in, not a next hop.
        sentence += (
            f" Its MX records also list {', '.join(also)}: a secondary MX that lets senders "
            f"skip {provider.label}, so both get steps."
        )
    return DomainCheck(
        domain=name,
        display_domain=shown,
        status=DomainStatus.GATEWAY,
        gateway=provider.id,
        region=region.code if region else None,
        region_label=region.label if region else "",
        console=region.console_url.removeprefix("https://") if region else "",
        evidence=evidence,
        also_seen=found.also_seen,
        message=sentence,
        dns_status=mx.status,
    )


def _without_mx(name: str, mx: Answer) -> DomainCheck:
    """RFC 5321 §5.1: without MX, mail goes to the domain's own A/AAAA address."""
    shown = to_display(name)
    a, aaaa = gather([lambda: lookup(name, "A"), lambda: lookup(name, "AAAA")])
    if a.ok or aaaa.ok:
        addresses = tuple(r for answer in (a, aaaa) if answer.ok for r in answer.records)
        return DomainCheck(
            domain=name,
            display_domain=shown,
            status=DomainStatus.NO_MX,
            evidence=addresses,
            message=f"{shown} has no MX records, so mail goes straight to its own address "
            f"({', '.join(addresses)}): no gateway found.",
            dns_status=mx.status,
        )
    failed = next((answer for answer in (a, aaaa) if answer.failed), None)
    if failed is not None:
        return _unanswered(name, failed)
    return DomainCheck(
        domain=name,
        display_domain=shown,
        status=DomainStatus.NO_MAIL,
        message=f"{shown} can't receive email — check the spelling. It has no MX or address "
        "records.",
        dns_status=DomainStatus.NO_MAIL,
    )


def _unanswered(name: str, answer: Answer) -> DomainCheck:
    shown = to_display(name)
    if answer.status is Status.NXDOMAIN:
        return DomainCheck(
            domain=name,
            display_domain=shown,
            status=DomainStatus.NOT_FOUND,
            message=f"{shown} can't receive email — check the spelling. No such domain exists.",
            dns_status=DomainStatus.NOT_FOUND,
        )
    return DomainCheck(
        domain=name,
        display_domain=shown,
        status=DomainStatus.ERROR,
        message=f"Couldn't check {shown}: {answer.detail}.",
        dns_status=answer.status,
    )


def check_domains(domains: Sequence[str]) -> dict[str, DomainCheck]:
    """Each distinct domain once, all at the same time. Keys are the domains as given."""
    unique = list(dict.fromkeys(domains))
    results = gather([partial(check_domain, d) for d in unique])
    return dict(zip(unique, results, strict=True))
