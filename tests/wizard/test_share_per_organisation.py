"""A share link is for one recipient organisation: its page, PDF, text, JSON and ticks cover
that organisation only (issue 12, item 6)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.customers.models import ChecklistTick, ShareLink
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.wizard.helpers import HTMX, url

pytestmark = pytest.mark.django_db


def _two_organisations():
    profile = make_complete_profile()  # Own Org, then Partner Org
    services.dns_recheck(profile=profile)
    own, partner = selectors.recipient_accounts(profile)
    return profile, own, partner


def test_the_it_page_shows_its_own_organisation_only(client: Client) -> None:
    profile, own, partner = _two_organisations()
    link = make_share_link(profile, account=partner)
    html = client.get(reverse("it:page", kwargs={"token": link.token})).content.decode()
    assert f'id="account-{partner.ref}"' in html
    assert f'id="account-{own.ref}"' not in html
    assert "Own Org" not in html


@pytest.mark.parametrize("ext", ["txt", "json"])
def test_the_downloads_cover_its_own_organisation_only(client: Client, ext: str) -> None:
    profile, _own, partner = _two_organisations()
    link = make_share_link(profile, account=partner)
    body = client.get(reverse(f"it:instructions_{ext}", kwargs={"token": link.token})).content
    assert b"Partner Org" in body
    assert b"Own Org" not in body


def test_it_cannot_tick_another_organisations_step(client: Client) -> None:
    profile, own, partner = _two_organisations()
    link = make_share_link(profile, account=partner)
    step = selectors.plan_for_account(selectors.plan_for_profile(profile), own.ref).accounts[0]
    response = client.post(
        reverse("it:tick", kwargs={"token": link.token}),
        {"account": own.ref, "step": step.steps[0].key, "done": "on"},
    )
    assert response.status_code == 404
    assert not ChecklistTick.objects.exists()


def test_one_click_makes_a_link_for_each_organisation_without_one(client: Client) -> None:
    profile, own, partner = _two_organisations()
    make_share_link(profile, account=own)
    response = client.post(url("share_create", profile), {}, headers=HTMX)
    assert "Your link is ready" in response.content.decode()
    assert {link.account for link in profile.share_links.all()} == {own, partner}
    client.post(url("share_create", profile), {})  # nothing left to make
    assert profile.share_links.count() == 2


def test_the_customer_sees_each_organisations_progress(client: Client) -> None:
    profile, own, partner = _two_organisations()
    link = make_share_link(profile, account=partner)
    step = selectors.plan_for_account(selectors.plan_for_profile(profile), partner.ref)
    client.post(
        reverse("it:tick", kwargs={"token": link.token}),
        {"account": partner.ref, "step": step.accounts[0].steps[0].key, "done": "on"},
    )
    html = client.get(url("instructions", profile)).content.decode()
    partner_group = html.split(f'id="share-{partner.ref}"', 1)[1].split('class="share-group', 1)[0]
    assert f"IT has ticked 1 of {len(step.accounts[0].steps)} step" in partner_group
    own_group = html.split(f'id="share-{own.ref}"', 1)[1].split('class="share-group', 1)[0]
    assert "IT hasn't ticked any" in own_group


def test_it_refuses_a_link_for_an_organisation_of_another_profile(client: Client) -> None:
    profile, _own, _partner = _two_organisations()
    foreign = make_complete_profile().recipient_accounts.all()[0]
    response = client.post(url("share_create", profile), {"account": foreign.ref}, headers=HTMX)
    assert "Choose one of this profile" in response.content.decode()
    assert not profile.share_links.exists()


def test_old_links_are_bound_with_one_organisation_and_switched_off_with_several() -> None:
    single = make_profile()
    services.recipient_account_add(profile=single, organisation="A", domains=["a.example"])
    several = make_complete_profile()
    kept = ShareLink.objects.create(profile=single)
    shown_everything = ShareLink.objects.create(profile=several)
    migration = importlib.import_module(
        "apps.customers.migrations.0004_share_link_per_organisation"
    )
    migration.bind_or_switch_off(django_apps, None)
    kept.refresh_from_db()
    shown_everything.refresh_from_db()
    assert kept.account == single.recipient_accounts.get() and kept.is_active
    assert shown_everything.account is None and not shown_everything.is_active
