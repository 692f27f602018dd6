"""Which mail gateway protects a recipient domain, read from its MX records.

Pure functions over MX host names (the lookups happen in apps.dnscheck.recipients), matched
against the one gateway table, apps.policies.gateways.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.dnscheck.names import host_in
from apps.policies.gateways import DETECTABLE, MIMECAST, REGION_MX_PREFIXES, Gateway


def provider_of(host: str) -> Gateway | None:
    """The gateway or provider whose domain `host` sits under (dot boundary), or None."""
    for provider in DETECTABLE:
        if any(host_in(host, suffix) for suffix in provider.mx_suffixes):
            return provider
    return None


def mimecast_region(host: str) -> str | None:
    """'eu-smtp-inbound-1.mimecast.com' → 'eu'; None for a Mimecast host that names no region."""
    host = host.rstrip(".").lower()
    first_label = host.split(".", 1)[0]
    for prefix, domain, region in REGION_MX_PREFIXES:
        if first_label.startswith(prefix) and host_in(host, domain):
            return region
    return None


@dataclass(frozen=True)
class Classification:
    gateway: Gateway | None
    region: str | None
    also_seen: tuple[str, ...]  # other provider ids among the MX hosts
    regions_seen: tuple[str, ...]  # every Mimecast region among the MX hosts


def classify(hosts: list[str]) -> Classification:
    """`hosts` lowest preference first. The first gateway (not a mailbox provider) wins: a
    gateway in front of Microsoft 365 is the gateway; the mailbox provider goes in also_seen."""
    found = [(host, provider_of(host)) for host in hosts]
    providers: list[Gateway] = []
    for _, provider in found:
        if provider is not None and provider not in providers:
            providers.append(provider)
    gateways = [p for p in providers if not p.mailbox]
    chosen = gateways[0] if gateways else (providers[0] if providers else None)
    regions: list[str] = []
    if chosen is not None and chosen.id == MIMECAST:
        for host, provider in found:
            region = mimecast_region(host) if provider is chosen else None
            if region and region not in regions:
                regions.append(region)
    return Classification(
        gateway=chosen,
        region=regions[0] if regions else None,
        also_seen=tuple(p.id for p in providers if p is not chosen),
        regions_seen=tuple(regions),
    )
