"""Mimecast's vocabulary: form field names, option labels, console paths, regions, gateways.

Every string a customer or an IT admin types or clicks in the Mimecast console comes from here,
spelled as docs/mimecast-policies.md gives it, so that the rules in `apps.policies.rules` only
decide and never spell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from apps.policies.types import ConsolePath, PolicyId

# --- Form fields (§0) -----------------------------------------------------------------------

NARRATIVE = "Policy Narrative"
SELECT_OPTION = "Select Option"
ADDRESSES_BASED_ON = "Addresses Based On"
APPLIES_FROM = "Applies From"
APPLIES_TO = "Applies To"
SPECIFICALLY = "Specifically"
SOURCE_IPS = "Source IP Ranges (n.n.n.n/x)"
POLICY_OVERRIDE = "Policy Override"
ENABLE = "Enable/Disable"
PERPETUAL = "Set policy as perpetual"
BI_DIRECTIONAL = "Bi-Directional"
SPF_DOMAINS = "When IP Matches SPF Record of"  # §2, SPF Based Bypass form

# --- Option labels (§0, §1, §2, §3, §4) -------------------------------------------------------

ENVELOPE_FROM = "The Return Address (Mail Envelope From)"  # §0
HEADER_FROM = "The Message From Address (Message Header From)"  # §0
BOTH = "Both"  # §0
EVERYONE = "Everyone"
INTERNAL_ADDRESSES = "Internal Addresses"
EMAIL_DOMAIN = "Email Domain"
INDIVIDUAL_ADDRESS = "Individual Email Address"
PERMIT_SENDER = "Permit Sender"  # §1
TAKE_NO_ACTION = "Take No Action"  # §2 (Anti-Spoofing exception)
TAKE_NO_ACTION_IMPERSONATION = "Take no action"  # §4 (DOC-1909, 2017-03 wording)
ENABLED = "Enable"
PERPETUAL_VALUE = "Eternal (no end date)"  # §0: start and end default to Eternal
OVERRIDE_OFF = "Leave unticked"
UNTICKED = "Leave unticked"

# --- Console paths (§0 navigation; §1–§4 policy types) ---------------------------------------

_POLICY_TYPE = {
    PolicyId.PERMITTED_SENDERS: "Permitted Senders",  # §1
    PolicyId.ANTI_SPOOFING_BYPASS: "Anti-Spoofing",  # §2
    PolicyId.ANTI_SPOOFING_SPF_BYPASS: "Anti-Spoofing SPF Based Bypass",  # §2
    PolicyId.GREYLISTING_BYPASS: "Greylisting",  # §3
    PolicyId.IMPERSONATION_BYPASS: "Impersonation Protection Bypass",  # §4
}

# §4 and §0 [S48]: the reference names Message Tracking but gives no menu path for it.
MESSAGE_TRACKING = "Message Tracking"


@cache
def console_path(policy: PolicyId) -> ConsolePath:
    """Both console generations' menus for a policy type (§0: current and legacy navigation)."""
    if policy is PolicyId.VERIFY:
        return ConsolePath(current=MESSAGE_TRACKING, legacy=MESSAGE_TRACKING)
    kind = _POLICY_TYPE[policy]
    return ConsolePath(
        current=f"Policies → Gateway Policies → {kind}",
        legacy=f"Administration → Gateway → Policies → {kind}",
    )


# --- Regions (§6) -------------------------------------------------------------------------------

GLOBAL_CONSOLE = "https://login.mimecast.com"  # §6: the global login redirects to the region


@dataclass(frozen=True)
class Region:
    code: str
    label: str
    console_url: str
    note: str = ""


_UNCONFIRMED_CONSOLE = (
    "The console address for the {label} region is unconfirmed (Mimecast's documentation "
    "does not give it), so the console address given is Mimecast's global sign-in page, which "
    "sends you on to your region."
)

REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        Region("eu", "Europe", "https://login-eu.mimecast.com"),
        Region("de", "Germany", "https://login-de.mimecast.com"),
        Region("us", "United States", "https://login-us.mimecast.com"),
        Region(
            "usb",
            "United States (B grid)",
            GLOBAL_CONSOLE,
            _UNCONFIRMED_CONSOLE.format(label="United States (B grid)"),
        ),
        Region("ca", "Canada", GLOBAL_CONSOLE, _UNCONFIRMED_CONSOLE.format(label="Canada")),
        Region("au", "Australia", "https://login-au.mimecast.com"),
        Region("za", "South Africa", "https://login-za.mimecast.com"),
        Region("je", "Offshore (Jersey)", "https://login-jer.mimecast.com"),
    )
}


def region(code: str | None) -> Region:
    """The region for an account code; unknown or missing → the global sign-in page (§6)."""
    if code and code.lower() in REGIONS:
        return REGIONS[code.lower()]
    note = (
        f"The Mimecast region {code!r} is not one we know"
        if code
        else "We could not tell which Mimecast region this account is in"
    )
    return Region(
        code or "",
        "",
        GLOBAL_CONSOLE,
        f"{note}, so the console address given is Mimecast's global sign-in page, which sends "
        "you on to your region.",
    )


# --- Gateways ---------------------------------------------------------------------------------

MIMECAST = "mimecast"

GATEWAY_LABELS: dict[str, str] = {
    "mimecast": "Mimecast",
    "microsoft365": "Microsoft 365",
    "google": "Google Workspace",
    "proofpoint": "Proofpoint",
    "barracuda": "Barracuda",
    "sophos": "Sophos",
    "broadcom": "Broadcom (Symantec)",
    "trendmicro": "Trend Micro",
    "forcepoint": "Forcepoint",
    "cisco": "Cisco",
    "cloudflare": "Cloudflare",
}


def gateway_label(name: str | None) -> str:
    if not name:
        return "Unknown"
    return GATEWAY_LABELS.get(name, name.replace("_", " ").replace("-", " ").title())
