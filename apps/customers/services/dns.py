"""DNS facts about a profile's domains: looked up outside any transaction, then stored."""

from django.db import transaction

# A module import: selectors reaches services (through dnsfacts) while it loads.
from apps.customers import dnsfacts, selectors
from apps.customers.models import CustomerProfile, RecipientAccount, RecipientDomain

# --- DNS facts ------------------------------------------------------------------------------------


def dns_recheck(*, profile: CustomerProfile) -> None:
    """Look up every recipient domain and the sending domain (concurrently, outside any
    transaction: no locks held while waiting on DNS), then store what was found. Never raises
    on DNS failure: a failed lookup is stored as such."""
    domains = list(
        RecipientDomain.objects.filter(account__profile=profile).values_list("domain", flat=True)
    )
    results = dnsfacts.check_all(domains, selectors.sending_domain(profile))
    with transaction.atomic():
        dnsfacts.store(profile, results)


def sending_domain_check(*, profile: CustomerProfile) -> None:
    """Look up the sending domain's SPF / DKIM / DMARC now and store the answer (step 2)."""
    domain = selectors.sending_domain(profile)
    if domain:
        results = dnsfacts.check_all([], domain)
        with transaction.atomic():
            dnsfacts.store(profile, results)


def recipient_domains_check(*, account: RecipientAccount) -> None:
    """The same as `dns_recheck`, for one recipient account's domains only (wizard step 3)."""
    domains = list(account.domains.values_list("domain", flat=True))
    results = dnsfacts.check_all(domains, "")
    with transaction.atomic():
        dnsfacts.store(account.profile, results)
