"""Google Workspace (Gmail): its vocabulary and rules (other-gateways §3, decision rules §13.2).
Sections cited as "G§n" are of that reference.

The Spam setting's approved-senders list matches the header From and keeps an authentication
requirement (G§3.1); the IP Email allowlist is the fallback; the platform's IPs never go in the
Inbound gateway setting, which is for a filter in front of Gmail (G§3.2).
"""

from __future__ import annotations

from apps.policies.rules.common import AccountContext, Row, describe, inferred, step
from apps.policies.rules.spoofing import internal_from
from apps.policies.types import ConsolePath, PolicyId, Step

ID = "google"

# --- Vocabulary (G§3.1–§3.4) --------------------------------------------------------------------

_GMAIL = "Admin console (admin.google.com) → Apps → Google Workspace → Gmail"
_SPAM = f"{_GMAIL} → Spam, Phishing and Malware"
APPROVED_PATH = ConsolePath(
    current=f"{_SPAM} → the organisational unit that receives the invitations → Spam → Configure",
    legacy="",
)
ALLOWLIST_PATH = ConsolePath(
    current=f"{_SPAM} → top-level organisation → Email allowlist", legacy=""
)
GATEWAY_PATH = ConsolePath(
    current=f"{_SPAM} → top-level organisation → Inbound gateway → Edit", legacy=""
)
LOG_SEARCH_PATH = ConsolePath(current="Admin console → Reporting → Email Log Search", legacy="")

_HELP = "https://support.google.com/a/answer/"
HELP = {
    PolicyId.GOOGLE_APPROVED_SENDERS: _HELP + "2368132",
    PolicyId.GOOGLE_IP_ALLOWLIST: _HELP + "60751",
    PolicyId.GOOGLE_INBOUND_GATEWAY: _HELP + "60730",
    PolicyId.GOOGLE_EMAIL_LOG_SEARCH: _HELP + "2623280",
}

DESCRIPTION = "Short description"
BYPASS = (
    "Bypass spam filters for messages received from addresses or domains within these approved "
    "senders lists"
)
ADDRESS_LIST = "Approved senders: Create or edit list → Add address list → Add address"
AUTHENTICATION = "Require sender authentication"
ALLOWLIST = "Email allowlist"
GATEWAY_IPS = "Gateway IPs"
DETECT = "Automatically detect external IP"
SENDER = "Sender"

# G§3.2, §13.2 rules 2 and 4: said once per document.
DONT = (
    "Google Workspace: never list the platform's IPs under Inbound gateway (Gmail would stop "
    "checking their SPF and DMARC), and there is no allowlist for employee-name spoofing: a "
    "display name that is not a colleague's name avoids it."
)


def steps(ctx: AccountContext, *, behind: str = "") -> list[Step]:
    """§13.2: approved senders, the IP allowlist as the fallback, the front gateway, the check."""
    out: list[Step] = []
    if behind:
        out.append(_inbound_gateway(behind))  # §13.0 rule 1, §13.2 rule 5
    out.append(_approved_senders(ctx))
    if ctx.bypass_ips:
        out.append(_ip_allowlist(ctx))
    out.append(_log_search(ctx))
    return out


def _approved_senders(ctx: AccountContext) -> Step:
    addresses = ctx.sender.from_addresses
    own = internal_from(ctx)
    notes = [
        "Keep the entry's authentication requirement on; if the mail cannot authenticate, use "
        "the IP allowlist instead of switching it off."
    ]
    if own:
        # §13.2 rule 3: approved senders cannot override the domain's DMARC.
        notes.append(
            "Mail from your own domain must pass SPF or DKIM for it first; the setting "
            "'Protect against inbound emails spoofing your domain' may still flag it otherwise."
        )
    settings: list[Row] = [
        (DESCRIPTION, f"{ctx.platform.name} survey invitations"),
        (BYPASS, "Ticked"),
        (ADDRESS_LIST, ", ".join(a.address for a in addresses)),  # G§3.1: header From
        inferred(AUTHENTICATION, "On"),  # G§3.1: on by default; label from a third party
    ]
    return step(
        PolicyId.GOOGLE_APPROVED_SENDERS,
        title="Approve the sender (Gmail spam setting)",
        path=APPROVED_PATH,
        help_url=HELP[PolicyId.GOOGLE_APPROVED_SENDERS],
        settings=settings,
        why=(
            f"Keeps {describe(addresses)} mail out of Spam at {ctx.organisation}; virus checks "
            "and the sender's DMARC still apply."
        ),
        notes=notes,
    )


def _ip_allowlist(ctx: AccountContext) -> Step:
    return step(
        PolicyId.GOOGLE_IP_ALLOWLIST,
        title="Fallback: allow the platform's servers (Email allowlist)",
        path=ALLOWLIST_PATH,
        help_url=HELP[PolicyId.GOOGLE_IP_ALLOWLIST],
        settings=[(ALLOWLIST, ", ".join(ctx.bypass_ips))],
        why=(
            "Only if approved senders do not help (the mail fails authentication): mail from "
            "these servers stays out of Spam, though warning banners may remain."
        ),
        optional=True,
    )


def _inbound_gateway(behind: str) -> Step:
    return step(
        PolicyId.GOOGLE_INBOUND_GATEWAY,
        title=f"Tell Gmail about {behind} in front (Inbound gateway)",
        path=GATEWAY_PATH,
        help_url=HELP[PolicyId.GOOGLE_INBOUND_GATEWAY],
        settings=[
            (GATEWAY_IPS, f"{behind}'s own outbound ranges (not the platform's)"),
            (DETECT, "On"),
        ],
        why=(
            f"Mail reaches Gmail from {behind}; listing {behind} lets Gmail find the platform's "
            "real server behind it."
        ),
    )


def _log_search(ctx: AccountContext) -> Step:
    return step(
        PolicyId.GOOGLE_EMAIL_LOG_SEARCH,
        title="Check that it works (Email Log Search)",
        path=LOG_SEARCH_PATH,
        help_url=HELP[PolicyId.GOOGLE_EMAIL_LOG_SEARCH],
        settings=[(SENDER, describe(ctx.sender.from_addresses))],
        why=(
            f"Settings can take up to an hour: then send a test to someone at "
            f"{ctx.organisation} and find it here; Bypassed spam shows the setting acted."
        ),
        notes=["The Reporting → Email Log Search path comes from third-party guides."],
    )
