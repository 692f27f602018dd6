"""A step posted from a page older than the saved answers changes nothing and says so; step 1
again in the same browser edits the same profile (issue 12, items 1 and 2)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.customers.models import CustomerProfile, SendingMode
from tests.customers.factories import make_account, make_profile
from tests.wizard.helpers import ABOUT, SENDING_DOMAIN, url

pytestmark = pytest.mark.django_db

SHARED = {"mode": "unverified_address", "customer_address": "luke@ownorg.example"}


def test_each_change_of_answers_moves_the_revision_on() -> None:
    profile = make_profile()
    first = profile.revision
    services.sending_identity_set(
        profile=profile,
        mode="unverified_address",
        customer_address="luke@ownorg.example",
        from_addresses=[],
        display_name="",
    )
    make_account(profile)
    profile.refresh_from_db()
    assert profile.revision == first + 2


def test_a_step_shows_the_revision_it_was_shown_with(client: Client) -> None:
    profile = make_profile()
    response = client.get(url("sending", profile))
    assert f'name="revision" value="{profile.revision}"'.encode() in response.content


@pytest.mark.parametrize("sent", ["0", "abc", ""])
def test_it_refuses_a_save_from_an_older_page_and_shows_the_saved_answers(
    client: Client, sent: str
) -> None:
    profile = make_profile()
    client.post(url("sending", profile), {**SENDING_DOMAIN, "revision": profile.revision})
    response = client.post(url("sending", profile), {**SHARED, "revision": sent})
    assert response.status_code == 200
    assert b"This page was out of date" in response.content
    assert b'value="surveys@ownorg.example"' in response.content or (
        b"surveys@ownorg.example</textarea>" in response.content
    )
    profile.refresh_from_db()
    assert profile.sending_mode == SendingMode.SENDING_DOMAIN


def test_it_saves_from_a_current_page(client: Client) -> None:
    profile = make_profile()
    response = client.post(url("options", profile), {"basis": "ip", "revision": profile.revision})
    assert response.status_code == 303
    profile.refresh_from_db()
    assert profile.basis == "ip"


def test_it_does_not_confirm_a_review_older_than_the_answers(client: Client) -> None:
    profile = make_profile()
    response = client.post(url("review", profile), {"revision": profile.revision - 1})
    assert b"This page was out of date" in response.content
    profile.refresh_from_db()
    assert not selectors.is_complete(profile)


def test_step_1_again_in_the_same_browser_edits_the_same_profile(client: Client) -> None:
    client.post(reverse("wizard:start"), ABOUT)
    profile = CustomerProfile.objects.get()
    response = client.get(reverse("wizard:start"))
    assert response.status_code == 303
    assert response["Location"] == url("about", profile)
    response = client.post(reverse("wizard:start"), {**ABOUT, "contact_name": "Leia Example"})
    assert CustomerProfile.objects.get().contact_name == "Leia Example"
    assert response.status_code == 303


def test_a_new_profile_only_when_asked_for(client: Client) -> None:
    client.post(reverse("wizard:start"), ABOUT)
    response = client.get(reverse("wizard:start") + "?new=1")
    assert response.status_code == 200
    client.post(reverse("wizard:start") + "?new=1", {**ABOUT, "organisation": "Other Org"})
    assert CustomerProfile.objects.count() == 2


def test_another_browser_gets_a_blank_step_1(client: Client) -> None:
    make_profile()
    assert client.get(reverse("wizard:start")).status_code == 200
