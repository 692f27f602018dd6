"""The other gateways a recipient may use: each one's recommended allow mechanism, the address
type it matches and so the value to give, what it still applies, its check, and what is open
(other-gateways §4–§11, decision rules §13.3–§13.10; "O§n" below).

One table row per gateway: the rows hold vocabulary only, and `steps` turns a row into the
account's steps, so adding a gateway adds a row and touches no other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.policies.rules.common import AccountContext, Row, describe, envelope_domain, step
from apps.policies.types import ConsolePath, PolicyId, Step

HEADER, ENVELOPE, EITHER, IP = "header", "envelope", "either", "ip"


@dataclass(frozen=True)
class Allow:
    """One allow-list entry form: where it is, its fields, which value kind each takes."""

    title: str
    path: str
    fields: tuple[tuple[str, str], ...]  # (field label, value kind or literal "=value")
    why: str
    optional: bool = False


@dataclass(frozen=True)
class Gateway:
    id: str
    help_url: str
    allows: tuple[Allow, ...]
    check_path: str
    check_why: str
    still_applies: str  # what the allow does not switch off, said once per document
    open_points: str = ""  # what the reference leaves open, said once per document
    extra: tuple[Allow, ...] = field(default=())  # e.g. rate control, for bulk sends


_PPE = "Proofpoint Essentials"
GATEWAYS: dict[str, Gateway] = {
    g.id: g
    for g in (
        # O§4.1, §13.3 rules 1, 2 and 5 (Essentials: ppe-hosted.com MX).
        Gateway(
            "proofpoint_essentials",
            "https://help.proofpoint.com/Proofpoint_Essentials/Email_Security/"
            "Administrator_Topics/090_filtersandsenderlists/Setting_up_sender_lists/"
            "How_to_edit_Safe_and_Blocked_Sender_Lists",
            (
                Allow(
                    "Allow the sender (Safe Sender List)",
                    f"{_PPE} → Security Settings → Email → Sender Lists → Safe Sender List",
                    (("Safe Sender List", EITHER),),
                    "Keeps the invitations out of quarantine; list the address (and IPs, each "
                    "at most /24).",
                ),
            ),
            f"{_PPE} → Tools → Log Search",
            "5 minutes after saving, send a test and find it in Log Search.",
            "Proofpoint Essentials: IP reputation, anti-virus and anti-spoofing run before the "
            "Safe Sender List; if mail is still quarantined as Fraud, add an Anti-Spoofing "
            "exception (DMARC/DKIM by header From domain, SPF by envelope domain).",
            "Proofpoint Essentials: which address (header or envelope) a typed Safe Sender "
            "entry matches is unconfirmed, so both are listed where they differ.",
        ),
        # O§4.2, §13.3 rule 4 (PPS / Proofpoint on Demand: pphosted.com MX).
        Gateway(
            "proofpoint",
            "https://help.proofpoint.com/",
            (
                Allow(
                    "Allow the sender (Organizational Safe List)",
                    "Proofpoint admin → Email Protection → Spam Detection → Organizational Safe "
                    "List → Add",
                    (
                        ("Filter Type", "=Sender Hostname"),
                        ("Operator", "=Equals"),
                        ("Value (one entry per server)", "=hostnames"),
                    ),
                    "Lifts the spam and bulk verdicts for the platform's sending servers.",
                ),
                Allow(
                    "Only if spoofing or impostor checks act: a policy route",
                    "Proofpoint admin → System → Policy Route → New Route → Add Condition",
                    (("Sender IP Address › Equals", IP),),
                    "Then disable spam processing and the anti-spoofing firewall rule for that "
                    "route (Spam Detection → Settings; Email Firewall → Rules).",
                    optional=True,
                ),
            ),
            "Proofpoint admin → Smart Search",
            "5 minutes after saving, send a test and look it up in the message log.",
            "Proofpoint: the safe list affects spam and bulk classifiers only, not malware, "
            "phish or impostor verdicts.",
            "Proofpoint Protection Server: the full list of safe-list filter types, SMTP Rate "
            "Control and the log search tool are unconfirmed.",
        ),
        # O§5, §13.4.
        Gateway(
            "barracuda",
            "https://campus.barracuda.com/product/emailgatewaydefense/doc/96023004/"
            "ip-analysis-inbound/",
            (
                Allow(
                    "Exempt the platform's servers (IP Address Policies)",
                    "Barracuda Email Gateway Defense → Inbound Settings → IP Address Policies",
                    (("IP Address / Netmask", IP), ("Policy", "=Exempt")),
                    "Barracuda recommends exempting by IP: a domain or address can be forged.",
                ),
                Allow(
                    "Or: exempt the sender (Sender Policies)",
                    "Barracuda Email Gateway Defense → Inbound Settings → Sender Policies",
                    (("Sender", EITHER), ("Policy", "=Exempt")),
                    "Exempts mail whose header or envelope From is this address.",
                    optional=True,
                ),
            ),
            "Barracuda Email Gateway Defense → Message Log",
            "A few minutes after saving, send a test and find it in the Message Log.",
            "Barracuda: virus scanning and Rate Control still apply to exempt senders.",
            "Barracuda: an Email Gateway Defense setting that rejects mail from your own "
            "domain is unconfirmed.",
            extra=(
                Allow(
                    "Stop bulk deferrals (Rate Control Exemption)",
                    "Barracuda Email Gateway Defense → Inbound Settings → Rate Control → Rate "
                    "Control Exemption",
                    (("IP Address / Netmask", IP),),
                    "Rate Control defers more than its limit per IP per 30 minutes; an exempt "
                    "sender policy does not lift it.",
                ),
            ),
        ),
        # O§6, §13.5.
        Gateway(
            "sophos",
            "https://docs.sophos.com/central/customer/help/en-us/ManageYourProducts/"
            "GlobalSettings/EmailAllowBlock/index.html",
            (
                Allow(
                    "Allow the sender (Inbound Allow/Block)",
                    "Sophos Central → Global settings → Inbound Allow/Block → Allow",
                    (("Email address", EITHER), ("Enforce Sender Authentication", "=On")),
                    "Skips anti-spam and impersonation checks when DMARC, SPF or DKIM passes.",
                ),
            ),
            "Sophos Central → Email → Message History",
            "5 minutes after saving, send a test and find it in Message History.",
            "Sophos: malware scanning always runs; with Enforce Sender Authentication the allow "
            "is ignored if DMARC, SPF and DKIM all fail.",
            "Sophos: whether Enforce Sender Authentication applies to IP entries, and any "
            "throttling, are unconfirmed.",
        ),
        # O§7, §13.6.
        Gateway(
            "cisco",
            "https://www.cisco.com/c/en/us/support/security/email-security-appliance/series.html",
            (
                Allow(
                    "Trust the platform's servers (HAT sender group)",
                    "Cisco Secure Email → Mail Policies → HAT Overview → Add Sender Group → "
                    "Submit and Add Senders",
                    (
                        ("Name", "=SURVEY_PLATFORM"),
                        ("Mail Flow Policy", "=TRUSTED"),
                        ("Order", "=above SUSPECTLIST and UNKNOWNLIST"),
                        ("Sender", IP),
                    ),
                    "The HAT acts on the connecting server: $TRUSTED means no anti-spam "
                    "scanning and no rate limiting.",
                ),
            ),
            "Cisco Secure Email → Monitor → Message Tracking",
            "5 minutes after committing, send a test and find it by envelope sender.",
            "Cisco: the HAT cannot match From addresses; an address-based exception needs a "
            "message or content filter.",
            "Cisco: sender-group names in recent releases (e.g. ALLOWED_LIST) and anti-virus "
            "defaults for the trusted policy are unconfirmed.",
        ),
        # O§8, §13.7.
        Gateway(
            "trendmicro",
            "https://docs.trendmicro.com/en-us/enterprise/tmems/olh/sender_filter_about",
            (
                Allow(
                    "Approve the platform's servers (Approved IP Address)",
                    "Trend Micro Email Security → Inbound Protection → IP Reputation → Approved "
                    "IP Address",
                    (("IP address", IP),),
                    "IP reputation runs at connection time, before any address is read.",
                ),
                Allow(
                    "Approve the sender (Approved Senders)",
                    "Trend Micro Email Security → Inbound Protection → Connection Filtering → "
                    "Sender Filter → Approved Senders",
                    (("Sender", HEADER), ("Message header addresses", "=Ticked")),
                    "Skips spam, BEC and phishing checks; keep header addresses ticked, as the "
                    "envelope differs.",
                ),
            ),
            "Trend Micro Email Security → Logs → Mail Tracking",
            "5 minutes after saving, send a test and find it in Mail Tracking.",
            "Trend Micro: virus scanning and content filtering still apply to approved senders.",
        ),
        # O§9, §13.8.
        Gateway(
            "broadcom",
            "https://support.symantec.com/us/en/article.tech226529.html",
            (
                Allow(
                    "Approve the sender (Approved Senders)",
                    "Email Security.cloud → Services → Email Services → Anti-Spam → Global "
                    "Settings → Approved Senders → Add Entry",
                    (("Domain/Email/IP", ENVELOPE),),
                    "The list matches only the envelope sender, so the header From would not "
                    "match.",
                ),
            ),
            "Email Security.cloud → Track and Trace",
            "5 minutes after saving, send a test and look it up.",
            "Broadcom: what approved senders still apply is unconfirmed.",
            "Broadcom Email Security.cloud: own-domain handling, impersonation, throttling and "
            "its message search are unconfirmed.",
        ),
        # O§10, §13.9.
        Gateway(
            "forcepoint",
            "http://www.websense.com/content/support/library/email/hosted/admin_guide/"
            "populate_bw.aspx",
            (
                Allow(
                    "Permit the sender (Always Permit / whitelist)",
                    "Forcepoint → Main → Policy Management → Always Block/Permit → Always "
                    "Permit (cloud: policy → Antispam → Whitelist these addresses)",
                    (("Email address or IP", EITHER),),
                    "Skips anti-spam, bulk and URL analysis for the exact address.",
                ),
            ),
            "Forcepoint → Message Log",
            "5 minutes after saving, send a test and find it in the message log.",
            "Forcepoint: only some analysis is skipped by Always Permit.",
            "Forcepoint: impersonation, throttling and which address (header or envelope) is "
            "matched are unconfirmed.",
        ),
        # O§11, §13.10.
        Gateway(
            "cloudflare",
            "https://developers.cloudflare.com/cloudflare-one/email-security/policies/inbound/"
            "allow-policies/",
            (
                Allow(
                    "Accept the sender (Allow policy)",
                    "Cloudflare One → Email security → Policies & rules → Inbound → Allow "
                    "policies → Add a policy",
                    (
                        ("Action", "=Accept sender"),
                        ("Rule type: Email addresses", HEADER),
                        ("Sender verification", "=On"),
                    ),
                    "Exempts it from Spam, Spoof and Bulk dispositions when SPF, DKIM or DMARC "
                    "passes; it is still scanned for malicious content.",
                ),
            ),
            "Cloudflare One → Email security → Investigation",
            "5 minutes after saving, send a test and find it in Investigation.",
            "Cloudflare: for the platform's own shared domain it advises a submission rather "
            "than an allow; Accept sender (not Trust sender) is the narrowest allow.",
        ),
    )
}


def gateway_for(name: str | None, evidence: tuple[str, ...]) -> Gateway | None:
    """The row for an account's gateway; Proofpoint Essentials by its MX (O§4.1)."""
    if name == "proofpoint" and any(h.endswith("ppe-hosted.com") for h in evidence):
        return GATEWAYS["proofpoint_essentials"]
    return GATEWAYS.get(name or "")


