"""Every mutating endpoint of the customer's and IT's pages refuses a POST without the CSRF token
and writes nothing; with the token the same POST does its write."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.customers.models import ChecklistTick, CustomerProfile, RecipientAccount, ShareLink
from tests.customers.factories import make_account, make_complete_profile, make_share_link
from tests.wizard.helpers import ABOUT, SENDING_DOMAIN, url

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Setting:
    """A finished profile with DNS checked, a third organisation not yet checked, IT's link."""

    profile: CustomerProfile
    account: RecipientAccount
    link: ShareLink
    ref: str
    key: str


def _setting() -> Setting:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    account = make_account(profile, organisation="Third", domains=["m365org.example"])
    link = make_share_link(profile)
    plan = selectors.plan_for_profile(profile)
    return Setting(profile, account, link, plan.accounts[0].ref, plan.accounts[0].steps[0].key)


def _fresh(s: Setting) -> CustomerProfile:
    return CustomerProfile.objects.get(pk=s.profile.pk)


def _edit(s: Setting) -> dict[str, str]:
    prefix = f"edit-{s.account.ref}"
    return {f"{prefix}-organisation": "Third Renamed", f"{prefix}-domains": "m365org.example"}


# name: (page that sets the cookie, URL posted to, data, what the write changes)
Case = tuple[
    Callable[[Setting], str],
    Callable[[Setting], str],
    Callable[[Setting], dict[str, str]],
    Callable[[Setting], Any],
]
CASES: dict[str, Case] = {
    "start": (
        lambda s: reverse("wizard:start"),
        lambda s: reverse("wizard:start"),
        lambda s: ABOUT,
        lambda s: CustomerProfile.objects.count(),
    ),
    "about": (
        lambda s: url("about", s.profile),
        lambda s: url("about", s.profile),
        lambda s: {**ABOUT, "organisation": "Renamed Org"},
        lambda s: _fresh(s).organisation,
    ),
    "sending": (
        lambda s: url("sending", s.profile),
        lambda s: url("sending", s.profile),
        lambda s: {**SENDING_DOMAIN, "display_name": "Renamed surveys"},
        lambda s: _fresh(s).display_name,
    ),
    "recipient_add": (
        lambda s: url("recipients", s.profile),
        lambda s: url("recipient_add", s.profile),
        lambda s: {"organisation": "Fourth", "domains": "fourth.example"},
        lambda s: s.profile.recipient_accounts.count(),
    ),
    "recipient_edit": (
        lambda s: url("recipients", s.profile),
        lambda s: url("recipient_edit", s.profile, ref=s.account.ref),
        _edit,
        lambda s: RecipientAccount.objects.get(pk=s.account.pk).organisation,
    ),
    "recipient_remove": (
        lambda s: url("recipients", s.profile),
        lambda s: url("recipient_remove", s.profile, ref=s.account.ref),
        lambda s: {},
        lambda s: RecipientAccount.objects.filter(pk=s.account.pk).exists(),
    ),
    "recipients": (
        lambda s: url("recipients", s.profile),
        lambda s: url("recipients", s.profile),
        lambda s: {},
        lambda s: _fresh(s).wizard_step,
    ),
    "options": (
        lambda s: url("options", s.profile),
        lambda s: url("options", s.profile),
        lambda s: {"basis": "address_and_ip"},
        lambda s: _fresh(s).basis,
    ),
    "review": (
        lambda s: url("review", s.profile),
        lambda s: url("review", s.profile),
        lambda s: {},
        lambda s: selectors.is_complete(_fresh(s)),
    ),
    "recheck": (
        lambda s: url("instructions", s.profile),
        lambda s: url("recheck", s.profile),
        lambda s: {},
        lambda s: s.account.domains.filter(checked_at__isnull=False).count(),
    ),
    "share_create": (
        lambda s: url("instructions", s.profile),
        lambda s: url("share_create", s.profile),
        lambda s: {"account": s.account.ref},
        lambda s: s.profile.share_links.count(),
    ),
    "it_tick": (
        lambda s: reverse("it:page", kwargs={"token": s.link.token}),
        lambda s: reverse("it:tick", kwargs={"token": s.link.token}),
        lambda s: {"account": s.ref, "step": s.key, "done": "on"},
        lambda s: ChecklistTick.objects.filter(profile=s.profile).count(),
    ),
    "share_revoke": (
        lambda s: url("instructions", s.profile),
        lambda s: url("share_revoke", s.profile),
        lambda s: {"link": s.link.token},
        lambda s: ShareLink.objects.get(pk=s.link.pk).is_active,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_mutating_endpoint_needs_the_csrf_token(csrf_client: Client, name: str) -> None:
    page, path, data, written = CASES[name]
    s = _setting()
    before = written(s)

    assert csrf_client.post(path(s), data(s)).status_code == 403
    assert written(s) == before  # refused, and nothing written

    csrf_client.get(page(s))  # the page sets the cookie, as in a browser
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(path(s), {**data(s), "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 303), response.content[:300]
    assert written(s) != before  # the same POST with the token did its write
