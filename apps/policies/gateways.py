"""The mail gateways and mailbox providers Safelist recognises, in one table: each one's id (what
DNS detection stores and the API takes), its label (what every page, badge, PDF and answer
calls it) and the MX host suffixes that identify it; and which Mimecast region an MX host names.

Mimecast's regions themselves (label and console address, §6) are Mimecast vocabulary:
apps.policies.mimecast.REGIONS, keyed by the region codes used here.
"""

from __future__ import annotations

from dataclasses import dataclass

MIMECAST = "mimecast"
# §10: Mimecast protecting a Microsoft 365 tenant through its API; MX points at Microsoft, so it
# is chosen by the customer, never detected.
MIMECAST_API = "mimecast_api"


@dataclass(frozen=True)
class Gateway:
    id: str
    label: str
    mx_suffixes: tuple[str, ...] = ()  # empty: never detected from MX records
    mailbox: bool = False  # a mailbox provider (a gateway may sit in front of it)


GATEWAYS: tuple[Gateway, ...] = (
    Gateway(MIMECAST, "Mimecast", ("mimecast.com", "mimecast.co.za", "mimecast-offshore.com")),
    Gateway(MIMECAST_API, "Mimecast Email Security – API"),
    Gateway("proofpoint", "Proofpoint", ("pphosted.com", "ppe-hosted.com")),
    Gateway("barracuda", "Barracuda", ("ess.barracudanetworks.com",)),
    Gateway("sophos", "Sophos", ("hydra.sophos.com",)),
    Gateway("broadcom", "Broadcom (Symantec)", ("messagelabs.com",)),
    Gateway("trendmicro", "Trend Micro", ("tmes.trendmicro.com", "tmes.trendmicro.eu")),
    Gateway("forcepoint", "Forcepoint", ("mailcontrol.com",)),
    Gateway("cisco", "Cisco Secure Email", ("iphmx.com",)),
    Gateway("cloudflare", "Cloudflare Email Security", ("mxrecord.io",)),
    Gateway("microsoft365", "Microsoft 365", ("mail.protection.outlook.com",), mailbox=True),
    Gateway(
        "google",
        "Google Workspace",
        ("aspmx.l.google.com", "googlemail.com", "smtp.google.com"),
        mailbox=True,
    ),
)
BY_ID: dict[str, Gateway] = {gateway.id: gateway for gateway in GATEWAYS}
# What MX records can show: every gateway with suffixes, in table order.
DETECTABLE: tuple[Gateway, ...] = tuple(g for g in GATEWAYS if g.mx_suffixes)

# (host prefix, domain it must sit under, region code): longest prefix first so "usb-" wins
# over "us-" (§6: Mimecast's inbound hosts start with the grid's name).
REGION_MX_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("usb-", "mimecast.com", "usb"),
    ("eu-", "mimecast.com", "eu"),
    ("de-", "mimecast.com", "de"),
    ("us-", "mimecast.com", "us"),
    ("au-", "mimecast.com", "au"),
    ("ca-", "mimecast.com", "ca"),
    ("za-", "mimecast.co.za", "za"),
    ("je-", "mimecast-offshore.com", "je"),
)


def label(gateway_id: str | None) -> str:
    """What a gateway is called everywhere ("Cisco Secure Email"); "Unknown" when none was found,
    the id in words for one this table does not hold."""
    if not gateway_id:
        return "Unknown"
    if gateway_id in BY_ID:
        return BY_ID[gateway_id].label
    return gateway_id.replace("_", " ").replace("-", " ").title()
