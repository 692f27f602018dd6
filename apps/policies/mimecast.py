"""Mimecast's vocabulary: form field names, option labels, console paths, help articles and
regions (the gateways themselves: apps.policies.gateways).

Every string a customer or an IT admin types or clicks in the Mimecast console comes from here,
spelled as docs/mimecast-rules.md gives it, so that the rules in `apps.policies.rules` only
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
PERPETUAL = "Set policy as perpetual"
SPF_DOMAINS = "When IP Matches SPF Record of"  # §2, SPF-Based Bypass form

# --- Option labels (§0, §1, §2, §3, §4) -------------------------------------------------------

ENVELOPE_FROM = "The Return Address (Mail Envelope From)"  # §0
HEADER_FROM = "The Message From Address (Message Header From)"  # §0
BOTH = "Both"  # §0
EVERYONE = "Everyone"
INTERNAL_ADDRESSES = "Internal Addresses"
EMAIL_DOMAIN = "Email Domain"
INDIVIDUAL_ADDRESS = "Individual Email Address"
PERMIT_SENDER = "Permit Sender"  # §1
TAKE_NO_ACTION = "Take No Action"  # §2 (Anti-Spoofing exception); §3 inferred for Greylisting
DISABLE_IMPERSONATION = "Disable Impersonation Protect"  # §4: Take No Action disables a bypass
DISABLE_URL_PROTECTION = "Disable URL Protection"  # §11, same pair as §4
ENABLED = "Enable"  # §2: the SPF-Based Bypass is enabled or disabled
ALWAYS_ON = "Always On"  # §0: the perpetual field's value
LEAVE_UNTICKED = "Leave unticked"

# --- Console paths (§0 navigation; §1–§4 policy types) ---------------------------------------

_POLICY_TYPE = {
    PolicyId.PERMITTED_SENDERS: "Permitted Senders",  # §1
    PolicyId.ANTI_SPOOFING_BYPASS: "Anti-Spoofing",  # §2
    PolicyId.ANTI_SPOOFING_SPF_BYPASS: "Anti-Spoofing SPF-Based Bypass",  # §2 (current name)
    PolicyId.GREYLISTING_BYPASS: "Greylisting",  # §3
    PolicyId.IMPERSONATION_BYPASS: "Impersonation Protection Bypass",  # §4
    PolicyId.URL_PROTECTION_BYPASS: "URL Protection Bypass",  # §11
}

# §0 [S87][S88]: Message Tracking's place in each console.
MESSAGE_TRACKING = ConsolePath(
    current="Message Center → Message Tracking",
    legacy="Administration → Message Center → Message Tracking",
)
# §10: Allow Rules are named, but their menu path was not read (UNCONFIRMED).
ALLOW_RULES = ConsolePath(current="Allow Rules (Email Security – API)", legacy="")

# §0 navigation: what the legacy console writes instead of the current prefix.
CURRENT_PREFIX = "Policies → Gateway Policies"
LEGACY_PREFIX = "Administration → Gateway → Policies"


def policy_type(policy: PolicyId) -> str:
    """The policy type as the console lists it ("Permitted Senders")."""
    return _POLICY_TYPE.get(policy, "")


@cache
def console_path(policy: PolicyId) -> ConsolePath:
    """Both console generations' menus for a policy type (§0: current and legacy navigation)."""
    if policy is PolicyId.VERIFY:
        return MESSAGE_TRACKING
    if policy is PolicyId.ALLOW_RULE:
        return ALLOW_RULES
    kind = _POLICY_TYPE[policy]
    return ConsolePath(current=f"{CURRENT_PREFIX} → {kind}", legacy=f"{LEGACY_PREFIX} → {kind}")


# Sources: Mimecast's own article on each policy type (§1 [S17], §2 [S11][S25], §3 [S39],
# §4 [S22], §11 [S82], §0 [S89], §10 [S91]).
_ZD = "https://mimecastsupport.zendesk.com/hc/en-us/articles/"
HELP_URLS: dict[PolicyId, str] = {
    PolicyId.PERMITTED_SENDERS: _ZD + "42979302935955",
    PolicyId.ANTI_SPOOFING_BYPASS: _ZD + "34000743640851",
    PolicyId.ANTI_SPOOFING_SPF_BYPASS: _ZD + "34000752076563",
    PolicyId.GREYLISTING_BYPASS: _ZD + "34000377381907",
    PolicyId.IMPERSONATION_BYPASS: _ZD + "34000662904083",
    PolicyId.URL_PROTECTION_BYPASS: _ZD + "34000692448787",
    PolicyId.ALLOW_RULE: _ZD + "48126175085331",
    PolicyId.VERIFY: _ZD + "34000759692947",
}


# --- Regions (§6) -------------------------------------------------------------------------------

GLOBAL_CONSOLE = "https://login.mimecast.com"  # §6: the global login redirects to the region


@dataclass(frozen=True)
class Region:
    code: str
    label: str
    console_url: str
    note: str = ""


# §6 [S53]: where an admin reads the grid for themselves.
ACCOUNT_CODE = (
    "Wrong console? The account code on Account Summary names the grid (CUK, CDE, CUSA, CUSB, "
    f"CCA, CAU, CSA); {GLOBAL_CONSOLE.removeprefix('https://')} redirects to it."
)

REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        Region("eu", "Europe", "https://login-eu.mimecast.com"),
        Region("de", "Germany", "https://login-de.mimecast.com"),
        Region("us", "United States", "https://login-us.mimecast.com"),
        # §6 [S86]: Mimecast lists login-usb and login-ca among its login hosts.
        Region("usb", "United States (B grid)", "https://login-usb.mimecast.com"),
        Region("ca", "Canada", "https://login-ca.mimecast.com"),
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
