"""What deferred or rejected a delivery attempt: gateway, control, temporary or permanent, and
the plan step that addresses it. Pure functions over the reply text; no database, no I/O.

Every rule cites its section of ../shared/reference/smtp-replies.md ("the reference"). Where the
reference is open (UNCONFIRMED) there is no rule: the attempt is "unrecognised" and the raw reply
is kept in the result for a person to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache

from apps.dnscheck.gateways import provider_of
from apps.policies.gateways import BY_ID
from apps.policies.types import PolicyId


class Control(StrEnum):
    GREYLISTING = "greylisting"
    ANTI_SPOOFING = "anti_spoofing"
    AUTHENTICATION = "authentication"
    REPUTATION = "reputation"
    THROTTLING = "throttling"
    BLOCKED_SENDER = "blocked_sender"
    UNKNOWN_RECIPIENT = "unknown_recipient"
    OTHER = "other"  # recognised, but none of the above (routing, content, size, TLS, load)
    UNRECOGNISED = "unrecognised"


CONTROL_LABELS: dict[Control, str] = {
    Control.GREYLISTING: "greylisting (a first delivery is refused and accepted on a retry)",
    Control.ANTI_SPOOFING: "anti-spoofing (mail from outside claims one of their own domains)",
    Control.AUTHENTICATION: "sender authentication (SPF, DKIM or DMARC)",
    Control.REPUTATION: "the sending servers' reputation or a block list (RBL)",
    Control.THROTTLING: "throttling (too much mail too fast)",
    Control.BLOCKED_SENDER: "a blocked-senders entry at the recipient organisation",
    Control.UNKNOWN_RECIPIENT: "the recipient address does not exist",
    Control.OTHER: "another policy or set-up problem at the recipient organisation",
    Control.UNRECOGNISED: "a reply Safelist does not recognise",
}


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    control: Control
    gateway: str | None = None  # the fingerprint names the gateway too (reference §2)


def _rule(pattern: str, control: Control, gateway: str | None = None) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), control, gateway)


G, A, AU, R, T, B, U, OTH = (
    Control.GREYLISTING,
    Control.ANTI_SPOOFING,
    Control.AUTHENTICATION,
    Control.REPUTATION,
    Control.THROTTLING,
    Control.BLOCKED_SENDER,
    Control.UNKNOWN_RECIPIENT,
    Control.OTHER,
)

# First match wins: specific texts before generic ones.
RULES: tuple[Rule, ...] = (
    # §0.2, §3.1: Mimecast's greylisting text (the same text for poor reputation when stuck).
    _rule(r"internal resource (?:is )?temporarily unavailable", G, "mimecast"),
    # §3.1: Mimecast Anti-Spoofing, header and envelope variants.
    _rule(r"anti-spoofing policy", A, "mimecast"),
    # §3.1: Mimecast Blocked Senders (policy, envelope, personal, header based).
    _rule(
        r"sender address blocked|envelope blocked|header based (?:manually )?blocked senders",
        B,
        "mimecast",
    ),
    # §3.1: Mimecast DNS Authentication-Inbound (SPF, DKIM, DMARC).
    _rule(r"\b(?:spf|dkim|dmarc) sender invalid", AU, "mimecast"),
    # §3.1: Mimecast's own IP reputation.
    _rule(r"local ct ip reputation", R, "mimecast"),
    # §3.1: Mimecast load, sending limits, concurrent connections, recipients per transaction.
    _rule(
        r"unable to process connection at this time|ip temporarily blacklisted"
        r"|account service is temporarily unavailable",
        T,
        "mimecast",
    ),
    # §3.1: Mimecast recipient validation found no such user.
    _rule(r"^[45]5?\d\d invalid recipient", U, "mimecast"),
    # §3.1: Mimecast routing/set-up, content, geography, size, loop and TLS policies.
    _rule(
        r"open relay not allowed|incorrect hostname used for inbounds|account inbounds disabled"
        r"|content examination policy|email rejected due to security policies"
        r"|host network not allowed|maximum email size exceeded|mail loop detected"
        r"|route requires encryption|recipient temporarily unavailable",
        OTH,
        "mimecast",
    ),
    # §3.2: Microsoft throttling of a new or suddenly busier IP (4.7.500–699), suspicious-IP
    # evaluation (4.7.850–899) and per-recipient hourly limits (5.2.121/122).
    _rule(r"\b4\.7\.(?:[56]\d\d|8[5-9]\d)\b|\b5\.2\.12[12]\b", T),
    # §3.2: Microsoft's global banned-IP list (5.7.606–649) and Spamhaus listings.
    _rule(r"\b5\.7\.6(?:0[6-9]|[1-4]\d)\b|(?:blocked using|listed in) spamhaus", R),
    # §3.2: the tenant's own IP block list, or the recipient organisation blocking the IP.
    _rule(r"\b5\.7\.(?:513|507)\b", B, "microsoft365"),
    # §3.2: DMARC and the authentication-level rules (5.7.509, 5.7.515).
    _rule(r"\b5\.7\.(?:509|515)\b", AU, "microsoft365"),
    # §3.2: Directory-Based Edge Blocking and other invalid-recipient codes.
    _rule(r"\b5\.1\.10\b|\b5\.7\.504\b|\b5\.4\.1\b.*recipient address rejected", U),
    # §3.2: mail flow rules, listed-senders-only recipients, relay set-up.
    _rule(
        r"transport\.rules|\b5\.7\.9\d\d\b|\b5\.7\.1(?:2|24|33|34|36)\b|relay access denied", OTH
    ),
    # §3.3: Gmail rate limits (4.7.28, per-recipient 4.2.1), before its reputation texts.
    _rule(r"unusual rate of|receiving mail (?:too quickly|at a rate)", T, "google"),
    # §3.3: Gmail reputation.
    _rule(r"very low reputation", R, "google"),
    # §3.3: Gmail DMARC, unauthenticated senders, SPF/DKIM/alignment, suspicious SPF, PTR.
    _rule(r"\b[45]\.7\.(?:2[3-7]|30|32)\b", AU),
    # §3.4: Proofpoint Dynamic Reputation and Cloudmark (Proofpoint products).
    _rule(
        r"ipcheck\.proofpoint\.com|dnsbl-lookup\.cgi|prs\.proofpoint\.com"
        r"|proofpoint dynamic reputation|cloudmark sender intelligence",
        R,
        "proofpoint",
    ),
    # §3.4: Proofpoint DMARC.
    _rule(r"rejected per sender's dmarc policy", AU),
    # §3.5: Barracuda Reputation Block List.
    _rule(r"barracuda reputation|barracudacentral", R, "barracuda"),
    # §3.5: Barracuda greylisting (text listed under Barracuda by the Field Manual).
    _rule(r"greylisted|greylisting", G),
    # §3.6: Sophos codes: DKIM/SPF/DMARC; RBL/DBL; admin/user block list; no such mailbox;
    # inbound rate limits.
    _rule(r"xgemail_000[123]\b", AU, "sophos"),
    _rule(r"xgemail_000[45]\b", R, "sophos"),
    _rule(r"xgemail_000[89]\b", B, "sophos"),
    _rule(r"xgemail_0011\b", U, "sophos"),
    _rule(r"xgemail_001[45]\b", T, "sophos"),
    _rule(r"xgemail_\d{4}\b", OTH, "sophos"),
    # §3.7: Cisco SenderBase reputation (sent at connect) and SPF/DMARC default texts.
    _rule(r"sending mta's poor reputation", R, "cisco"),
    _rule(r"(?:spf|dmarc) unauthorized mail is prohibited|dmarc unauthenticated mail", AU, "cisco"),
    # §3.8: Trend Micro ERS (standard and dynamic) and the customer's own lists.
    _rule(r"trend micro rbl\+|rbl-plus\.mail-abuse|trend micro email reputation", R, "trendmicro"),
    _rule(r"ers-customized-block|block-send-er", B, "trendmicro"),
    _rule(r"invalid-recipient", U, "trendmicro"),
    # §3.9: Broadcom (MessageLabs): the customer's blocked senders, negative reputation and
    # Spamhaus PBL, DMARC/SPF, anti-spam filter.
    _rule(r"has been blacklisted|badmailfrom", B, "broadcom"),
    _rule(r"connection rejected by policy \[7\.7\]|in the pbl", R, "broadcom"),
    _rule(r"(?:dmarc|spf \(sender policy framework\)) domain authentication fail", AU, "broadcom"),
    _rule(r"symanteccloud\.com/troubleshooting|messagelabs\.com", OTH, "broadcom"),
    # §3.10: Cloudflare Email Routing (not in the gateway table: a forwarder, not a gateway):
    # the sending IP on a DNSBL.
    _rule(r"found on one or more dnsbls", R),
    # §2, §3.1: an RBL named in the reply ("<list> Blocked - see <url>").
    _rule(r"\bblocked - see https?://", R),
    # §1.2, §3.4, §3.5: the registry's "destination mailbox does not exist" (X.1.1), as
    # Proofpoint and Barracuda send it.
    _rule(r"(?<![\d.])[45]\.1\.1(?![\d.])|user unknown|no such user", U),
)

# §2: reply fingerprints name the gateway better than the relay host (§0.6).
FINGERPRINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), gateway)
    for pattern, gateway in (
        (
            r"community\.mimecast\.com/docs/DOC-1369|\[[A-Za-z0-9_-]+\.(?:uk|us|eu|de|au|za)\d+\]",
            "mimecast",
        ),
        (
            r"\.prod\.protection\.outlook\.com|sender\.office\.com|\(AS\d+\)|AS\(\d+\)",
            "microsoft365",
        ),
        (r"- gsmtp\b", "google"),
        (
            r"ipcheck\.proofpoint\.com|prs\.proofpoint\.com|proofpoint dynamic reputation",
            "proofpoint",
        ),
        (r"cuda_nsu|barracudanetworks\.com/reputation|barracudacentral", "barracuda"),
        (r"XGEMAIL_\d{4}", "sophos"),
        (r"sending MTA's poor reputation", "cisco"),
        (r"mail-abuse\.com|ERS-Customized-Block|BLOCK-SEND-ER", "trendmicro"),
        (r"symanteccloud\.com|messagelabs\.com", "broadcom"),
    )
)


@dataclass(frozen=True)
class Verdict:
    gateway: str | None  # a gateway id from apps.policies.gateways, None when unknown
    control: Control | None  # None for a delivered attempt
    permanent: bool
    policy: PolicyId | None  # the plan step that addresses it, if any
    reply: str  # the remote reply as matched (kept for "unrecognised")


# §4.1: "host X[ip] said: <reply> (in reply to <stage>)" or "… refused to talk to me: <reply>".
_SAID = re.compile(r"^host \S+ (?:said|refused to talk to me): ", re.IGNORECASE)
_STAGE = re.compile(r" \(in reply to [^)]*\)$", re.IGNORECASE)
# §4.1: multi-line replies are joined; later "NNN-x.y.z " / "NNN x.y.z " tokens are repeats.
_CONTINUATION = re.compile(r"(?<=\s)[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?")
_GREETING = re.compile(r"refused to talk to me: 5\d\d", re.IGNORECASE)


def remote_reply(text: str) -> str:
    """The gateway's own reply out of Postfix's text, continuation tokens removed."""
    reply = _STAGE.sub("", _SAID.sub("", text.strip()))
    return _CONTINUATION.sub("", reply)


def gateway_of(reply: str, relay: str) -> str | None:
    """§2, §6 rule 3: the reply fingerprint first, then the relay host suffix (the gateway table
    used by MX detection)."""
    return _fingerprint_gateway(reply) or (_relay_gateway(relay) if relay else None)


def _fingerprint_gateway(reply: str) -> str | None:
    for pattern, gateway in FINGERPRINTS:
        if pattern.search(reply):
            return gateway
    return None


@lru_cache(maxsize=16_384)
def _relay_gateway(relay: str) -> str | None:
    """A log names the same relay hosts again and again: the suffix table is read once each."""
    provider = provider_of(relay)
    return provider.id if provider else None


def control_of(reply: str) -> tuple[Control, str | None]:
    """§6 rule 6: the first rule whose pattern is in the reply; UNRECOGNISED otherwise (§6 rule 9:
    no gateway-specific step is invented)."""
    for rule in RULES:
        if rule.pattern.search(reply):
            return rule.control, rule.gateway
    return Control.UNRECOGNISED, None


def policy_for(gateway: str | None, control: Control | None) -> PolicyId | None:
    """The Mimecast plan step that addresses the control. Only Mimecast has plan steps; other
    gateways' allow-listing is outside the plan."""
    if gateway != "mimecast":
        return None
    return (
        {
            # §3.1: greylisting bypass for the platform's IPs/envelope domain.
            Control.GREYLISTING: PolicyId.GREYLISTING_BYPASS,
            # §3.1: an Anti-Spoofing exception; Permitted Senders does not help.
            Control.ANTI_SPOOFING: PolicyId.ANTI_SPOOFING_BYPASS,
            # §3.1, §6 rule 6: Permitted Senders bypasses Mimecast's reputation and RBL checks.
            Control.REPUTATION: PolicyId.PERMITTED_SENDERS,
            # §3.1: Impersonation Protect's reply is UNCONFIRMED, so nothing maps to
            # impersonation_bypass; Blocked Senders entries must be removed, not bypassed.
        }.get(control)
        if control
        else None
    )


