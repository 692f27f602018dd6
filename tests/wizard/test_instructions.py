import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.customers import selectors, services
from apps.policies.serialize import plan_to_dict
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.wizard.helpers import HTMX, url

pytestmark = pytest.mark.django_db


def _ready():
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    return profile


def test_it_shows_a_card_per_account_with_steps_and_copy_buttons(client: Client) -> None:
    profile = _ready()
    html = client.get(url("instructions", profile)).content.decode()
    plan = selectors.plan_for_profile(profile)
    for account in plan.accounts:
        assert f'id="account-{account.ref}"' in html
        for step in account.steps:
            assert f'id="step-{account.ref}-{step.key}"' in html
    assert "Mimecast · Europe" in html  # each account's gateway, as DNS found it
    assert 'data-copy="plan-text"' in html
    assert 'id="plan-text"' in html
    assert "https://login-eu.mimecast.com" in html
    assert "surveys@ownorg.example" in html
    assert "Menu (legacy console):" in html  # both paths without JavaScript


def test_it_sends_an_unfinished_profile_to_review(client: Client) -> None:
    profile = make_profile()
    response = client.get(url("instructions", profile))
    assert response["Location"] == url("review", profile)


@pytest.mark.parametrize(
    ("ext", "content_type"),
    [("txt", "text/plain"), ("json", "application/json"), ("pdf", "application/pdf")],
)
def test_it_downloads_the_instructions(client: Client, ext: str, content_type: str) -> None:
    profile = _ready()
    response = client.get(url(f"instructions_{ext}", profile))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment" in response["Content-Disposition"]
    plan = selectors.plan_for_profile(profile)
    if ext == "json":
        # The API's shape for the very plan the page shows; only the moment it was made differs.
        body = response.json()
        expected = plan_to_dict(plan)
        assert body.pop("generated_at") and expected.pop("generated_at")
        assert body == expected
        return
    if ext == "pdf":
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    else:
        text = response.content.decode()
    words = " ".join(text.split())  # a PDF wraps long lines
    assert "surveys@ownorg.example" in words
    for account in plan.accounts:
        assert account.organisation in words
        for step in account.steps:
            assert " ".join(step.title.split()) in words, (ext, step.title)


def test_it_rechecks_dns_on_request(client: Client) -> None:
    profile = make_complete_profile()
    response = client.post(url("recheck", profile))
    assert response.status_code == 303
    assert profile.recipient_accounts.all()[0].domains.all()[0].checked_at is not None


def test_it_creates_and_revokes_a_share_link(client: Client) -> None:
    profile = _ready()
    account = profile.recipient_accounts.all()[0]
    response = client.post(url("share_create", profile), {"account": account.ref}, headers=HTMX)
    link = profile.share_links.get()
    assert link.account == account
    assert response.content.lstrip().startswith(b'<section id="share"')
    assert reverse("it:page", kwargs={"token": link.token}).encode() in response.content
    assert response.content.count(b"<form") == response.content.count(b"</form>")
    response = client.post(url("share_revoke", profile), {"link": link.token})
    assert response.status_code == 303
    link.refresh_from_db()
    assert not link.is_active
    assert client.get(reverse("it:page", kwargs={"token": link.token})).status_code == 404


def test_it_cannot_revoke_another_profiles_link(client: Client) -> None:
    profile = _ready()
    other = make_share_link(make_profile())
    response = client.post(url("share_revoke", profile), {"link": other.token})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.is_active
