"""The recipient domain a wizard was started for, from the bounce explainer's link
(/start/?domain=example.org): kept in the session only, shown as the recipients step's
initial value until the profile has that domain. Only the domain travels; nothing pasted."""

from __future__ import annotations

from django.http import HttpRequest

from apps.customers.models import CustomerProfile, RecipientDomain
from apps.dnscheck.names import InvalidDomain, to_ascii

SESSION_KEY = "prefill_recipient_domain"


def remember(request: HttpRequest) -> None:
    """Keep `?domain=` when it is a valid domain name; anything else is ignored."""
    raw = request.GET.get("domain", "")
    if not raw or len(raw) > 253:
        return
    try:
        domain = to_ascii(raw)
    except InvalidDomain:
        return
    if request.session.get(SESSION_KEY) != domain:
        request.session[SESSION_KEY] = domain


def initial_domains(request: HttpRequest, profile: CustomerProfile) -> dict[str, str]:
    """The add form's initial values: the remembered domain, unless the profile already has it."""
    domain = request.session.get(SESSION_KEY)
    if not isinstance(domain, str) or not domain:
        return {}
    if RecipientDomain.objects.filter(account__profile=profile, domain=domain).exists():
        return {}
    return {"domains": domain}
