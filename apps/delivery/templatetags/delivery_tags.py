"""Delivery evidence for any page that shows a profile's instructions: one include
(templates/delivery/_evidence.html, _at_risk.html) and no change to the page's own view."""

from __future__ import annotations

from typing import Any

from django import template

from apps.customers.models import CustomerProfile
from apps.delivery import selectors

register = template.Library()


@register.simple_tag
def delivery_evidence(
    profile: CustomerProfile | None, plan: Any = None
) -> list[selectors.OrganisationEvidence]:
    """The evidence for the profile's organisations, only those in `plan` when one is given (an
    IT share link's plan holds its own organisation only)."""
    if profile is None or profile.pk is None:
        return []
    refs = {account.ref for account in plan.accounts} if plan is not None else None
    return selectors.evidence_for_profile(profile, refs)


@register.simple_tag
def delivery_at_risk() -> list[selectors.DomainAtRisk]:
    return selectors.domains_at_risk()
