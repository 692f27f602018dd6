"""What the rest of Safelist asks of DNS. Every answer is a plain value; nothing raises.

The implementations live beside this module; callers import only from here. Every function runs
its lookups concurrently under one overall deadline (settings.DNS_DEADLINE, each query limited
to settings.DNS_TIMEOUT), through the cache; a DNS failure comes back as a plain-language status
("couldn't check: the DNS server didn't answer within 2 s"), never as an exception.

    >>> check_recipient_domain("example.com").badge
    'Mimecast · Europe'
    >>> detect_gateways([["example.com", "example.co.uk"]])[0].name
    'mimecast'
    >>> check_sending_domain("example.org", platform).spf.message
    'The SPF record authorises SmartSurvey: it includes spf.ssmx.net.'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import cast

from apps.dnscheck import snapshots
from apps.dnscheck.concurrency import gather
from apps.dnscheck.deadline import overall_deadline
from apps.dnscheck.names import InvalidDomain, to_ascii, to_display
from apps.dnscheck.types import (
    CheckStatus,
    DomainCheck,
    DomainStatus,
    RecordCheck,
    SendingDomainReport,
)
from apps.dnscheck.verdicts import account_gateway
from apps.policies.types import GatewayInfo, PlatformInfo, PlatformIPs, SendingDomainFacts

__all__ = [
    "CheckStatus",
    "DomainCheck",
    "DomainStatus",
    "RecordCheck",
    "SendingDomainReport",
    "check_recipient_domain",
    "check_recipient_domains",
    "check_sending_domain",
    "detect_gateways",
    "platform_ips",
    "sending_domain_facts",
]

logger = logging.getLogger("safelist.dns")

# The lookups themselves (apps.dnscheck.recipients, .authentication, .platform_ips) load
# dnspython, checkdmarc and pyspf, which take seconds to import: each is imported by the
# function that first looks something up, not by every process that imports the URLconf.


def _safely[T](what: str, call: Callable[[], T], fallback: Callable[[str], T]) -> T:
    """The last guard: an unexpected error becomes a status, logged without any personal data."""
    try:
        return call()
    except Exception:
        logger.exception("dns check failed unexpectedly", extra={"check": what})
        return fallback("couldn't check: an unexpected error occurred")


# --- Recipient domains ----------------------------------------------------------------------


def check_recipient_domain(domain: str) -> DomainCheck:
    """The gateway in front of one recipient domain, from its MX records (lowest preference
    first): `gateway` (mimecast, microsoft365, google, proofpoint, …, None = unknown), `region`
    and `region_label` for Mimecast, `evidence` (the MX hosts), `also_seen` (a mailbox provider
    behind the gateway), `status` (DomainStatus), `message` (one sentence) and `badge`
    ("Mimecast · Europe", "Microsoft 365", "couldn't check
    (timeout)"). Accepts Unicode (IDNA 2008), upper case and a trailing dot."""
    return check_recipient_domains([domain])[domain]


def check_recipient_domains(domains: Sequence[str]) -> dict[str, DomainCheck]:
    """`check_recipient_domain` for many domains at once, concurrently, under one deadline.
    Keys are the domains exactly as given."""
    unique = list(dict.fromkeys(domains))

    def run() -> dict[str, DomainCheck]:
        from apps.dnscheck import recipients

        with overall_deadline():
            return recipients.check_domains(unique)

    return _safely(
        "recipient_domains",
        run,
        lambda message: {d: _error_check(d, message) for d in unique},
    )


def _error_check(domain: str, message: str) -> DomainCheck:
    return DomainCheck(
        domain=domain,
        display_domain=domain,
        status=DomainStatus.ERROR,
        message=message,
        dns_status="error",
    )


def detect_gateways(domain_groups: Sequence[Sequence[str]]) -> list[GatewayInfo]:
    """One `GatewayInfo` per recipient account (a group of its domains), looked up concurrently
    under one overall deadline. When an account's domains disagree the detail says so, and
    Mimecast wins if any domain is behind it. Failures come back as
    `GatewayInfo(name=None, detail="Couldn't check …")`."""
    groups = [list(group) for group in domain_groups]
    every = [domain for group in groups for domain in group]
    checks = check_recipient_domains(every)
    return [
        _safely(
            "detect_gateways",
            partial(account_gateway, group, checks),
            lambda message: GatewayInfo(detail=message),
        )
        for group in groups
    ]


# --- The platform's addresses ---------------------------------------------------------------


def platform_ips(platform: PlatformInfo) -> PlatformIPs:
    """The platform's source IP ranges (CIDR; a single IPv4 address as /32, IPv6 as /128), as
    last resolved from its SPF include and server names: the latest stored snapshot, with
    `stale=True` once it is due a refresh (`resolved_at` shows how old it is;
    apps.policies.wording.age words it). Never asks DNS, never writes: `snapshots.refresh_if_due`
    and the `refresh_platform_ips` command do that."""
    return _safely("platform_ips", lambda: snapshots.latest_ips(platform), _stale_ips)


def _stale_ips(message: str) -> PlatformIPs:
    return PlatformIPs(stale=True)


# --- The customer's sending domain ----------------------------------------------------------


def check_sending_domain(domain: str, platform: PlatformInfo) -> SendingDomainReport:
    """SPF, DMARC and DKIM for the customer's sending domain, each a `RecordCheck` (status
    ok / warning / missing / invalid / unknown, a plain-language message, the record text, where
    it was found, and what is missing):

    - SPF: exactly one record; valid syntax; at most 10 DNS-querying terms and 2 void lookups
      (RFC 7208); authorises the platform when it includes the platform's SPF include
      (anywhere in its includes) or evaluates to pass for every platform address.
    - DMARC: the record at _dmarc.<domain>, else at the organisational domain, and the policy
      that applies (p=, or sp= when inherited).
    - DKIM: which of the platform's selectors publish a key at the domain.

    `.facts` gives the generator's `SendingDomainFacts`."""
    return _safely(
        "sending_domain",
        lambda: _check_sending_domain(domain, platform),
        lambda message: _failed_report(domain, message),
    )


def _check_sending_domain(domain: str, platform: PlatformInfo) -> SendingDomainReport:
    from apps.dnscheck import authentication

    try:
        name = to_ascii(domain)
    except InvalidDomain as error:
        return _failed_report(domain, str(error), status=CheckStatus.INVALID)
    ranges = platform_ips(platform).ranges
    with overall_deadline():
        calls: list[Callable[[], object]] = [
            partial(authentication.check_spf, name, platform, ranges),
            partial(authentication.check_dmarc, name),
            partial(authentication.check_dkim, name, platform),
        ]
        spf_result, dmarc_result, dkim_result = gather(calls)
    # gather keeps the order of the calls; the casts name what each one returns.
    spf_check, authorised, lookups, voids = cast(authentication.SpfResult, spf_result)
    dmarc_check, policy = cast(authentication.DmarcResult, dmarc_result)
    dkim_check, selectors = cast(authentication.DkimResult, dkim_result)
    return SendingDomainReport(
        domain=name,
        display_domain=to_display(name),
        spf=spf_check,
        dmarc=dmarc_check,
        dkim=dkim_check,
        spf_authorises_platform=authorised,
        spf_dns_lookups=lookups,
        spf_void_lookups=voids,
        dmarc_policy=policy,
        dkim_selectors_found=selectors,
    )


def _failed_report(
    domain: str, message: str, *, status: CheckStatus = CheckStatus.UNKNOWN
) -> SendingDomainReport:
    check = RecordCheck(status, message)
    return SendingDomainReport(
        domain=domain, display_domain=domain, spf=check, dmarc=check, dkim=check
    )


def sending_domain_facts(domain: str, platform: PlatformInfo) -> SendingDomainFacts:
    """SPF / DMARC / DKIM facts about the customer's sending domain, for the generator
    (`check_sending_domain(...).facts`)."""
    return check_sending_domain(domain, platform).facts
