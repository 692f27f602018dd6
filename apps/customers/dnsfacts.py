"""The DNS facts stored on a profile: looked up (`check_all`), and read back as the typed facts
of apps.dnscheck.facts, through its one serializer.

Lookups run outside any transaction and concurrently (recipient domains and the sending domain
at once); storing them is a separate, quick write in `services.dns`.
"""

import contextvars
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from apps.customers.models import CustomerProfile, RecipientDomain
from apps.dnscheck import facade, facts, types
from apps.dnscheck.types import DomainCheck, SendingDomainReport
from apps.policies.wording import Badge, domain_badge
from apps.sending.selectors import platform_info


@dataclass
class CheckResults:
    domains: dict[str, DomainCheck] = field(default_factory=dict)
    sending_domain: str = ""
    sending_report: SendingDomainReport | None = None
    checked_at: datetime = field(default_factory=timezone.now)


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
        if sending_domain:
            results.sending_report = facade.check_sending_domain(sending_domain, platform_info())
        results.domains = recipients.result() if recipients else {}
    results.checked_at = timezone.now()
    return results


def live_badges(domains: list[str]) -> list[DomainCheck]:
    """Check typed domains now, without storing anything."""
    return list(facade.check_recipient_domains(list(dict.fromkeys(domains))).values())


def live_sending_report(domain: str) -> dict[str, Any]:
    """Check a sending domain's SPF / DKIM / DMARC now, in its stored shape, without storing it."""
    return facts.report_to_dict(facade.check_sending_domain(domain, platform_info()))


# --- Reading the stored facts -------------------------------------------------------------------


def stored_checks(rows: Iterable[RecipientDomain]) -> dict[str, DomainCheck]:
    """The checks stored on these domains, by domain (a domain never checked has none)."""
    found = {row.domain: facts.check_from_dict(row.facts) for row in rows}
    return {domain: check for domain, check in found.items() if check is not None}


def stored_report(profile: CustomerProfile) -> SendingDomainReport | None:
    """The sending domain's report as last checked (None when never checked)."""
    return facts.report_from_dict(profile.sending_domain_report)


def cannot_receive(row: RecipientDomain) -> bool:
    """What the domain's check found (its stored status) says no mail can reach it."""
    return row.checked_at is not None and row.status in types.CANNOT_RECEIVE


def check_failed(row: RecipientDomain) -> bool:
    """The lookup itself failed: only then "couldn't check just now"."""
    return row.checked_at is not None and row.status == types.DomainStatus.ERROR


def badge(row: RecipientDomain) -> Badge:
    """A stored domain's badge, e.g. ("Mimecast · Europe", "success"), worded from its facts."""
    status = row.status if row.checked_at is not None else ""
    return domain_badge(
        status=status,
        gateway=row.gateway or None,
        region=row.region or None,
        failure=row.dns_status,
    )
