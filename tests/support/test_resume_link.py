"""Support sees where a customer is and can email them their resume link, which staff never
see in a URL or on the page (issue 12, item 5)."""

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.customers.models import CustomerProfile
from apps.support.models import StaffNote
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(make_staff())
    return client


def _url(name: str, profile: CustomerProfile) -> str:
    return reverse(f"support:{name}", kwargs={"ref": profile.support_ref})


def test_staff_pages_never_carry_the_customers_token(staff_client: Client) -> None:
    profile = make_profile()
    assert profile.token not in _url("profile", profile)
    html = staff_client.get(_url("profile", profile)).content.decode()
    search = staff_client.get(reverse("support:search"), {"q": profile.organisation})
    assert profile.token not in html
    assert profile.token not in search.content.decode()
    assert staff_client.get(f"/support/p/{profile.token}/").status_code == 404


def test_it_shows_the_resume_state(staff_client: Client) -> None:
    profile = make_profile()
    CustomerProfile.objects.filter(pk=profile.pk).update(wizard_step=3)
    html = staff_client.get(_url("profile", profile)).content.decode()
    assert "their resume link opens step 3 of 5 (Who receives)" in html


def test_it_emails_the_resume_link_to_the_contact_and_records_it(staff_client: Client) -> None:
    profile = make_profile()
    response = staff_client.post(_url("resume_link_send", profile))
    assert response.status_code == 302
    assert response["Location"].endswith("#resume")
    assert profile.token not in response["Location"]
    (email,) = mail.outbox
    assert email.to == [profile.contact_email]
    assert f"/p/{profile.token}/" in email.body
    note = StaffNote.objects.get(profile=profile)
    assert note.body == f"Resume link emailed to {profile.contact_email}."
    page = staff_client.get(_url("profile", profile)).content.decode()
    assert "The resume link was emailed to" in page
    assert profile.token not in page


def test_a_failed_send_says_so_and_records_nothing(staff_client: Client, monkeypatch: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("apps.support.services.send_mail", refuse)
    profile = make_profile()
    staff_client.post(_url("resume_link_send", profile))
    assert not StaffNote.objects.exists()
    page = staff_client.get(_url("profile", profile)).content.decode()
    assert "The email could not be sent just now" in page


def test_only_staff_can_send_it(client: Client) -> None:
    profile = make_profile()
    response = client.post(_url("resume_link_send", profile))
    assert response.status_code == 302  # to the sign-in page
    assert not mail.outbox
    assert not StaffNote.objects.exists()
