"""What the pages show before any JavaScript runs, and the small pieces htmx swaps in."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from apps.customers import selectors, services
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.wizard.helpers import ABOUT, HTMX, url

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r"<button\b[^>]*>")


def _copy_buttons(html: str) -> list[str]:
    return [tag for tag in BUTTON.findall(html) if "data-copy=" in tag]


def test_it_hides_every_copy_button_until_javascript_shows_it(client: Client) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    make_share_link(profile, label="Partner IT")
    link = make_share_link(profile)
    pages = [
        client.get(url("sending", profile)).content.decode(),
        client.get(url("instructions", profile)).content.decode(),
        client.get(reverse("it:page", kwargs={"token": link.token})).content.decode(),
    ]
    for html in pages:
        buttons = _copy_buttons(html)
        assert buttons  # the resume link, the addresses, the share links, the whole text
        assert all(re.search(r"\shidden[\s>]", tag) for tag in buttons), buttons


def test_it_groups_the_sending_fields_under_the_mode_they_belong_to(client: Client) -> None:
    html = client.get(url("sending", make_profile())).content.decode()
    assert re.search(r'<fieldset[^>]*data-modes="unverified_address"', html)
    assert re.search(r'<fieldset[^>]*data-modes="verified_address sending_domain"', html)
    assert "If invitations come from the platform's shared address" in html
    assert "If invitations come from your own address or domain" in html
    # Each choice is a short title with its explanation underneath, not one long line.
    assert '<span class="fw-semibold">From my own verified address</span>' in html


def test_it_lists_field_errors_at_the_top_linked_to_their_fields(client: Client) -> None:
    response = client.post(
        reverse("wizard:start"), {**ABOUT, "organisation": "", "contact_email": "x"}
    )
    html = response.content.decode()
    summary = html[html.index('data-testid="error-summary"') :]
    assert 'href="#id_organisation"' in summary
    assert 'href="#id_contact_email"' in summary
    assert html.index('data-testid="error-summary"') < html.index('id="id_organisation"')


def test_it_links_a_radio_group_error_to_the_group(client: Client) -> None:
    response = client.post(url("sending", make_profile()), {"mode": ""})
    assert 'href="#div_id_mode"' in response.content.decode()


def test_it_shows_no_error_summary_on_a_fresh_step(client: Client) -> None:
    assert b"error-summary" not in client.get(reverse("wizard:start")).content


def test_it_lists_each_organisation_with_its_progress_and_says_caveats_once(
    client: Client,
) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    plan = selectors.plan_for_profile(profile)
    html = client.get(url("instructions", profile)).content.decode()
    for account in plan.accounts:
        assert f'href="#account-{account.ref}"' in html
    assert "IT hasn't ticked any of the" in html
    # Each caveat once for the whole page, after the steps; no internal labels.
    assert plan.caveats
    for caveat in plan.caveats:
        assert html.count(f"<li>{escape(caveat)}</li>") == 1
    assert html.index('id="plan-caveats-title"') > html.index('class="plan-step')
    assert "§" not in html


def test_it_updates_the_progress_line_out_of_band_when_it_ticks_a_step(client: Client) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    account = selectors.plan_for_profile(profile).accounts[0]
    total = len(account.steps)  # the link's own organisation only
    response = client.post(
        reverse("it:tick", kwargs={"token": link.token}),
        {"account": account.ref, "step": account.steps[0].key, "done": "on"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert 'hx-swap-oob="innerHTML:#it-progress"' in html
    assert f"Steps ticked as done so far: 1 of {total}." in html
    assert "data-focus-after-swap" in html  # the new button takes the keyboard focus


def test_it_says_a_new_share_link_is_ready_and_focuses_it(client: Client) -> None:
    profile = make_complete_profile()
    account = profile.recipient_accounts.all()[0]
    response = client.post(url("share_create", profile), {"account": account.ref}, headers=HTMX)
    html = response.content.decode()
    assert 'role="status"' in html
    assert "Your link is ready" in html
    assert re.search(r'data-testid="share-url" data-focus-after-swap', html)
