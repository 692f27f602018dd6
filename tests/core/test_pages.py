from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client


@pytest.mark.django_db
def test_it_explains_the_product_and_offers_start(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#main"' in body  # skip link
    assert '<main id="main"' in body
    assert 'href="/start/"' in body
    assert "Start</a>" in body


@pytest.mark.django_db
def test_it_serves_bootstrap_and_htmx_locally(client: Client) -> None:
    body = client.get("/").content.decode()
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in body
    assert "/static/django_htmx/htmx-2.min.js" in body
    assert "https://" not in body.split("<body")[0]  # no CDN in <head>


@pytest.mark.django_db
def test_healthz_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("apps.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_unknown_pages_get_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.content.decode()
    # The site's own page (not Django's bare one), saying what to do next.
    assert '<h1 class="h3">Page not found</h1>' in html
    assert "ask whoever sent it for a new one" in html
    assert 'href="/"' in html
    assert "/no-such-page" not in html  # the path (maybe a private token) is not echoed


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz"])
def test_uptime_monitors_may_ask_with_head(client: Client, path: str) -> None:
    response = client.head(path)
    assert response.status_code == 200
    assert response.content == b""
