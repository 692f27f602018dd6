"""Production hardening that must hold on every page: headers, limits, logs, password hashing."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.views.decorators.http import require_GET

from apps.core.clientip import client_ip
from apps.core.logging import JsonFormatter
from apps.core.ratelimit import dns_rate_limit

BASE_DIR = Path(__file__).resolve().parents[2]
TOKEN = secrets.token_urlsafe(24)


@require_GET
@dns_rate_limit
def _dns_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("checked")


# A DNS-triggering page for the rate-limit tests, so they do not depend on any feature's URLs.
urlpatterns = [path("check", _dns_page), path("", include("config.urls"))]


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def _nonce(csp: str) -> str:
    match = re.search(r"'nonce-([^']+)'", csp)
    assert match, csp
    return match.group(1)


@pytest.mark.django_db
def test_it_sends_a_csp_whose_nonce_is_on_every_script(client: Client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    nonce = _nonce(csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert 'src="/static/' in tag, tag  # no inline script, nothing from elsewhere
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_it_uses_a_new_nonce_for_every_response(client: Client) -> None:
    first = _nonce(client.get("/").headers["Content-Security-Policy"])
    second = _nonce(client.get("/").headers["Content-Security-Policy"])
    assert first != second


@pytest.mark.django_db
def test_it_forbids_framing_sniffing_and_cross_site_referrers(client: Client) -> None:
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_htmx_is_configured_to_need_no_inline_style_or_eval(client: Client) -> None:
    body = client.get("/").content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', body)
    assert meta
    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False  # htmx would inject a <style>
    assert config["allowEval"] is False  # hx-on, js: values and event filters need eval


def _template_files() -> list[Path]:
    roots = [BASE_DIR / "templates", *(BASE_DIR / "apps").glob("*/templates")]
    return sorted(file for root in roots for file in root.rglob("*.html"))


def _without_comments(source: str) -> str:
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    return re.sub(r"{#.*?#}", "", source, flags=re.S)


# What the Content-Security-Policy would block (or what would need 'unsafe-eval' from htmx).
_FORBIDDEN = {
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "hx-on (needs eval)": re.compile(r"\s(data-)?hx-on", re.I),
    "js: value (needs eval)": re.compile(
        r"\s(data-)?hx-(vals|vars|headers)\s*=\s*['\"]\s*js:", re.I
    ),
    "event filter (needs eval)": re.compile(r"\s(data-)?hx-trigger\s*=\s*['\"][^'\"]*\[", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_needs_unsafe_inline_or_unsafe_eval() -> None:
    files = _template_files()
    assert files
    problems = [
        f"{file.relative_to(BASE_DIR)}: {what}"
        for file in files
        for what, pattern in _FORBIDDEN.items()
        if pattern.search(_without_comments(file.read_text()))
    ]
    assert problems == []


def test_it_uses_hsts_secure_cookies_and_redirects_under_https() -> None:
    # HTTPS settings are derived from the environment at start-up: check them in a fresh process.
    script = """
