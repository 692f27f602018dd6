"""A profile is reachable only through its own token; a wrong or revoked token is a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.customers.models import WIZARD_STEPS, CustomerProfile
from apps.wizard.presenters import STEPS
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.wizard.helpers import ABOUT, INSTRUCTIONS_PAGES, SENDING_DOMAIN, url

pytestmark = pytest.mark.django_db

CUSTOMER_PAGES = ["resume", "about", "sending", "recipients", "options", "review", "instructions"]


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
@pytest.mark.parametrize("token", ["wrong-token", "1", "x" * 65])
def test_it_gives_404_for_a_wrong_token(client: Client, name: str, token: str) -> None:
    make_complete_profile()
    namespace = "customer" if name in INSTRUCTIONS_PAGES else "wizard"
    response = client.get(reverse(f"{namespace}:{name}", kwargs={"token": token}))
    assert response.status_code == 404


def test_it_gives_404_for_a_profile_token_used_as_a_share_link(client: Client) -> None:
    profile = make_complete_profile()
    assert client.get(reverse("it:page", kwargs={"token": profile.token})).status_code == 404


def test_it_gives_404_for_a_share_token_used_as_a_resume_link(client: Client) -> None:
    link = make_share_link(make_complete_profile())
    response = client.get(reverse("wizard:resume", kwargs={"token": link.token}))
    assert response.status_code == 404


def test_it_gives_404_for_a_revoked_share_link_and_its_downloads(client: Client) -> None:
    link = make_share_link(make_complete_profile())
    services.share_link_revoke(share_link=link)
    for name in ("page", "instructions_txt", "instructions_pdf", "instructions_json"):
        assert client.get(reverse(f"it:{name}", kwargs={"token": link.token})).status_code == 404


def test_it_never_serves_a_profile_by_numeric_id(client: Client) -> None:
    profile = make_profile()
    response = client.get(reverse("wizard:about", kwargs={"token": str(profile.pk)}))
    assert response.status_code == 404


def test_it_saves_each_step_and_resumes_exactly_where_the_customer_left_off(
    client: Client,
) -> None:
    client.post(reverse("wizard:start"), ABOUT)
    profile = CustomerProfile.objects.get()
    steps = [
        ("sending", SENDING_DOMAIN, "recipients"),
        ("recipient_add", {"organisation": "Partner Org", "domains": "partnerorg.example"}, None),
        ("recipients", {}, "options"),
        ("options", {"basis": "ip"}, "review"),
        ("review", {}, "instructions"),
    ]
    assert _resumes_at(client, profile) == url("sending", profile)
    for name, data, resumes_at in steps:
        assert client.post(url(name, profile), data).status_code == 303, name
        if resumes_at:
            assert _resumes_at(client, profile) == url(resumes_at, profile), name
    profile.refresh_from_db()
    assert (profile.organisation, profile.sending_mode, profile.basis) == (
        "Own Org",
        "sending_domain",
        "ip",
    )
    assert selectors.from_addresses(profile) == ["surveys@ownorg.example"]
    assert [a.organisation for a in selectors.recipient_accounts(profile)] == ["Partner Org"]
    assert selectors.is_complete(profile)


def _resumes_at(client: Client, profile: CustomerProfile) -> str:
    return client.get(url("resume", profile))["Location"]


def test_it_resumes_a_completed_profile_on_its_instructions(client: Client) -> None:
    profile = services.profile_complete(profile=make_complete_profile())
    response = client.get(reverse("wizard:resume", kwargs={"token": profile.token}))
    assert response["Location"].endswith("/instructions/")


def test_it_makes_tokens_of_at_least_128_bits() -> None:
    profile = make_profile()
    link = make_share_link(profile)
    for token in (profile.token, link.token):
        assert len(token) >= 22  # 22 URL-safe base64 characters hold 128 bits
    assert profile.token != link.token


def test_saving_an_earlier_step_resumes_there_not_on_the_instructions(client: Client) -> None:
    profile = services.profile_complete(profile=make_complete_profile())
    assert _resumes_at(client, profile) == url("instructions", profile)
    assert client.post(url("about", profile), ABOUT).status_code == 303
    # The customer changed "About you": the link brings them back to the next step to confirm.
    assert _resumes_at(client, profile) == url("sending", profile)


def test_the_wizards_steps_are_the_ones_the_profile_counts() -> None:
    """The resume point is stored as a step number (1–5, 6 past the end): the steps the wizard
    shows and the count the services clamp to must be one number."""
    assert [number for number, _name, _title in STEPS] == list(range(1, WIZARD_STEPS + 1))
