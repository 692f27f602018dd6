from collections.abc import Container

from django import template

register = template.Library()


@register.simple_tag
def step_done(ticks: Container[tuple[str, str]] | None, account_ref: str, step_key: str) -> bool:
    """Whether IT ticked this step: `ticks` is a set (or dict) keyed by (account_ref, step_key)."""
    return bool(ticks) and (account_ref, step_key) in ticks  # type: ignore[operator]