def steps(ctx: AccountContext, gateway: Gateway) -> list[Step]:
    out = [_allow(ctx, gateway, allow, PolicyId.GATEWAY_ALLOW) for allow in gateway.allows]
    if ctx.account.bulk:
        out += [_allow(ctx, gateway, a, PolicyId.GATEWAY_RATE_EXEMPTION) for a in gateway.extra]
    out.append(
        step(
            PolicyId.GATEWAY_CHECK,
            title="Check that it works",
            path=ConsolePath(current=gateway.check_path, legacy=""),
            help_url=gateway.help_url,
            settings=[("Sender", describe(ctx.sender.from_addresses))],
            why=gateway.check_why,
        )
    )
    return out


def caveats(gateway: Gateway) -> tuple[str, ...]:
    return tuple(text for text in (gateway.still_applies, gateway.open_points) if text)


def _allow(ctx: AccountContext, gateway: Gateway, allow: Allow, policy: PolicyId) -> Step:
    settings: list[Row] = []
    blocked = ""
    for label, kind in allow.fields:
        value = _value(ctx, kind)
        if value:
            settings.append((label, value))
        else:
            blocked = (
                f"Needs {ctx.platform.name}'s IP ranges, which could not be looked up when "
                "these instructions were made; open them again later to get them."
            )
    return step(
        policy,
        title=allow.title,
        path=ConsolePath(current=allow.path, legacy=""),
        help_url=gateway.help_url,
        settings=settings,
        why=allow.why,
        optional=allow.optional,
        blocked=blocked,
    )


def _value(ctx: AccountContext, kind: str) -> str:
    """§13.0 rule 4: give the address of the type the list matches."""
    addresses = describe(ctx.sender.from_addresses)
    envelope = envelope_domain(ctx.platform)
    if kind == HEADER:
        return addresses
    if kind == ENVELOPE:
        return envelope or "the Return-Path domain of a delivered invitation"
    if kind == EITHER:
        return f"{addresses}, {envelope}" if envelope and ctx.sender.shared else addresses
    if kind == IP:
        return ", ".join(ctx.bypass_ips)
    if kind == "=hostnames":
        return ", ".join(ctx.platform.server_hostnames)
    return kind.removeprefix("=")
