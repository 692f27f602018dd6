"""What the plan partial needs: the one gateway badge (also for the wizard's and support's
domain lists) and how far IT has ticked the checklist."""

from collections.abc import Container
from typing import Any

from django import template

from apps.customers import dnsfacts
from apps.customers.models import RecipientDomain
from apps.dnscheck.types import DomainCheck
from apps.policies.types import GatewaySummary
from apps.policies.wording import Badge, plan_badge

register = template.Library()


@register.simple_tag
def gateway_badge(
    subject: GatewaySummary | RecipientDomain | DomainCheck, has_steps: object = False
) -> Badge:
    """`{% gateway_badge account.gateway account.steps as badge %}` for an organisation in a plan
    (green when it has steps), `{% gateway_badge domain as badge %}` for a recipient domain, stored
    or checked live; then `badge.text` and `badge.tone` (apps.policies.wording)."""
    if isinstance(subject, GatewaySummary):
        return plan_badge(
            name=subject.name,
            label=subject.label,
            region_label=subject.region_label,
            has_steps=bool(has_steps),
        )
    if isinstance(subject, RecipientDomain):
        return dnsfacts.badge(subject)
    return subject.worded()


@register.simple_tag
def step_done(ticks: Container[tuple[str, str]] | None, account_ref: str, step_key: str) -> bool:
    """Whether IT ticked this step: `ticks` is a set (or dict) keyed by (account_ref, step_key)."""
    if not ticks:
        return False
    return (account_ref, step_key) in ticks


@register.simple_tag
def steps_done(ticks: Container[tuple[str, str]] | None, account: Any) -> int:
    """How many of one plan account's steps IT ticked."""
    if not ticks:
        return 0
    return sum((account.ref, step.key) in ticks for step in account.steps)
