"""Turning DNS answers (from `apps.dnscheck.facade`) into the facts stored on a profile, and back.

Lookups run outside any transaction and concurrently (recipient domains and the sending domain
at once); storing them is a separate, quick write in `services.dns`.
"""

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from apps.customers.models import CustomerProfile, RecipientDomain
from apps.dnscheck import facade, types
from apps.dnscheck.answers import FAILURES
from apps.dnscheck.facade import DomainCheck, SendingDomainReport
from apps.policies import mimecast
from apps.policies.types import GatewayInfo, SendingDomainFacts


@dataclass
class CheckResults:
    domains: dict[str, DomainCheck] = field(default_factory=dict)
    sending_domain: str = ""
    sending_report: dict[str, Any] | None = None
    checked_at: datetime = field(default_factory=timezone.now)


def _check_sending(domain: str) -> dict[str, Any] | None:
    return live_sending_report(domain) if domain else None


def report_dict(report: SendingDomainReport) -> dict[str, Any]:
    """A `SendingDomainReport` as stored JSON (what support sees the customer was shown)."""
    return _jsonable(asdict(report))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def check_all(domains: list[str], sending_domain: str) -> CheckResults:
    """Recipient domains and the sending domain at once. Never raises: the facade turns every
    DNS failure into a status."""
    unique = list(dict.fromkeys(domains))
    results = CheckResults(sending_domain=sending_domain)
    # Recipient domains in a worker (DNS and cache only); the sending domain here, because
    # its check reads the platform's stored IP snapshot and database connections are per thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        # In the caller's context, so the worker shares the request's DNS budget.
        context = contextvars.copy_context()
        recipients = (
            pool.submit(context.run, facade.check_recipient_domains, unique) if unique else None
        )
        results.sending_report = _check_sending(sending_domain)
        results.domains = recipients.result() if recipients else {}
    results.checked_at = timezone.now()
    return results


def live_badges(domains: list[str]) -> list[DomainCheck]:
    """Check typed domains now, without storing anything."""
    return list(facade.check_recipient_domains(list(dict.fromkeys(domains))).values())


def live_sending_report(domain: str) -> dict[str, Any]:
    """Check a sending domain's SPF / DKIM / DMARC now, as stored JSON, without storing it."""
    from apps.sending.selectors import platform_info

    return report_dict(facade.check_sending_domain(domain, platform_info()))


# --- Reading the stored facts -------------------------------------------------------------------


def gateway_info(row: RecipientDomain) -> GatewayInfo:
    return GatewayInfo(
        name=row.gateway or None,
        region=row.region or None,
        evidence=tuple(row.evidence or ()),
        detail=row.dns_message,
        also_seen=tuple(row.also_seen or ()),
    )


# What a stored row's dns_status holds when the domain takes no mail (see dnscheck.recipients);
# "nxdomain" is how rows checked before said "no such domain".
CANNOT_RECEIVE = frozenset({*(str(s) for s in types.CANNOT_RECEIVE), "nxdomain"})
# Lookups that failed: only these are "couldn't check just now".
FAILED = frozenset(str(status) for status in FAILURES)


def cannot_receive(row: RecipientDomain) -> bool:
    return row.checked_at is not None and row.dns_status in CANNOT_RECEIVE


def check_failed(row: RecipientDomain) -> bool:
    return row.checked_at is not None and row.dns_status in FAILED


def account_gateway(rows: list[RecipientDomain]) -> GatewayInfo:
    """One account's gateway: the first of its domains whose gateway is known (Mimecast first);
    none that takes mail when DNS says none of its domains can receive any."""
    if rows and all(cannot_receive(row) for row in rows):
        return GatewayInfo(detail=" ".join(row.dns_message for row in rows), receives_mail=False)
    known = [row for row in rows if row.gateway]
    for row in known:
        if row.gateway == mimecast.MIMECAST:
            return gateway_info(row)
    if known:
        return gateway_info(known[0])
    for row in rows:
        if row.dns_message:
            return gateway_info(row)
    return GatewayInfo(detail="Not checked yet.")


def badge(row: RecipientDomain) -> tuple[str, str]:
    """(text, tone) for a stored domain's badge, e.g. ("Mimecast · Europe", "success")."""
    if row.checked_at is None:
        return "not checked yet", "secondary"
    text = row.badge or mimecast.gateway_label(row.gateway)
    return text, tone(row.gateway, cannot_receive=cannot_receive(row))


def tone(gateway: str | None, *, cannot_receive: bool = False) -> str:
    """The Bootstrap colour of a badge: Mimecast green, another gateway grey, a domain that takes
    no mail red, other trouble amber."""
    if cannot_receive:
        return "danger"
    if gateway == mimecast.MIMECAST:
        return "success"
    if gateway:
        return "secondary"
    return "warning"


def sending_domain_facts(profile: CustomerProfile) -> SendingDomainFacts | None:
    """The generator's facts from the stored report (None when never checked)."""
    report = profile.sending_domain_report or {}
    if not report.get("domain"):
        return None
    spf = report.get("spf") or {}
    spf_status = str(spf.get("status") or "")
    authorises = report.get("spf_authorises_platform")
    if authorises is None and spf_status in ("missing", "invalid"):
        authorises = False  # reports stored before a missing record counted as known
    return SendingDomainFacts(
        domain=report["domain"],
        spf_authorises_platform=authorises,
        spf_record=spf.get("record", ""),
        spf_status=spf_status,
        dmarc_policy=report.get("dmarc_policy") or "",
        dkim_selectors_found=tuple(report.get("dkim_selectors_found") or ()),
    )
