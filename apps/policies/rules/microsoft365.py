"""Microsoft 365 (Exchange Online Protection, Defender for Office 365): its vocabulary and rules
(other-gateways §2, decision rules §13.1). Sections cited as "M§n" are of that reference.

Microsoft's own order of preference (M§2.2): Tenant Allow/Block List entries first, then mail
flow rules; the IP Allow List and anti-spam allowed senders last. A sender allow lapses (M§2.3),
so a mail flow rule with two conditions is the durable alternative; the own-domain case is a
spoofed-sender allow (M§2.4), after authentication.
"""

from __future__ import annotations

import ipaddress

from apps.policies.rules.common import AccountContext, Row, describe, inferred, step
from apps.policies.rules.impersonation import display_name_hits, external_from
from apps.policies.rules.spoofing import internal_from
from apps.policies.types import ConsolePath, PolicyId, Step, WhitelistAddress

ID = "microsoft365"
Addresses = tuple[WhitelistAddress, ...]

# --- Vocabulary (M§2.1) -------------------------------------------------------------------------

_DEFENDER = "Microsoft Defender portal (security.microsoft.com)"
_THREAT = f"{_DEFENDER} → Email & collaboration → Policies & rules → Threat policies"
_EAC = "Exchange admin center (admin.exchange.microsoft.com) → Mail flow"
SENDER_ALLOW_PATH = ConsolePath(
    current=f"{_THREAT} → Tenant Allow/Block Lists → Domains & addresses → Add → Allow", legacy=""
)
SPOOF_ALLOW_PATH = ConsolePath(
    current=f"{_THREAT} → Tenant Allow/Block Lists → Spoofed senders → Add", legacy=""
)
RULE_PATH = ConsolePath(current=f"{_EAC} → Rules → Add a rule → Create a new rule", legacy="")
TRUSTED_PATH = ConsolePath(
    current=f"{_THREAT} → Anti-phishing → the policy that acted → Add trusted senders and "
    "domains → Manage trusted sender(s) and domain(s) → Sender",
    legacy="",
)
ENHANCED_PATH = ConsolePath(
    current=f"{_THREAT} → Enhanced filtering → the inbound connector from the gateway in front",
    legacy="",
)
TRACE_PATH = ConsolePath(current=f"{_EAC} → Message trace", legacy="")

_LEARN = "https://learn.microsoft.com/"
HELP = {
    PolicyId.M365_SENDER_ALLOW: _LEARN
    + "defender-office-365/tenant-allow-block-list-email-spoof-configure",
    PolicyId.M365_SPOOFED_SENDER_ALLOW: _LEARN
    + "defender-office-365/tenant-allow-block-list-email-spoof-configure",
    PolicyId.M365_MAIL_FLOW_RULE: _LEARN
    + "exchange/security-and-compliance/mail-flow-rules/use-rules-to-set-scl",
    PolicyId.M365_TRUSTED_SENDER: _LEARN
    + "defender-office-365/anti-phishing-policies-mdo-configure",
    PolicyId.M365_ENHANCED_FILTERING: _LEARN
    + "exchange/mail-flow-best-practices/use-connectors-to-configure-mail-flow/"
    "enhanced-filtering-for-connectors",
    PolicyId.M365_MESSAGE_TRACE: _LEARN
    + "exchange/monitoring/trace-an-email-message/message-trace-modern-eac",
}

ENTRIES = "Domains & addresses (one per line)"
REMOVE_AFTER = "Remove allow entry after"
LAPSE = "45 days after last used date"  # M§2.3: the default; no permanent sender allow
NOTE = "Optional note"
PAIRS = "Add domain pairs with wildcards (one pair per line)"
SPOOF_TYPE = "Spoof type"
ACTION = "Action"
RULE_NAME = "Name"
RULE_FROM = "Apply this rule if: The sender › is this person"
RULE_IPS = "And: The sender › IP address is in any of these ranges or exactly matches"
RULE_DMARC = (
    "And: The message headers › includes any of these words (header Authentication-Results)"
)
RULE_SCL = "Do the following: Modify the message properties › set the spam confidence level (SCL)"
RULE_HEADER = "And: Modify the message properties › set a message header"
SKIP_IPS = "IP addresses to skip"
APPLY_TO = "Apply to these users"
SENDERS = "Senders"
TRUSTED = "Sender"

