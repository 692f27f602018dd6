import re

import pytest
from django.test import Client

from apps.customers import selectors
from tests.customers.factories import make_complete_profile, make_profile
from tests.wizard.helpers import HTMX, is_panel, url

pytestmark = pytest.mark.django_db


def test_it_explains_the_basis_trade_off(client: Client) -> None:
    response = client.get(url("options", make_complete_profile()))
    assert b"Step 4 of 5" in response.content
    assert b"keep working when the platform changes its servers" in response.content
    assert b"Harder to fake" in response.content


def test_it_saves_options_and_moves_to_review(client: Client) -> None:
    profile = make_complete_profile()
    ref = profile.recipient_accounts.reverse()[0].ref
    response = client.post(url("options", profile), {"basis": "ip", "bulk_refs": [ref]})
    assert response["Location"] == url("review", profile)
    profile.refresh_from_db()
    assert profile.basis == "ip"
    assert profile.recipient_accounts.get(ref=ref).bulk


def test_it_rejects_an_unknown_basis_for_htmx(client: Client) -> None:
    profile = make_complete_profile()
    response = client.post(url("options", profile), {"basis": "hostname"}, headers=HTMX)
    assert is_panel(response.content)
    assert b'id="error_1_id_basis"' in response.content


def test_it_reviews_everything_with_edit_links(client: Client) -> None:
    profile = make_complete_profile()
    response = client.get(url("review", profile))
    html = response.content.decode()
    assert "Step 5 of 5" in html
    for name in ("about", "sending", "recipients", "options"):
        assert f'href="{url(name, profile)}"' in html
    assert "surveys@ownorg.example" in html


def test_it_completes_and_sends_htmx_to_the_instructions(client: Client) -> None:
    profile = make_complete_profile()
    response = client.post(url("review", profile), headers=HTMX)
    assert response["HX-Redirect"] == url("instructions", profile)
    profile.refresh_from_db()
    assert selectors.is_complete(profile)


def test_it_refuses_to_complete_without_recipients(client: Client) -> None:
    profile = make_profile()
    response = client.post(url("review", profile))
    assert response.status_code == 200
    assert b"Tell us how your invitations are sent" in response.content
    profile.refresh_from_db()
    assert not selectors.is_complete(profile)


def test_it_saves_unique_links_and_the_email_security_api_choice(client: Client) -> None:
    profile = make_complete_profile()
    ref = profile.recipient_accounts.reverse()[0].ref
    response = client.post(url("options", profile), {"basis": "address", "api_refs": [ref]})
    assert response["Location"] == url("review", profile)
    profile.refresh_from_db()
    assert profile.unique_links is False  # an unticked box says the links are not unique
    assert profile.recipient_accounts.get(ref=ref).mimecast_api
    plan = selectors.plan_for_profile(profile)
    api_account = next(a for a in plan.accounts if a.ref == ref)
    policies = [s.policy.value for s in api_account.steps]
    assert (policies[0], policies[-1]) == ("allow_rule", "m365_message_trace")
    assert all(s.policy.value != "url_protection_bypass" for a in plan.accounts for s in a.steps)


def test_it_asks_about_unique_links_ticked_by_default(client: Client) -> None:
    profile = make_complete_profile()
    html = client.get(url("options", profile)).content.decode()
    assert re.search(r'<input[^>]*name="unique_links"[^>]*checked', html)
    client.post(url("options", profile), {"basis": "address", "unique_links": "on"})
    profile.refresh_from_db()
    assert profile.unique_links is True


def test_it_refuses_an_organisation_that_is_not_in_the_profile(client: Client) -> None:
    profile = make_complete_profile()
    response = client.post(url("options", profile), {"basis": "ip", "api_refs": ["nope"]})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    profile.refresh_from_db()
    assert profile.basis != "ip"
