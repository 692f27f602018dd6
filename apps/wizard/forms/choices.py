"""Radio choices shown as a short title with a plain-words explanation underneath."""

from django.utils.html import format_html
from django.utils.safestring import SafeString


def described(title: str, description: str) -> SafeString:
    """A choice label: the title in bold, the explanation on its own line (both escaped)."""
    return format_html(
        '<span class="fw-semibold">{}</span>'
        '<span class="d-block small text-body-secondary">{}</span>',
        title,
        description,
    )
