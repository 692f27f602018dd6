import pytest
from django.test import Client

from apps.customers.models import CustomerProfile
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
    ref = profile.recipient_accounts.last().ref
    response = client.post(url("options", profile), {"basis": "ip", "bulk_refs": [ref]})
    assert response["Location"] == url("review", profile)
    profile.refresh_from_db()
    assert profile.basis == "ip"
    assert profile.recipient_accounts.get(ref=ref).bulk


def test_it_rejects_an_unknown_basis_for_htmx(client: Client) -> None:
    profile = make_complete_profile()
    response = client.post(url("options", profile), {"basis": "hostname"}, **HTMX)
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
    response = client.post(url("review", profile), **HTMX)
    assert response["HX-Redirect"] == url("instructions", profile)
    profile.refresh_from_db()
    assert profile.status == CustomerProfile.Status.COMPLETE


def test_it_refuses_to_complete_without_recipients(client: Client) -> None:
    profile = make_profile()
    response = client.post(url("review", profile))
    assert response.status_code == 200
    assert b"Tell us how your invitations are sent" in response.content
    profile.refresh_from_db()
    assert profile.status == CustomerProfile.Status.DRAFT