# M§2.8, M§2.6, M§2.5 / §13.1 rules 3, 7, 8: what not to do, said once per document.
DONT = (
    "Microsoft 365: don't use Advanced delivery (it is for phishing simulations and SecOps "
    "mailboxes only), the connection filter IP Allow List (it skips SPF, DKIM and DMARC for "
    "servers every platform customer shares), or a mail flow rule on your own accepted domain."
)


def steps(ctx: AccountContext, *, behind: str = "") -> list[Step]:
    """§13.1: the steps for a Microsoft 365 tenant; `behind` names a gateway in front of it."""
    out: list[Step] = []
    if behind:
        out.append(_enhanced_filtering(behind))  # §13.0 rule 1, §13.1 rule 6
    own = internal_from(ctx)
    external = external_from(ctx)
    if external:
        # M§2.10: SCL -1 rules are to be disabled behind a gateway, so no rule there.
        out.append(_sender_allow(ctx, external, lasting=not behind))
        if not behind:
            out.append(_mail_flow_rule(ctx, external))
    if own:
        out.append(_spoof_allow(ctx, own))  # §13.1 rule 3, after authentication (blockers)
    if external and display_name_hits(ctx):
        out.append(_trusted_sender(ctx, external))  # §13.1 rule 4
    out.append(_message_trace(ctx))
    return out


def _sender_allow(ctx: AccountContext, addresses: Addresses, *, lasting: bool) -> Step:
    entries = ", ".join(a.address for a in addresses)
    listed = '","'.join(a.address for a in addresses)
    return step(
        PolicyId.M365_SENDER_ALLOW,
        title="Allow the sender (Tenant Allow/Block List)",
        path=SENDER_ALLOW_PATH,
        help_url=HELP[PolicyId.M365_SENDER_ALLOW],
        settings=[
            (ENTRIES, entries),  # M§2.3: matches the header From (current page)
            (REMOVE_AFTER, LAPSE),
            (NOTE, f"{ctx.platform.name} survey invitations"),
        ],
        why=(
            f"Stops Microsoft 365 sending {describe(addresses)} mail to Junk or quarantine at "
            f"{ctx.organisation} (spam, bulk and ordinary phishing verdicts)."
        ),
        notes=[
            "It lapses 45 days after it was last used and cannot be made permanent"
            + ("; the mail flow rule is the lasting alternative." if lasting else "."),
            f'PowerShell: New-TenantAllowBlockListItems -ListType Sender -Allow -Entries "{listed}"'
            f' -RemoveAfter 45 -Notes "{ctx.platform.name} survey invitations"',
        ],
    )


def _mail_flow_rule(ctx: AccountContext, addresses: Addresses) -> Step:
    name = f"{ctx.platform.name} survey invitations"
    ranges = _ipv4(ctx.bypass_ips)
    # M§2.5: never the sender alone; a second condition: the platform's IPs, else DMARC pass.
    second: Row = (
        (RULE_IPS, ", ".join(ranges)) if ranges else (RULE_DMARC, "dmarc=pass, dmarc=bestguesspass")
    )
    senders = '","'.join(a.address for a in addresses)
    condition = (
        f"-SenderIpRanges {','.join(ranges)}"
        if ranges
        else '-HeaderContainsMessageHeader "Authentication-Results" -HeaderContainsWords '
        '"dmarc=pass","dmarc=bestguesspass"'
    )
    notes = [
        f'PowerShell: New-TransportRule -Name "{name}" -From "{senders}" {condition} -SetSCL -1 '
        f'-SetHeaderName "X-ETR" -SetHeaderValue "Bypass spam filtering for {name}"'
    ]
    if not ranges and ctx.sender.shared:
        # §13.1 rule 2: the shared domain may publish no DMARC; only bestguesspass can match.
        notes.append(
            f"Without {ctx.platform.name}'s IP ranges the rule relies on DMARC, which for the "
            "shared address may only show dmarc=bestguesspass; add the IP condition once known."
        )
    return step(
        PolicyId.M365_MAIL_FLOW_RULE,
        title="Optional: a lasting allow (mail flow rule)",
        path=RULE_PATH,
        help_url=HELP[PolicyId.M365_MAIL_FLOW_RULE],
        settings=[
            (RULE_NAME, name),
            (RULE_FROM, ", ".join(a.address for a in addresses)),
            second,
            (RULE_SCL, "Bypass spam filtering"),
            (RULE_HEADER, f"X-ETR: Bypass spam filtering for {name}"),
        ],
        why=(
            "Instead of re-adding the lapsed allow: bypasses spam filtering only for that From "
            + ("sent from the platform's servers." if ranges else "when DMARC passes.")
        ),
        notes=notes,
        optional=True,
    )


