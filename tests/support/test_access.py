"""Every support URL refuses anonymous visitors (to sign-in) and signed-in non-staff (403).

The URL list is read from the resolver, so a page added later is covered without editing this.
"""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.customers import services
from tests.customers.factories import make_complete_profile, make_share_link
from tests.support.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]


def _support_patterns() -> list[URLPattern]:
    resolver = next(
        r
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and r.namespace == "support"
    )
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


# The support views that only take a POST; every other one is a page staff can GET.
POST_ONLY = {
    "dns_recheck",
    "note_add",
    "resume_link_send",
    "share_link_create",
    "share_link_revoke",
}


def _support_urls() -> list[str]:
    # A finished profile with its DNS checked, so every page (the downloads too) has content.
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    values = {"ref": profile.support_ref, "link_id": link.pk}
    urls = []
    for pattern in _support_patterns():
        args = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        urls.append(reverse(f"support:{pattern.name}", kwargs={n: values[n] for n in args}))
    return urls


def _support_pages() -> list[tuple[str, str]]:
    """(name, URL) of every support view."""
    return list(zip((p.name or "" for p in _support_patterns()), _support_urls(), strict=True))


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
    login = resolve_url(settings.LOGIN_URL)
    for url in _support_urls():
        response = client.get(url)
        # An inactive account's session no longer authenticates: back to sign-in.
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url


def test_every_support_view_goes_through_staff_required() -> None:
    for pattern in _support_patterns():
        assert getattr(pattern.callback, "staff_required", False), pattern.name


def test_staff_get_every_support_page(client: Client) -> None:
    client.force_login(make_staff())
    pages = _support_pages()
    assert {name for name, _ in pages} >= POST_ONLY
    for name, url in pages:
        response = client.get(url)
        # A page answers 200; a POST-only action refuses a GET (405) and does nothing.
        assert response.status_code == (405 if name in POST_ONLY else 200), (name, url)


def test_the_right_password_signs_staff_in(client: Client) -> None:
    make_staff("agent")
    login = resolve_url(settings.LOGIN_URL)
    response = client.post(
        login,
        {"username": "agent", "password": "not-used-in-tests-7Yq!", "next": "/support/"},
    )
    assert response.status_code == 302 and response["Location"] == "/support/"
    assert client.get(reverse("support:search")).status_code == 200


def test_a_staff_session_ends_with_the_browser(client: Client) -> None:
    make_staff("agent")
    login = resolve_url(settings.LOGIN_URL)
    client.post(login, {"username": "agent", "password": "not-used-in-tests-7Yq!"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]  # a browser session
    assert 0 < client.session.get_expiry_age() <= 24 * 60 * 60  # and at most a day on the server
