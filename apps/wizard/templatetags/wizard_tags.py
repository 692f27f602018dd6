"""The wizard's own template filters."""

from django import forms, template

register = template.Library()


@register.filter
def field_errors(form: forms.Form) -> list[tuple[forms.BoundField, str]]:
    """Every (field, message) pair of a bound form, in field order (non-field errors aside)."""
    if not form.is_bound:
        return []
    # Iterating an ErrorList gives its messages (str or lazy text); str() settles which.
    return [(field, str(error)) for field in form.visible_fields() for error in field.errors]
