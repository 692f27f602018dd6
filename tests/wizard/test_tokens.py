"""A profile is reachable only through its own token; a wrong or revoked token is a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import services
from tests.customers.factories import make_account, make_complete_profile, make_profile

pytestmark = pytest.mark.django_db

CUSTOMER_PAGES = ["resume", "about", "sending", "recipients", "options", "review", "instructions"]


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
@pytest.mark.parametrize("token", ["wrong-token", "1", "x" * 65])
def test_it_gives_404_for_a_wrong_token(client: Client, name: str, token: str) -> None:
    make_complete_profile()
    response = client.get(reverse(f"customer:{name}", kwargs={"token": token}))
    assert response.status_code == 404


def test_it_gives_404_for_a_profile_token_used_as_a_share_link(client: Client) -> None:
    profile = make_complete_profile()
    assert client.get(reverse("it:page", kwargs={"token": profile.token})).status_code == 404


def test_it_gives_404_for_a_share_token_used_as_a_resume_link(client: Client) -> None:
    link = services.share_link_create(profile=make_complete_profile())
    response = client.get(reverse("customer:resume", kwargs={"token": link.token}))
    assert response.status_code == 404


def test_it_gives_404_for_a_revoked_share_link_and_its_downloads(client: Client) -> None:
    link = services.share_link_create(profile=make_complete_profile())
    services.share_link_revoke(share_link=link)
    for name in ("page", "instructions_txt", "instructions_pdf", "instructions_json"):
        assert client.get(reverse(f"it:{name}", kwargs={"token": link.token})).status_code == 404


def test_it_never_serves_a_profile_by_numeric_id(client: Client) -> None:
    profile = make_profile()
    response = client.get(reverse("customer:about", kwargs={"token": str(profile.pk)}))
    assert response.status_code == 404


def test_it_resumes_exactly_where_the_customer_left_off(client: Client) -> None:
    profile = make_profile()
    make_account(profile)
    services.wizard_step_set(profile=profile, step=4)
    response = client.get(reverse("customer:resume", kwargs={"token": profile.token}))
    assert response["Location"] == reverse("customer:options", kwargs={"token": profile.token})
    services.profile_complete(profile=make_complete_profile())


def test_it_resumes_a_completed_profile_on_its_instructions(client: Client) -> None:
    profile = services.profile_complete(profile=make_complete_profile())
    response = client.get(reverse("customer:resume", kwargs={"token": profile.token}))
    assert response["Location"].endswith("/instructions/")


def test_it_makes_tokens_of_at_least_128_bits() -> None:
    profile = make_profile()
    link = services.share_link_create(profile=profile)
    for token in (profile.token, link.token):
        assert len(token) >= 22  # 22 URL-safe base64 characters hold 128 bits
    assert profile.token != link.token
