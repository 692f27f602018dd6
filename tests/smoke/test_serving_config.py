"""gunicorn's settings and the container health check read the environment as documented."""

import runpy
import socket
from pathlib import Path

import pytest

from config import healthcheck

GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def _gunicorn(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT", "BIND_ADDRESS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_takes_workers_port_and_timeout_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _gunicorn(
        monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="3", PORT="9000", GUNICORN_TIMEOUT="45"
    )
    assert config["workers"] == 5
    assert config["threads"] == 3
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["timeout"] == 45
    assert config["accesslog"] is None  # the app's own request log replaces it
    assert config["control_socket_disable"] is True


def test_gunicorn_defaults_suit_a_small_container(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _gunicorn(monkeypatch)
    assert config["workers"] == 2
    # Threads, so that requests waiting on DNS leave others served (the smoke test shows it).
    assert config["worker_class"] == "gthread"
    assert config["threads"] == 8
    assert config["bind"] == ["0.0.0.0:8000"]
    assert config["preload_app"] is False


def test_gunicorn_refuses_a_bad_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        _gunicorn(monkeypatch, WEB_CONCURRENCY="many")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        _gunicorn(monkeypatch, WEB_CONCURRENCY="0")


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        ("safelist.example.com,www.example.com", "safelist.example.com"),
        (".example.com", "example.com"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_check_sends_an_allowed_host(
    monkeypatch: pytest.MonkeyPatch, hosts: str, expected: str
) -> None:
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", hosts)
    assert healthcheck.configured_host() == expected


def test_the_health_check_fails_when_nothing_answers() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connection refused
        assert healthcheck.healthy(port, "localhost", timeout=1) is False
