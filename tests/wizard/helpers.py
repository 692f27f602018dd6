"""Small helpers for the wizard tests: URLs by name and htmx headers."""

import re
from typing import Any

from django.urls import reverse

from apps.customers.models import CustomerProfile

HTMX = {"HX-Request": "true"}

# A step panel for htmx: the page's new <title> at the top level (where htmx lifts it out of the
# response), then the panel and nothing before it.
_PANEL = re.compile(rb'\s*<title>[^<]+</title>\s*<section id="wizard-panel"')


def is_panel(content: bytes) -> bool:
    return _PANEL.match(content) is not None


# The customer's pages outside the wizard's steps (apps.instructions, namespace "customer").
INSTRUCTIONS_PAGES = {
    "instructions",
    "instructions_pdf",
    "instructions_txt",
    "instructions_json",
    "recheck",
    "share_create",
    "share_revoke",
}


def url(name: str, profile: CustomerProfile, **kwargs: Any) -> str:
    namespace = "customer" if name in INSTRUCTIONS_PAGES else "wizard"
    return reverse(f"{namespace}:{name}", kwargs={"token": profile.token, **kwargs})


ABOUT = {
    "organisation": "Own Org",
    "contact_name": "Luke Example",
    "contact_email": "luke@ownorg.example",
}
SENDING_DOMAIN = {
    "mode": "sending_domain",
    "from_addresses": "surveys@ownorg.example",
    "display_name": "Own Org surveys",
    "customer_address": "luke@ownorg.example",
}