# §0.2, §4.2: Mimecast accepts a greylisted retry made between 60 s and 12 h after the first.
MIMECAST_GREYLIST_WINDOW = timedelta(hours=12)


def retried_control(control: Control, gateway: str | None, since_first: timedelta) -> Control:
    """A retry's control, knowing how long ago the message was first deferred. §0.2, §6 rule 4:
    Mimecast's greylisting text still coming back past its 12 h window is poor IP reputation,
    not greylisting (the fix is then Permitted Senders, not a greylisting bypass)."""
    mimecast_greylisting = control is Control.GREYLISTING and gateway == "mimecast"
    if mimecast_greylisting and since_first > MIMECAST_GREYLIST_WINDOW:
        return Control.REPUTATION
    return control


def classify(*, status: str, reply: str, relay: str = "", dsn: str = "") -> Verdict:
    """One attempt's verdict. `status` is Postfix's (sent, deferred, bounced, expired), or "" for
    a pasted reply, when the reply code decides."""
    text = remote_reply(reply)
    gateway = gateway_of(text, relay)
    if status == "sent":
        return Verdict(gateway, None, False, None, text)
    control, rule_gateway = control_of(text)
    if gateway is None and rule_gateway in BY_ID:
        # §2: a text only one gateway sends names it when neither fingerprint nor host did.
        gateway = rule_gateway
    if status in ("bounced", "expired"):
        permanent = True  # §6 rule 4: what Postfix did decides
    elif status == "deferred":
        permanent = _GREETING.search(reply) is not None  # §4.3: a 5xx greeting shown as deferral
    else:
        code = dsn[:1] or text[:1]
        permanent = code == "5"
    return Verdict(gateway, control, permanent, policy_for(gateway, control), text)


