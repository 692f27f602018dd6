"""Every mutating support endpoint refuses a POST without the CSRF token, changing nothing,
and does its work with the token a browser would send."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers.models import CustomerProfile, ShareLink
from apps.support.models import StaffNote
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


def _profile() -> CustomerProfile:
    return make_profile("Own Org Ltd", recipients={"Partner Org": ["partnerorg.example"]})


def _url(name: str, profile: CustomerProfile, **kwargs: str | int) -> str:
    return reverse(f"support:{name}", kwargs={"ref": profile.support_ref, **kwargs})


# (endpoint, form data, how many rows of the thing it writes exist)
CASES: list[tuple[str, dict[str, str], Callable[[CustomerProfile], int]]] = [
    ("note_add", {"body": "Called the customer."}, lambda p: StaffNote.objects.count()),
    ("resume_link_send", {}, lambda p: StaffNote.objects.count()),
    ("share_link_create", {"label": "IT"}, lambda p: p.share_links.count()),
    (
        "share_link_revoke",
        {},
        lambda p: p.share_links.filter(revoked_at__isnull=False).count(),
    ),
    (
        "dns_recheck",
        {},
        lambda p: p.recipient_accounts.filter(domains__checked_at__isnull=False).count(),
    ),
]


@pytest.mark.parametrize(("name", "data", "written"), CASES, ids=[c[0] for c in CASES])
def test_it_needs_the_csrf_token(
    csrf_client: Client,
    test_dns: object,
    name: str,
    data: dict[str, str],
    written: Callable[[CustomerProfile], int],
) -> None:
    profile = _profile()
    extra = {}
    if name == "share_link_revoke":
        extra["link_id"] = ShareLink.objects.create(profile=profile).pk
    if name == "share_link_create":
        data = {**data, "account": profile.recipient_accounts.all()[0].ref}
    url = _url(name, profile, **extra)
    csrf_client.force_login(make_staff())

    assert csrf_client.post(url, data).status_code == 403
    assert written(profile) == 0

    csrf_client.get(_url("profile", profile))  # the page sets the cookie, as in a browser
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert written(profile) == 1
