"""Every support URL refuses anonymous visitors (to sign-in) and signed-in non-staff (403).

The URL list is read from the resolver, so a page added later is covered without editing this.
"""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.customers.models import ShareLink
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


def _support_patterns() -> list[URLPattern]:
    resolver = next(
        r
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and r.namespace == "support"
    )
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def _support_urls() -> list[str]:
    profile = make_profile(recipients={"Partner": ["partnerorg.example"]})
    link = ShareLink.objects.create(profile=profile)
    values = {"ref": profile.support_ref, "link_id": link.pk}
    urls = []
    for pattern in _support_patterns():
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        urls.append(reverse(f"support:{pattern.name}", kwargs={n: values[n] for n in names}))
    return urls


def test_it_finds_every_support_page() -> None:
    names = {p.name for p in _support_patterns()}
    assert {"search", "profile", "dns_recheck", "note_add", "share_link_revoke"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_sign_in(client: Client, method: str) -> None:
    login = resolve_url(settings.LOGIN_URL)
    for url in _support_urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_signed_in_users_without_the_staff_flag(client: Client, method: str) -> None:
    client.force_login(make_staff("customer", staff=False))
    for url in _support_urls():
        assert getattr(client, method)(url).status_code == 403, url


def test_it_refuses_inactive_staff(client: Client) -> None:
    user = make_staff()
    client.force_login(user)
    user.is_active = False
    user.save()
    for url in _support_urls():
        assert client.get(url).status_code in (302, 403), url


def test_every_support_view_goes_through_staff_required() -> None:
    for pattern in _support_patterns():
        assert getattr(pattern.callback, "staff_required", False), pattern.name


def test_staff_get_every_support_page(client: Client) -> None:
    client.force_login(make_staff())
    login = resolve_url(settings.LOGIN_URL)
    for url in _support_urls():
        response = client.get(url)
        assert response.status_code != 403, url
        assert not response.get("Location", "").startswith(login), url


def test_it_locks_an_account_out_after_repeated_failed_sign_ins(client: Client) -> None:
    make_staff("agent")
    login = resolve_url(settings.LOGIN_URL)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "agent", "password": "wrong"})
    response = client.post(login, {"username": "agent", "password": "not-used-in-tests-7Yq!"})
    assert response.status_code in (403, 429)
    assert client.get(reverse("support:search")).status_code == 302


def test_the_right_password_signs_staff_in(client: Client) -> None:
    make_staff("agent")
    login = resolve_url(settings.LOGIN_URL)
    response = client.post(
        login,
        {"username": "agent", "password": "not-used-in-tests-7Yq!", "next": "/support/"},
    )
    assert response.status_code == 302 and response["Location"] == "/support/"
    assert client.get(reverse("support:search")).status_code == 200


def test_sessions_expire() -> None:
    assert settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
