"""DNS facts about a profile's domains: looked up outside any transaction, then stored."""

from django.db import transaction

from apps.customers import dnsfacts, selectors
from apps.customers.models import CustomerProfile, RecipientAccount, RecipientDomain
from apps.customers.services._common import reason
from apps.dnscheck import facts, snapshots
from apps.sending.selectors import platform_info

# --- DNS facts ------------------------------------------------------------------------------------


def dns_recheck(*, profile: CustomerProfile) -> None:
    """Look up every recipient domain and the sending domain (concurrently, outside any
    transaction: no locks held while waiting on DNS), then store what was found. Never raises
    on DNS failure: a failed lookup is stored as such."""
    domains = list(
        RecipientDomain.objects.filter(account__profile=profile).values_list("domain", flat=True)
    )
    results = _check(domains, selectors.sending_domain(profile))
    with transaction.atomic():
        _store(profile, results)


def sending_domain_check(*, profile: CustomerProfile) -> None:
    """Look up the sending domain's SPF / DKIM / DMARC now and store the answer (step 2)."""
    domain = selectors.sending_domain(profile)
    if domain:
        results = _check([], domain)
        with transaction.atomic():
            _store(profile, results)


def recipient_domains_check(*, account: RecipientAccount) -> None:
    """The same as `dns_recheck`, for one recipient account's domains only (wizard step 3); and
    the sending domain when these recipients change which one counts (one they own comes
    first) and that one was not checked yet."""
    domains = list(account.domains.values_list("domain", flat=True))
    profile = account.profile
    counts = selectors.sending_domain(profile)
    stored = dnsfacts.stored_report(profile)
    sending = counts if counts and (stored is None or stored.domain != counts) else ""
    results = _check(domains, sending)
    with transaction.atomic():
        _store(profile, results)


def _check(domains: list[str], sending_domain: str) -> dnsfacts.CheckResults:
    """The lookups, with the platform's IP snapshot refreshed first when it is due (the sending
    domain's SPF is judged against those IPs; the plan may list them)."""
    snapshots.refresh_if_due(platform_info())
    return dnsfacts.check_all(domains, sending_domain)


def _store(profile: CustomerProfile, results: dnsfacts.CheckResults) -> None:
    """Write what `dnsfacts.check_all` found onto the profile's rows (caller's transaction)."""
    rows = RecipientDomain.objects.filter(account__profile=profile, domain__in=results.domains)
    for row in rows:
        check = results.domains[row.domain]
        row.gateway = check.gateway or ""
        row.region = check.region or ""
        row.evidence = list(check.evidence)
        row.also_seen = list(check.also_seen)
        row.dns_status = (check.dns_status or str(check.status))[:32]
        row.dns_message = check.message[:500]
        row.facts = facts.check_to_dict(check)
        row.status = check.status
        row.checked_at = results.checked_at
        reason(row, "DNS checked")
        row.save()
    if results.sending_report is not None:
        report = facts.report_to_dict(results.sending_report)
        # The lookup ran outside any transaction: the customer may have changed their sending
        # domain meanwhile. Locked and read again, a report for another domain is not stored.
        current = CustomerProfile.objects.select_for_update().get(pk=profile.pk)
        if selectors.sending_domain(current) != results.sending_domain:
            return
        CustomerProfile.objects.filter(pk=profile.pk).update(
            sending_domain_report=report,
            sending_domain_checked_at=results.checked_at,
        )
        profile.sending_domain_report = report
        profile.sending_domain_checked_at = results.checked_at
