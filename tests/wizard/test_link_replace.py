"""The customer can replace their private link: the old one is a 404 at once (and the browsers
bound to it are bound to nothing), the new one works, IT's share links are untouched. When the
link was made, replaced and last used is shown to the customer and to support; "last used" is
written when the link binds a browser and on saves, at most every few minutes, never on a plain
page view."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.customers import services
from apps.customers.models import CustomerProfile
from apps.customers.services.links import LINK_USE_PRECISION
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.support.factories import make_staff
from tests.wizard.helpers import ABOUT, url

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


def _bound_client(profile: CustomerProfile) -> Client:
    client = Client()
    client.get(url("resume", profile))
    return client


def test_replacing_makes_the_old_link_404_and_the_new_one_work(client: Client) -> None:
    profile = make_complete_profile()
    old = profile.token
    response = client.post(url("link_replace", profile), CONFIRM)
    profile.refresh_from_db()
    assert profile.token != old and len(profile.token) >= 43  # 32 random bytes, URL-safe
    assert response.status_code == 303
    assert response["Location"].startswith(f"/p/{profile.token}/")  # where they were
    assert response["Location"].endswith("#private-link")
    page = client.get(response["Location"]).content.decode()
    assert "Your private link was replaced" in page
    assert f"/p/{profile.token}/" in page and old not in page
    assert client.get(f"/p/{old}/").status_code == 404
    assert client.get(f"/p/{old}/about/").status_code == 404
    assert client.post(f"/p/{old}/about/", ABOUT).status_code == 404
    assert client.get(f"/p/{old}/instructions.txt").status_code == 404
    assert Client().get(url("resume", profile)).status_code == 302


def test_share_links_for_it_keep_working(client: Client) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    client.post(url("link_replace", profile), CONFIRM)
    assert client.get(reverse("it:page", kwargs={"token": link.token})).status_code == 200


def test_the_old_links_browser_binding_is_dropped() -> None:
    profile = make_profile()
    elsewhere = _bound_client(profile)  # another browser opened the old link
    # …so /start/ there edits this profile (the binding) rather than making a new one.
    assert elsewhere.get("/start/")["Location"] == url("about", profile)
    services.resume_link_replace(profile=profile)
    response = elsewhere.get("/start/")
    assert response.status_code == 200  # a fresh start: bound to nothing any more
    assert "wizard_profile" not in elsewhere.session


def test_the_replacing_browser_follows_the_new_link(client: Client) -> None:
    profile = make_profile()
    client.get(url("resume", profile))
    client.post(url("link_replace", profile), CONFIRM)
    profile.refresh_from_db()
    assert client.session["wizard_profile"] == profile.token
    assert client.get("/start/")["Location"] == url("about", profile)


def test_without_the_confirmation_nothing_changes(client: Client) -> None:
    profile = make_profile()
    old = profile.token
    response = client.post(url("link_replace", profile), {})
    assert response.status_code == 303
    profile.refresh_from_db()
    assert profile.token == old
    page = client.get(response["Location"]).content.decode()
    assert "Your link was not replaced: tick the box" in page


def test_replacing_needs_a_post_with_a_csrf_token(csrf_client: Client) -> None:
    profile = make_profile()
    old = profile.token
    assert csrf_client.get(url("link_replace", profile)).status_code == 405
    assert csrf_client.post(url("link_replace", profile), CONFIRM).status_code == 403
    profile.refresh_from_db()
    assert profile.token == old
    page = csrf_client.get(url("about", profile)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    replaced = csrf_client.post(
        url("link_replace", profile), {**CONFIRM, "csrfmiddlewaretoken": token}
    )
    assert replaced.status_code == 303
    profile.refresh_from_db()
    assert profile.token != old


def test_replacing_does_not_change_the_answers_revision() -> None:
    profile = make_complete_profile()
    revision, updated = profile.revision, profile.updated_at
    services.resume_link_replace(profile=profile)
    profile.refresh_from_db()
    assert (profile.revision, profile.updated_at) == (revision, updated)
    assert profile.link_replaced


def test_opening_the_link_in_a_new_browser_records_its_use_but_a_page_view_does_not() -> None:
    profile = make_profile()
    assert profile.token_used_at is None
    browser = Client()
    browser.get(url("about", profile))  # a page view: no write
    profile.refresh_from_db()
    assert profile.token_used_at is None
    browser.get(url("resume", profile))  # binds this browser: a use
    profile.refresh_from_db()
    assert profile.token_used_at is not None
    long_ago = timezone.now() - 2 * LINK_USE_PRECISION
    CustomerProfile.objects.filter(pk=profile.pk).update(token_used_at=long_ago)
    browser.get(url("resume", profile))  # already bound: nothing recorded
    browser.get(url("about", profile))
    profile.refresh_from_db()
    assert profile.token_used_at == long_ago


def test_a_save_records_the_use_at_most_every_few_minutes(client: Client) -> None:
    profile = make_profile()
    data = {**ABOUT, "revision": profile.revision}
    client.post(url("about", profile), data)
    profile.refresh_from_db()
    first = profile.token_used_at
    assert first is not None
    client.post(url("about", profile), {**ABOUT, "revision": profile.revision})
    profile.refresh_from_db()
    assert profile.token_used_at == first  # within the precision: no second write
    stale = timezone.now() - LINK_USE_PRECISION - timedelta(seconds=5)
    CustomerProfile.objects.filter(pk=profile.pk).update(token_used_at=stale)
    client.post(url("about", profile), {**ABOUT, "revision": profile.revision})
    profile.refresh_from_db()
    assert profile.token_used_at is not None and profile.token_used_at > stale


def test_resume_link_used_writes_once_within_the_precision() -> None:
    profile = make_profile()
    now = timezone.now()
    assert services.resume_link_used(profile=profile, now=now)
    assert not services.resume_link_used(profile=profile, now=now + timedelta(minutes=4))
    assert services.resume_link_used(profile=profile, now=now + timedelta(minutes=6))


def test_the_customer_sees_when_the_link_was_made_and_last_used(client: Client) -> None:
    profile = make_profile()
    page = client.get(url("about", profile)).content.decode()
    assert "Made <time" in page and "not used yet" in page
    used = timezone.now().replace(year=2026, month=11, day=2, hour=9, minute=30)
    CustomerProfile.objects.filter(pk=profile.pk).update(token_used_at=used)
    page = client.get(url("about", profile)).content.decode()
    assert "last used <time" in page and "2 Nov 2026, 09:30 UTC" in page
    client.post(url("link_replace", profile), CONFIRM)
    profile.refresh_from_db()
    page = client.get(url("about", profile)).content.decode()
    assert "Replaced <time" in page


def _support(profile: CustomerProfile, name: str = "profile") -> str:
    return reverse(f"support:{name}", kwargs={"ref": profile.support_ref})


def test_support_sees_the_link_dates_and_emails_the_current_link(client: Client) -> None:
    profile = make_profile()
    old = profile.token
    services.resume_link_replace(profile=profile)
    staff = Client()
    staff.force_login(make_staff())
    page = staff.get(_support(profile)).content.decode()
    assert "Private link: Replaced <time" in page and "last used <time" in page
    assert profile.token not in page and old not in page
    staff.post(_support(profile, "resume_link_send"))
    (email,) = mail.outbox
    assert f"/p/{profile.token}/" in email.body and old not in email.body


def test_replacing_is_rate_limited(client: Client, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "link_replace": "1/h"}
    profile = make_profile()
    client.post(url("link_replace", profile), CONFIRM)
    profile.refresh_from_db()
    token = profile.token
    assert client.post(url("link_replace", profile), CONFIRM).status_code == 429
    profile.refresh_from_db()
    assert profile.token == token
