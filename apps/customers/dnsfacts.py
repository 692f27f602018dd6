"""Turning DNS answers (from `apps.dnscheck.facade`) into the facts stored on a profile, and back.

Lookups run outside any transaction and concurrently (recipient domains and the sending domain
at once); storing is a separate, quick step.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from django.utils import timezone

from apps.customers.models import CustomerProfile, RecipientDomain
from apps.dnscheck import facade
from apps.policies import mimecast
from apps.policies.types import GatewayInfo, SendingDomainFacts


@dataclass
class CheckResults:
    domains: dict[str, GatewayInfo] = field(default_factory=dict)
    sending_domain: str = ""
    sending_report: dict[str, Any] | None = None
    checked_at: datetime = field(default_factory=timezone.now)


def _status(info: GatewayInfo) -> str:
    if info.name:
        return "ok"
    detail = info.detail.lower()
    if "time" in detail or "didn't answer" in detail or "did not answer" in detail:
        return "timeout"
    if "not exist" in detail or "nxdomain" in detail:
        return "nxdomain"
    return "failed"


def _check_domains(domains: list[str]) -> dict[str, GatewayInfo]:
    if not domains:
        return {}
    infos = facade.detect_gateways([[domain] for domain in domains])
    return dict(zip(domains, infos, strict=False))


def _check_sending(domain: str) -> dict[str, Any] | None:
    if not domain:
        return None
    from apps.sending.selectors import platform_info

    facts = facade.sending_domain_facts(domain, platform_info())
    return _jsonable(asdict(facts))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def check_all(domains: list[str], sending_domain: str) -> CheckResults:
    """Never raises: a lookup that fails is recorded as unknown with the reason."""
    unique = list(dict.fromkeys(domains))
    results = CheckResults(sending_domain=sending_domain)
    with ThreadPoolExecutor(max_workers=2) as pool:
        recipients = pool.submit(_check_domains, unique)
        sending = pool.submit(_check_sending, sending_domain)
        try:
            results.domains = recipients.result()
        except Exception as error:  # the facade promises not to raise; be safe regardless
            results.domains = {d: GatewayInfo(detail=f"couldn't check: {error}") for d in unique}
        try:
            results.sending_report = sending.result()
        except Exception as error:
            results.sending_report = {"domain": sending_domain, "error": str(error)}
    results.checked_at = timezone.now()
    return results


def store(profile: CustomerProfile, results: CheckResults) -> None:
    rows = RecipientDomain.objects.filter(account__profile=profile, domain__in=results.domains)
    for row in rows:
        info = results.domains[row.domain]
        row.gateway = info.name or ""
        row.region = info.region or ""
        row.evidence = list(info.evidence)
        row.also_seen = list(info.also_seen)
        row.dns_status = _status(info)
        row.dns_message = info.detail[:500]
        row.checked_at = results.checked_at
        row._change_reason = "DNS checked"
        row.save()
    if results.sending_report is not None:
        CustomerProfile.objects.filter(pk=profile.pk).update(
            sending_domain_report=results.sending_report,
            sending_domain_checked_at=results.checked_at,
        )
        profile.sending_domain_report = results.sending_report
        profile.sending_domain_checked_at = results.checked_at


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
    return badge_for(row.gateway, row.region, row.dns_status)


def badge_for(gateway: str | None, region: str | None, status: str) -> tuple[str, str]:
    if not gateway:
        reason = {"timeout": "timeout", "nxdomain": "no such domain"}.get(status, "")
        return (f"couldn't check ({reason})" if reason else "couldn't check"), "warning"
    label = mimecast.gateway_label(gateway)
    if gateway == mimecast.MIMECAST:
        region_label = mimecast.region(region).label
        return (f"{label} · {region_label}" if region_label else label), "success"
    return f"{label} — Mimecast steps don't apply", "secondary"


def live_badges(domains: list[str]) -> list[tuple[str, str, str]]:
    """Check typed domains now, without storing: (domain, badge text, tone) each."""
    results = check_all(domains, "")
    out = []
    for domain in dict.fromkeys(domains):
        info = results.domains.get(domain, GatewayInfo())
        out.append((domain, *badge_for(info.name, info.region, _status(info))))
    return out


def sending_domain_facts(profile: CustomerProfile) -> SendingDomainFacts | None:
    report = profile.sending_domain_report or {}
    if not report.get("domain"):
        return None
    names = {f.name for f in fields(SendingDomainFacts)}
    values = {key: value for key, value in report.items() if key in names}
    if "dkim_selectors_found" in values:
        values["dkim_selectors_found"] = tuple(values["dkim_selectors_found"] or ())
    return SendingDomainFacts(**values)
