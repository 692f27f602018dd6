"""Which mail gateway protects a recipient domain, read from its MX records.

Pure functions over MX host names: the lookups happen in apps.dnscheck.recipients.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.dnscheck.names import host_in


@dataclass(frozen=True)
class Provider:
    id: str
    label: str
    suffixes: tuple[str, ...]
    mailbox: bool = False  # a mailbox provider (a gateway may sit in front of it)


PROVIDERS: tuple[Provider, ...] = (
    Provider("mimecast", "Mimecast", ("mimecast.com", "mimecast.co.za", "mimecast-offshore.com")),
    Provider("proofpoint", "Proofpoint", ("pphosted.com", "ppe-hosted.com")),
    Provider("barracuda", "Barracuda", ("ess.barracudanetworks.com",)),
    Provider("sophos", "Sophos", ("hydra.sophos.com",)),
    Provider("broadcom", "Broadcom (Symantec)", ("messagelabs.com",)),
    Provider("trendmicro", "Trend Micro", ("tmes.trendmicro.com", "tmes.trendmicro.eu")),
    Provider("forcepoint", "Forcepoint", ("mailcontrol.com",)),
    Provider("cisco", "Cisco Secure Email", ("iphmx.com",)),
    Provider("cloudflare", "Cloudflare Email Security", ("mxrecord.io",)),
    Provider("microsoft365", "Microsoft 365", ("mail.protection.outlook.com",), mailbox=True),
    Provider(
        "google",
        "Google Workspace",
        ("aspmx.l.google.com", "googlemail.com", "smtp.google.com"),
        mailbox=True,
    ),
)
BY_ID = {provider.id: provider for provider in PROVIDERS}


# Region labels and consoles are the instructions' own (apps.policies.mimecast.REGIONS, §6).
# (host prefix, domain it must sit under, region): longest prefix first so "usb-" wins over "us-".
_REGION_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("usb-", "mimecast.com", "usb"),
    ("eu-", "mimecast.com", "eu"),
    ("de-", "mimecast.com", "de"),
    ("us-", "mimecast.com", "us"),
    ("au-", "mimecast.com", "au"),
    ("ca-", "mimecast.com", "ca"),
    ("za-", "mimecast.co.za", "za"),
    ("je-", "mimecast-offshore.com", "je"),
)


def provider_of(host: str) -> Provider | None:
    """The provider whose domain `host` sits under (dot boundary), or None."""
    for provider in PROVIDERS:
        if any(host_in(host, suffix) for suffix in provider.suffixes):
            return provider
    return None


def mimecast_region(host: str) -> str | None:
    """'eu-smtp-inbound-1.mimecast.com' → 'eu'; None for a Mimecast host that names no region."""
    host = host.rstrip(".").lower()
    first_label = host.split(".", 1)[0]
    for prefix, domain, region in _REGION_PATTERNS:
        if first_label.startswith(prefix) and host_in(host, domain):
            return region
    return None


@dataclass(frozen=True)
class Classification:
    gateway: Provider | None
    region: str | None
    also_seen: tuple[str, ...]  # other provider ids among the MX hosts
    regions_seen: tuple[str, ...]  # every Mimecast region among the MX hosts


def classify(hosts: list[str]) -> Classification:
    """`hosts` lowest preference first. The first gateway (not a mailbox provider) wins: a
    gateway in front of Microsoft 365 is the gateway; the mailbox provider goes in also_seen."""
    found = [(host, provider_of(host)) for host in hosts]
    providers: list[Provider] = []
    for _, provider in found:
        if provider is not None and provider not in providers:
            providers.append(provider)
    gateways = [p for p in providers if not p.mailbox]
    chosen = gateways[0] if gateways else (providers[0] if providers else None)
    regions: list[str] = []
    if chosen is not None and chosen.id == "mimecast":
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
