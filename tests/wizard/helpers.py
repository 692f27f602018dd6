"""Small helpers for the wizard tests: URLs by name and htmx headers."""

from typing import Any

from django.urls import reverse

from apps.customers.models import CustomerProfile

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, profile: CustomerProfile, **kwargs: Any) -> str:
    return reverse(f"customer:{name}", kwargs={"token": profile.token, **kwargs})


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