def classify_cached(status: str, reply: str, relay: str) -> Verdict:
    """classify() for an ingest, where the same replies come back thousands of times: the
    verdict depends only on the status, the remote reply (the "host X said:" wrapper and the
    stage removed), the gateway the relay host names and, for a deferral, whether the greeting
    was refused with a 5xx, so it is computed once per distinct combination of those."""
    text = _remote_reply_cached(reply)
    relay_gateway = _relay_gateway(relay) if relay else None
    greeting = status == "deferred" and _GREETING.search(reply) is not None
    return _verdict(status, text, relay_gateway, greeting)


@lru_cache(maxsize=32_768)
def _verdict(status: str, text: str, relay_gateway: str | None, greeting: bool) -> Verdict:
    """classify() past the reply clean-up; the cache bound keeps memory flat however many
    different replies a log holds."""
    gateway = _fingerprint_gateway(text) or relay_gateway
    if status == "sent":
        return Verdict(gateway, None, False, None, text)
    control, rule_gateway = control_of(text)
    if gateway is None and rule_gateway in BY_ID:
        gateway = rule_gateway
    if status in ("bounced", "expired"):
        permanent = True
    elif status == "deferred":
        permanent = greeting
    else:
        permanent = text[:1] == "5"
    return Verdict(gateway, control, permanent, policy_for(gateway, control), text)


@lru_cache(maxsize=32_768)
def _remote_reply_cached(reply: str) -> str:
    return remote_reply(reply)
