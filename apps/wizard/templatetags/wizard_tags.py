"""The wizard's own template filters and tags."""

from django import forms, template

register = template.Library()


@register.filter
def field_errors(form: forms.Form) -> list[tuple[forms.BoundField, str]]:
    """Every (field, message) pair of a bound form, in field order (non-field errors aside)."""
    if not form.is_bound:
        return []
    # Iterating an ErrorList gives its messages (str or lazy text); str() settles which.
    return [(field, str(error)) for field in form.visible_fields() for error in field.errors]


@register.simple_tag
def hx_attrs(field: forms.BoundField, **attrs: str) -> str:
    """Give a field's input htmx attributes, `data-hx-` and the name (`get=url` becomes
    `data-hx-get="url"`), in the order given, before `{% crispy form %}` renders it: the
    template owns its htmx wiring while crispy still lays the field out. Renders nothing."""
    field.field.widget.attrs.update({f"data-hx-{name}": value for name, value in attrs.items()})
    return ""
