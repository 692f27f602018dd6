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
from apps.dnscheck import facade
from apps.dnscheck.facade import DomainCheck, SendingDomainReport
from apps.policies import gateways
from apps.policies.types import GatewayInfo, SendingDomainFacts
from apps.policies.wording import Badge, domain_badge


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


def account_gateway(rows: list[RecipientDomain]) -> GatewayInfo:
    """One account's gateway: the first of its domains whose gateway is known (Mimecast first)."""
    known = [row for row in rows if row.gateway]
    for row in known:
        if row.gateway == gateways.MIMECAST:
            return gateway_info(row)
    if known:
        return gateway_info(known[0])
    for row in rows:
        if row.dns_message:
            return gateway_info(row)
    return GatewayInfo(detail="Not checked yet.")


def badge(row: RecipientDomain) -> Badge:
    """A stored domain's badge, e.g. ("Mimecast · Europe", "success"), worded from its facts."""
    status = row.status if row.checked_at is not None else ""
    return domain_badge(
        status=status,
        gateway=row.gateway or None,
        region=row.region or None,
        failure=row.dns_status,
    )


def sending_domain_facts(profile: CustomerProfile) -> SendingDomainFacts | None:
    """The generator's facts from the stored report (None when never checked)."""
    report = profile.sending_domain_report or {}
    if not report.get("domain"):
        return None
    return SendingDomainFacts(
        domain=report["domain"],
        spf_authorises_platform=report.get("spf_authorises_platform"),
        spf_record=(report.get("spf") or {}).get("record", ""),
        dmarc_policy=report.get("dmarc_policy") or "",
        dkim_selectors_found=tuple(report.get("dkim_selectors_found") or ()),
    )
