import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.customers.models import ChecklistTick
from tests.customers.factories import make_complete_profile, make_share_link
from tests.wizard.helpers import HTMX, url

pytestmark = pytest.mark.django_db


def _shared():
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    account = selectors.plan_for_profile(profile).accounts[0]
    return profile, link, account.ref, account.steps[0].key


def test_it_shows_it_the_steps_with_tick_buttons(client: Client) -> None:
    profile, link, _ref, _key = _shared()
    html = client.get(reverse("it:page", kwargs={"token": link.token})).content.decode()
    assert "Mimecast instructions from Example Surveys Ltd" in html
    assert "Mark this step as done" in html
    assert reverse("it:instructions_pdf", kwargs={"token": link.token}) in html
    assert f'href="{url("about", profile)}"' not in html  # IT can't reach the answers
    assert profile.token not in html  # nor the customer's private link, in any form


def test_it_ticks_a_step_for_htmx_and_the_customer_sees_it(client: Client) -> None:
    profile, link, ref, key = _shared()
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    response = client.post(tick_url, {"account": ref, "step": key, "done": "on"}, headers=HTMX)
    assert response.content.lstrip().startswith(f'<div id="tick-{ref}-{key}"'.encode())
    assert b"Mark as not done" in response.content
    # The button names its step and organisation, like the ones on the page.
    account = selectors.plan_for_profile(profile).accounts[0]
    assert f": {account.steps[0].title}, for {account.organisation}</span>" in response.text
    assert ChecklistTick.objects.get().share_link == link
    customer_page = client.get(url("instructions", profile))
    assert b"Done \xe2\x80\x94 ticked by IT" in customer_page.content
    assert b"IT has ticked 1 of " in customer_page.content


def test_it_unticks_without_javascript(client: Client) -> None:
    _profile, link, ref, key = _shared()
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    client.post(tick_url, {"account": ref, "step": key, "done": "on"})
    response = client.post(tick_url, {"account": ref, "step": key})
    assert response.status_code == 303
    assert response["Location"].endswith(f"#step-{ref}-{key}")
    assert ChecklistTick.objects.count() == 0


def test_it_refuses_ticks_through_a_revoked_link(client: Client) -> None:
    _profile, link, ref, key = _shared()
    services.share_link_revoke(share_link=link)
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    response = client.post(tick_url, {"account": ref, "step": key, "done": "on"})
    assert response.status_code == 404
    assert ChecklistTick.objects.count() == 0


def test_it_refuses_a_tick_for_an_unknown_account(client: Client) -> None:
    _profile, link, _ref, key = _shared()
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    response = client.post(tick_url, {"account": "0000", "step": key, "done": "on"})
    assert response.status_code == 404


def test_it_downloads_from_the_share_link(client: Client) -> None:
    _profile, link, _ref, _key = _shared()
    response = client.get(reverse("it:instructions_txt", kwargs={"token": link.token}))
    assert response.status_code == 200
    assert b"Example Surveys Ltd" in response.content


def test_it_refuses_a_tick_for_a_step_not_in_the_plan(client: Client) -> None:
    _profile, link, ref, _key = _shared()
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    response = client.post(tick_url, {"account": ref, "step": "made-up", "done": "on"})
    assert response.status_code == 404
    assert ChecklistTick.objects.count() == 0