import json
import django
django.setup()
from django.test import Client, RequestFactory
client = Client()
plain = client.get("/")
page = client.get("/", headers={"X-Forwarded-Proto": "https"})
health = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "health": health.status_code,
    "hsts": page.headers.get("Strict-Transport-Security"),
    "cookies": {name: dict(morsel) for name, morsel in page.cookies.items()},
}))
"""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_STATIC_MANIFEST": "0",
        "DATABASE_URL": "sqlite:///:memory:",
        "LOG_LEVEL": "ERROR",
    }
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://testserver/"]
    assert seen["health"] == 200  # load balancers probe over plain HTTP
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    csrf = seen["cookies"]["__Secure-csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_api_answers_429_json_past_its_limit(client: Client, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/h"}
    statuses = [
        client.post("/api/v1/plan", "{}", content_type="application/json").status_code
        for _ in range(2)
    ]
    assert statuses == [400, 400]  # bad input counts too
    response = client.post("/api/v1/plan", "{}", content_type="application/json")
    assert response.status_code == 429
    # The seconds left in the client's window, and the message says the same.
    retry = int(response.headers["Retry-After"])
    assert 0 < retry <= 3600
    message = response.json()["errors"]["__all__"][0]
    assert message.startswith("Too many requests")
    assert "try again in" in message


@pytest.mark.urls("tests.core.test_security")
@pytest.mark.django_db
def test_a_dns_page_answers_a_429_page_past_its_limit(client: Client, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "2/h"}
    assert [client.get("/check").status_code for _ in range(2)] == [200, 200]
    response = client.get("/check")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<h1" in body and "Too many checks from your address" in body
    # Retry-After is when the hour's window ends (django-ratelimit's windows are fixed).
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert "try again in" in body
    assert "Content-Security-Policy" in response.headers


@pytest.mark.urls("tests.core.test_security")
@pytest.mark.django_db
def test_the_limit_is_per_client_address(client: Client, settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    assert client.get("/check", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/check", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/check", REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.urls("tests.core.test_security")
@pytest.mark.django_db
def test_ipv4_mapped_clients_each_have_their_own_limit(client: Client, settings) -> None:
    # A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; masked like IPv6 (to a /64)
    # they would all share one counter.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    assert client.get("/check", REMOTE_ADDR="::ffff:192.0.2.1").status_code == 200
    assert client.get("/check", REMOTE_ADDR="::ffff:192.0.2.1").status_code == 429
    assert client.get("/check", REMOTE_ADDR="::ffff:192.0.2.2").status_code == 200
    assert client.get("/check", REMOTE_ADDR="192.0.2.1").status_code == 429  # the same client


def test_client_ip_gives_an_ipv4_mapped_address_as_ipv4(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 1
    forwarded = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="::FFFF:203.0.113.9")
    assert client_ip(forwarded) == "203.0.113.9"


@pytest.mark.django_db
def test_it_refuses_a_too_large_form_post_with_a_413_page(client: Client) -> None:
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/", {"answer": body})
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_too_large_upload_before_reading_it(client: Client) -> None:
    # Django's own limit leaves out file uploads; ours covers the whole body.
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.txt", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    response = client.post("/", {"file": big})
    assert response.status_code == 413


@pytest.mark.django_db
def test_it_refuses_a_too_large_api_body_with_json(client: Client) -> None:
    body = json.dumps({"padding": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = client.post("/api/v1/plan", body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["errors"]["__all__"][0]


@pytest.mark.django_db
def test_it_logs_one_json_line_per_request_without_tokens(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="safelist.request"):
        response = client.get(f"/p/{TOKEN}/instructions?secret={TOKEN}")
    records = [r for r in caplog.records if r.name == "safelist.request"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["method"] == "GET"
    assert entry["status"] == response.status_code
    assert entry["path"] == "/p/…/instructions"
    assert isinstance(entry["duration_ms"], float)
    assert TOKEN not in line


@pytest.mark.django_db
def test_it_never_logs_contact_details_from_the_query_or_the_body(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    email = "jane.doe@customer.example"
    with caplog.at_level(logging.DEBUG):
        client.get(f"/support/?q={email}")
        client.post("/start/", {"contact_email": email, "contact_name": "Jane Doe"})
        client.post("/api/v1/plan", {"sender": email}, content_type="application/json")
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"logger": "safelist.request"' in line for line in lines)
    assert not [line for line in lines if "jane.doe" in line or "Jane Doe" in line]


def test_passwords_are_hashed_with_argon2() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert make_password("correct horse battery staple").startswith("argon2$")


def _request(remote: str = "203.0.113.9", forwarded: str | None = None) -> HttpRequest:
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_proxies_the_client_is_the_connection(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="198.51.100.7")) == "203.0.113.9"


def test_behind_a_proxy_the_client_is_what_the_proxy_appended(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The first entry was sent by the client itself: it must not choose its own address.
    assert client_ip(_request(forwarded="6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="6.6.6.6, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_a_missing_or_garbled_header_falls_back_to_the_connection(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request()) == "203.0.113.9"
    assert client_ip(_request(forwarded="not-an-address")) == "203.0.113.9"


def test_lockout_and_rate_limits_see_the_same_client(settings) -> None:
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded="198.51.100.7")
    assert get_client_ip_address(request) == "198.51.100.7"
    assert _get_ip(request) == "198.51.100.7"


@pytest.mark.urls("tests.core.test_security")
@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_limit(client: Client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    proxy = "172.18.0.1"
    assert (
        client.get("/check", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR=proxy).status_code == 200
    )
    assert (
        client.get("/check", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR=proxy).status_code == 429
    )
    assert (
        client.get("/check", HTTP_X_FORWARDED_FOR="192.0.2.2", REMOTE_ADDR=proxy).status_code == 200
    )


@pytest.mark.django_db
def test_staff_sign_in_locks_out_after_repeated_failures(client: Client, settings) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("staffer", password="the-right-passphrase", is_staff=True)
    wrong = {"username": "staffer", "password": "wrong", "next": "/admin/"}
    statuses = [
        client.post("/admin/login/", wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again
    assert statuses[-1] == 429
    right = {"username": "staffer", "password": "the-right-passphrase", "next": "/admin/"}
    locked = client.post("/admin/login/", right)
    assert locked.status_code == 429  # even the right password, until the cool-off ends
    other_client = client.post("/admin/login/", right, REMOTE_ADDR="192.0.2.50")
    assert other_client.status_code == 429  # the account is locked, from any address


@pytest.mark.django_db
def test_wrong_passwords_from_many_addresses_lock_the_account(client: Client, settings) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("staffer", password="the-right-passphrase", is_staff=True)
    wrong = {"username": "staffer", "password": "wrong", "next": "/admin/"}
    for n in range(12):
        client.post("/admin/login/", wrong, REMOTE_ADDR=f"192.0.2.{n + 1}")
    right = {"username": "staffer", "password": "the-right-passphrase", "next": "/admin/"}
    assert client.post("/admin/login/", right, REMOTE_ADDR="198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_guessing_many_usernames_from_one_address_locks_the_address(
    client: Client, settings
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("staffer", password="the-right-passphrase", is_staff=True)
    statuses = [
        client.post("/admin/login/", {"username": f"user{n}", "password": "guess"}).status_code
        for n in range(40)
    ]
    assert statuses[settings.AXES_FAILURE_LIMIT - 1 :] == [429] * (
        40 - settings.AXES_FAILURE_LIMIT + 1
    )
    right = {"username": "staffer", "password": "the-right-passphrase", "next": "/admin/"}
    assert client.post("/admin/login/", right).status_code == 429  # that address is locked
    assert client.post("/admin/login/", right, REMOTE_ADDR="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_pages_are_kept_out_of_shared_caches_by_default(client: Client) -> None:
    for url in ["/", f"/p/{TOKEN}/", "/no-such-page"]:
        assert client.get(url).headers["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
def test_a_page_that_sets_its_own_caching_keeps_it(client: Client) -> None:
    assert "max-age=0" in client.get("/healthz").headers["Cache-Control"]  # never_cache


@pytest.mark.django_db
def test_a_refused_form_post_gets_a_plain_language_page(csrf_client: Client) -> None:
    response = csrf_client.post("/start/", {"organisation": "Example Ltd"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form could not be sent" in body
    nonce = _nonce(response.headers["Content-Security-Policy"])
    assert f'nonce="{nonce}"' in body  # the page's scripts still run under the CSP


@pytest.mark.django_db
@pytest.mark.parametrize("bad_next", ["https://attacker.example/", "//attacker.example", ""])
def test_a_sign_in_with_a_bad_next_lands_on_the_support_console(
    client: Client, bad_next: str
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("staffer", password="the-right-passphrase", is_staff=True)
    response = client.post(
        "/admin/login/",
        {"username": "staffer", "password": "the-right-passphrase", "next": bad_next},
    )
    assert response.status_code == 302
    assert response["Location"] == "/support/"
    assert client.get(response["Location"]).status_code == 200
