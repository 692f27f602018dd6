from collections.abc import Container
from typing import Any

from django import forms, template

register = template.Library()


@register.simple_tag
def step_done(ticks: Container[tuple[str, str]] | None, account_ref: str, step_key: str) -> bool:
    """Whether IT ticked this step: `ticks` is a set (or dict) keyed by (account_ref, step_key)."""
    if not ticks:
        return False
    return (account_ref, step_key) in ticks


@register.filter
def field_errors(form: forms.Form) -> list[tuple[forms.BoundField, str]]:
    """Every (field, message) pair of a bound form, in field order (non-field errors aside)."""
    if not form.is_bound:
        return []
    # Iterating an ErrorList gives its messages (str or lazy text); str() settles which.
    return [(field, str(error)) for field in form.visible_fields() for error in field.errors]


@register.simple_tag
def steps_done(ticks: Container[tuple[str, str]] | None, account: Any) -> int:
    """How many of one plan account's steps IT ticked."""
    if not ticks:
        return 0
    return sum((account.ref, step.key) in ticks for step in account.steps)