def _spoof_allow(ctx: AccountContext, own: Addresses) -> Step:
    domains = list(dict.fromkeys(a.address.rpartition("@")[2] for a in own))
    blocks = _slash24(ctx.bypass_ips)
    # M§2.4: the pair is <spoofed user>, <sending infrastructure>: a PTR organisational domain
    # (to be read from Authentication-Results) or <IP>/24 when there is no PTR.
    infrastructure = blocks or ("the PTR domain in Authentication-Results",)
    pairs = "; ".join(f"{d}, {i}" for d in domains for i in infrastructure)
    first = infrastructure[0]
    return step(
        PolicyId.M365_SPOOFED_SENDER_ALLOW,
        title="Allow the platform to send as your domain (spoofed sender allow)",
        path=SPOOF_ALLOW_PATH,
        help_url=HELP[PolicyId.M365_SPOOFED_SENDER_ALLOW],
        settings=[
            inferred(PAIRS, pairs) if not blocks else (PAIRS, pairs),
            (SPOOF_TYPE, "Internal"),
            (ACTION, "Allow"),
        ],
        why=(
            f"Microsoft treats {', '.join(domains)} mail from outside as spoofing; this pair lets "
            f"{ctx.platform.name}'s servers send as it, and never expires."
        ),
        notes=[
            "PowerShell: New-TenantAllowBlockListSpoofItems -Identity Default -Action Allow "
            f'-SpoofedUser {domains[0]} -SendingInfrastructure "{first}" -SpoofType Internal',
        ],
    )


def _trusted_sender(ctx: AccountContext, addresses: Addresses) -> Step:
    return step(
        PolicyId.M365_TRUSTED_SENDER,
        title="Only if impersonation acted: trust the sender (anti-phishing policy)",
        path=TRUSTED_PATH,
        help_url=HELP[PolicyId.M365_TRUSTED_SENDER],
        settings=[(TRUSTED, ", ".join(a.address for a in addresses))],
        why=(
            "Only if message trace shows CAT:UIMP or CAT:GIMP: Defender's impersonation checks "
            "are not lifted by the allow list."
        ),
        notes=[
            "PowerShell: Set-AntiPhishPolicy -Identity <policy> -ExcludedSenders "
            f'@{{Add="{addresses[0].address}"}}'
        ],
        optional=True,
    )


def _enhanced_filtering(behind: str) -> Step:
    return step(
        PolicyId.M365_ENHANCED_FILTERING,
        title=f"Let Microsoft 365 see past {behind} (Enhanced Filtering for Connectors)",
        path=ENHANCED_PATH,
        help_url=HELP[PolicyId.M365_ENHANCED_FILTERING],
        settings=[
            (SKIP_IPS, "Automatically detect and skip the last IP address"),
            (APPLY_TO, "Apply to entire organization"),
        ],
        why=(
            f"Mail reaches Microsoft 365 from {behind}; without this it judges {behind}'s "
            "address, not the platform's, and the allow and DMARC checks miss."
        ),
        notes=["Turn off any SCL -1 mail flow rule for that connector once this is on."],
    )


def _message_trace(ctx: AccountContext) -> Step:
    return step(
        PolicyId.M365_MESSAGE_TRACE,
        title="Check that it works (message trace)",
        path=TRACE_PATH,
        help_url=HELP[PolicyId.M365_MESSAGE_TRACE],
        settings=[(SENDERS, describe(ctx.sender.from_addresses))],
        why=(
            f"5 minutes after saving, send a test to someone at {ctx.organisation} and find it "
            "here (traces lag 5–10 minutes)."
        ),
        notes=[
            "In the message's X-Forefront-Antispam-Report header, SFV:SKN shows the rule acted, "
            "CAT: names the policy that acted; Authentication-Results shows compauth."
        ],
    )


def _ipv4(ranges: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r for r in ranges if ":" not in r)


def _slash24(ranges: tuple[str, ...]) -> tuple[str, ...]:
    """M§2.4: the /24 each platform IPv4 range sits in (the no-PTR form of the pair)."""
    out: list[str] = []
    for raw in _ipv4(ranges):
        network = ipaddress.ip_network(raw, strict=False)
        blocks = (
            [network.supernet(new_prefix=24)]
            if network.prefixlen >= 24
            else list(network.subnets(new_prefix=24))
        )
        out += [str(b) for b in blocks if str(b) not in out]
    return tuple(out)
