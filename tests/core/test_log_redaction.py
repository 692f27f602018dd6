"""No private token reaches a log line, whichever logger writes it (docs: security model)."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from apps.core.logging import RedactTokensFilter, redact

BASE_DIR = Path(__file__).resolve().parents[2]
TOKEN = secrets.token_urlsafe(32)


def _broken(request: HttpRequest, token: str) -> HttpResponse:
    raise RuntimeError(f"could not load the profile for {token}")


# A page that fails with the token in its URL and in the exception, like a bug would.
urlpatterns = [path("p/<str:token>/broken/", _broken), path("", include("config.urls"))]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the production handler (the root's, from settings.LOGGING) writes, captured."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_500_line_and_its_traceback_hide_the_token(log_output: io.StringIO) -> None:
    response = Client(raise_request_exception=False).get(f"/p/{TOKEN}/broken/")
    assert response.status_code == 500
    lines = _lines(log_output)
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert errors and "Internal Server Error: /p/…/broken/" in str(errors[0]["message"])
    assert "could not load the profile for …" in str(errors[0]["exception"])
    assert TOKEN not in log_output.getvalue()


@pytest.mark.django_db
def test_a_csrf_failure_line_hides_the_token(log_output: io.StringIO) -> None:
    response = Client(enforce_csrf_checks=True).post(f"/p/{TOKEN}/sending/", {"mode": "x"})
    assert response.status_code == 403
    assert any(line["logger"] == "django.security.csrf" for line in _lines(log_output))
    assert TOKEN not in log_output.getvalue()


@pytest.mark.django_db
def test_a_disallowed_host_line_hides_the_token(log_output: io.StringIO) -> None:
    response = Client().get(f"/it/{TOKEN}/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    lines = _lines(log_output)
    assert any(line["logger"] == "django.security.DisallowedHost" for line in lines)
    assert TOKEN not in log_output.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /p/{TOKEN}/instructions/", "GET /p/…/instructions/"),
        (f"'/it/{TOKEN}'", "'/it/…'"),
        ("/p/short-guess/", "/p/…/"),  # a wrong token may be a near miss of a real one
        (f"/other/{TOKEN[:24]}?x=1", "/other/…?x=1"),
        (f"token={TOKEN} and more", "token=… and more"),
        ("/support/profiles/42/history/", "/support/profiles/42/history/"),
        (
            'File "/srv/apps/core/middleware.py", line 3',
            'File "/srv/apps/core/middleware.py", line 3',
        ),
    ],
)
def test_redact_replaces_tokens_and_keeps_the_rest(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_filter_redacts_arguments_extras_and_tracebacks() -> None:
    try:
        raise ValueError(TOKEN)
    except ValueError:
        record = logging.LogRecord(
            "any",
            logging.ERROR,
            __file__,
            1,
            "Error handling request %s",
            (f"/p/{TOKEN}/",),
            sys.exc_info(),
        )
    vars(record)["request"] = f"<WSGIRequest: GET '/it/{TOKEN}/'>"
    assert RedactTokensFilter().filter(record) is True
    assert record.getMessage() == "Error handling request /p/…/"
    assert TOKEN not in str(record.exc_text) and "ValueError: …" in str(record.exc_text)
    assert vars(record)["request"] == "<WSGIRequest: GET '/it/…/'>"


def test_gunicorn_error_lines_hide_the_token() -> None:
    """gunicorn's own logger, configured from config/gunicorn.py, as a worker uses it when a
    request fails or its worker is aborted after the timeout."""
    script = f"""
import sys
from gunicorn.config import Config
from gunicorn.glogging import Logger
cfg = Config()
for name, value in __import__("runpy").run_path("config/gunicorn.py").items():
    if name in cfg.settings:
        cfg.set(name, value)
log = Logger(cfg)
try:
    raise SystemExit(1)
except SystemExit:
    log.exception("Error handling request %s", "/p/{TOKEN}/export.pdf")
log.critical("WORKER TIMEOUT (pid:%s) %s", 1234, "/it/{TOKEN}/")
"""
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [line["message"] for line in lines] == [
        "Error handling request /p/…/export.pdf",
        "WORKER TIMEOUT (pid:1234) /it/…/",
    ]
    assert TOKEN not in result.stderr
