"""Every mutating endpoint refuses a POST without the CSRF token and accepts it with one."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from tests.customers.factories import make_account, make_complete_profile, make_share_link
from tests.wizard.helpers import ABOUT, SENDING_DOMAIN, url

pytestmark = pytest.mark.django_db


def _with_token(client: Client, page: str, path: str, data: dict) -> int:  # type: ignore[type-arg]
    """Fetch `page` for the CSRF cookie, then post with the token; return the status."""
    client.get(page)
    token = client.cookies["csrftoken"].value
    return client.post(path, {**data, "csrfmiddlewaretoken": token}).status_code


def _cases():  # type: ignore[no-untyped-def]
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    account = make_account(profile, organisation="Third", domains=["m365org.example"])
    link = make_share_link(profile)
    plan = selectors.plan_for_profile(profile)
    ref, key = plan.accounts[0].ref, plan.accounts[0].steps[0].key
    prefix = f"edit-{account.ref}"
    instructions = url("instructions", profile)
    it_page = reverse("it:page", kwargs={"token": link.token})
    return [
        (reverse("wizard:start"), reverse("wizard:start"), ABOUT),
        (url("about", profile), url("about", profile), ABOUT),
        (url("sending", profile), url("sending", profile), SENDING_DOMAIN),
        (
            url("recipients", profile),
            url("recipient_add", profile),
            {"organisation": "Fourth", "domains": "fourth.example"},
        ),
        (
            url("recipients", profile),
            url("recipient_edit", profile, ref=account.ref),
            {f"{prefix}-organisation": "Third", f"{prefix}-domains": "m365org.example"},
        ),
        (url("recipients", profile), url("recipient_remove", profile, ref=account.ref), {}),
        (url("recipients", profile), url("recipients", profile), {}),
        (url("options", profile), url("options", profile), {"basis": "address"}),
        (url("review", profile), url("review", profile), {}),
        (instructions, url("recheck", profile), {}),
        (instructions, url("share_create", profile), {"label": "IT"}),
        (
            it_page,
            reverse("it:tick", kwargs={"token": link.token}),
            {"account": ref, "step": key, "done": "on"},
        ),
        (instructions, url("share_revoke", profile), {"link": link.token}),
    ]


def test_every_mutating_endpoint_enforces_csrf(csrf_client: Client) -> None:
    for page, path, data in _cases():
        assert csrf_client.post(path, data).status_code == 403, path
        assert _with_token(csrf_client, page, path, data) in (200, 303), path
