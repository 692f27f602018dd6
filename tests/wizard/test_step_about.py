import pytest
from django.test import Client
from django.urls import reverse

from apps.customers.models import CustomerProfile
from tests.customers.factories import make_profile
from tests.wizard.helpers import ABOUT, HTMX, is_panel, url

pytestmark = pytest.mark.django_db


def test_it_shows_step_one_of_five_on_start(client: Client) -> None:
    response = client.get(reverse("wizard:start"))
    assert response.status_code == 200
    assert b"Step 1 of 5" in response.content
    assert b'for="id_organisation"' in response.content


def test_it_creates_the_profile_and_redirects_to_step_two(client: Client) -> None:
    response = client.post(reverse("wizard:start"), ABOUT)
    profile = CustomerProfile.objects.get()
    assert response.status_code == 303
    assert response["Location"] == url("sending", profile)
    assert profile.wizard_step == 2


def test_it_answers_htmx_with_the_next_panel_location(client: Client) -> None:
    response = client.post(reverse("wizard:start"), ABOUT, headers=HTMX)
    profile = CustomerProfile.objects.get()
    assert response.status_code == 200
    assert url("sending", profile) in response["HX-Location"]


def test_it_shows_errors_next_to_the_fields(client: Client) -> None:
    response = client.post(reverse("wizard:start"), {**ABOUT, "contact_email": "nope"})
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    assert b'aria-describedby="id_contact_email_helptext id_contact_email_error"' in (
        response.content
    )
    assert b'id="id_contact_email_error"' in response.content
    assert CustomerProfile.objects.count() == 0


def test_it_renders_only_the_panel_for_htmx_errors(client: Client) -> None:
    response = client.post(reverse("wizard:start"), {**ABOUT, "organisation": ""}, headers=HTMX)
    assert response.status_code == 200
    assert is_panel(response.content)
    assert b"This field is required" in response.content


def test_it_updates_about_you_through_the_resume_link(client: Client) -> None:
    profile = make_profile()
    page = client.get(url("about", profile))
    assert b"Example Surveys Ltd" in page.content
    assert profile.token.encode() in page.content  # the resume link is shown
    response = client.post(url("about", profile), {**ABOUT, "organisation": "Renamed"})
    assert response.status_code == 303
    profile.refresh_from_db()
    assert profile.organisation == "Renamed"


def test_it_keeps_step_one_on_invalid_update(client: Client) -> None:
    profile = make_profile()
    response = client.post(url("about", profile), {**ABOUT, "contact_email": "x@"}, headers=HTMX)
    assert b"is-invalid" in response.content
    profile.refresh_from_db()
    assert profile.contact_email == "luke@ownorg.example"


def test_it_updates_the_page_title_on_htmx_swaps(client: Client) -> None:
    profile = make_profile()
    response = client.get(url("about", profile), headers=HTMX)
    assert b"<title>Step 1 of 5: About you" in response.content
    assert client.get(url("about", profile)).content.count(b"<title>") == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation", "A" * 201, "Keep this under 200 characters."),
        ("contact_name", "", "This field is required."),
        ("contact_email", "luke@", None),
    ],
)
def test_the_service_checks_each_answer_once_and_the_page_shows_its_words(
    client: Client, field: str, value: str, message: str | None
) -> None:
    """The form passes what was typed on; the service's own rule refuses it, next to the field,
    and nothing is saved (for a new profile and an existing one alike)."""
    response = client.post(reverse("wizard:start"), {**ABOUT, field: value})
    assert response.status_code == 200 and CustomerProfile.objects.count() == 0
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if message:
        assert message in html
    profile = make_profile()
    response = client.post(url("about", profile), {**ABOUT, field: value})
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    profile.refresh_from_db()
    assert getattr(profile, field) != value
