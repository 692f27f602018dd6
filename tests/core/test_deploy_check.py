"""`manage.py check --deploy` must be clean with production values: no warnings at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _production_env(**overrides: str) -> dict[str, str]:
    # A clean environment: nothing leaks in from the test run (its debug-ish defaults).
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "safelist.example.com",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env.update(overrides)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _example_env() -> dict[str, str]:
    """The values .env.example documents, as an operator would copy them."""
    values: dict[str, str] = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_it_reports_no_deploy_warnings_with_production_settings() -> None:
    result = _check_deploy(_production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_reports_no_deploy_warnings_with_the_documented_example_values() -> None:
    example = _example_env()
    example.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="sqlite:///:memory:",
    )
    result = _check_deploy(_production_env(**example))
    assert result.returncode == 0, result.stderr


def test_it_is_secure_by_default_with_debug_off_and_nothing_else_set() -> None:
    env = _production_env()
    for name in ("DJANGO_HTTPS", "DJANGO_BEHIND_TLS_PROXY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"):
        del env[name]
    result = _check_deploy(env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_plain_http_by_choice_passes_and_says_why() -> None:
    result = _check_deploy(_production_env(DJANGO_HTTPS="0"))
    assert result.returncode == 0, result.stderr
    assert "safelist.I001" in result.stdout + result.stderr
    assert "DJANGO_HTTPS=0: served over plain HTTP by choice" in result.stdout + result.stderr


def test_it_flags_a_deployment_without_hsts() -> None:
    # The check is only worth something if it can fail: HTTPS without HSTS must be reported.
    result = _check_deploy(_production_env(DJANGO_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
