"""Production smoke test: the docker-compose stack, proven without Docker.

gunicorn (config/gunicorn.py) with production settings from the environment, on a fresh
PostgreSQL database and Redis on 127.0.0.1, behind a pretend TLS proxy (X-Forwarded-Proto).
It migrates and collects static files like the image does, then checks over HTTP what a
customer and an operator would see: health, security headers, the API, a rate limit's 429,
the body-size limit and the request log. Everything it started is stopped at the end.

    make smoke            # or: .venv/bin/python -m tests.smoke.run_smoke

SMOKE_POSTGRES_URL and SMOKE_REDIS_URL point it at other servers; SMOKE_LOG=path keeps gunicorn's
log (it is printed when a check fails).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import redis.exceptions

from tests.smoke import walk
from tests.smoke.harness import (
    BASE_DIR,
    SILENT_ZONE,
    Browser,
    SmokeFailure,
    free_port,
    fresh_database,
    gunicorn,
    manage,
    own_redis_keys,
    refusing_dns_server,
)

POSTGRES_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/0")
API_LIMIT = 12  # per hour, so that no window boundary falls inside the run
# API requests for domains whose DNS never answers, sent at once (fewer than the threads).
SILENT_REQUESTS = 6

PLAN_REQUEST = {
    "sending": {
        "mode": "sending_domain",
        "from_addresses": ["surveys@smoke-customer.example"],
        "display_name": "Smoke HR",
    },
    "recipients": [
        {"organisation": "Smoke Ltd", "domains": ["smoke-recipient.example"], "gateway": None}
    ],
    "basis": "address",
}


class Checks:
    def __init__(self) -> None:
        self.passed = 0

    def __call__(self, what: str, condition: bool, detail: object = "") -> None:
        if not condition:
            raise SmokeFailure(f"{what}: {detail}" if detail != "" else what)
        self.passed += 1
        print(f"  ok  {what}", flush=True)


def production_env(*, database_url: str, key_prefix: str, dns_port: int, static: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(static.parent),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_STATIC_MANIFEST": "1",
        "DJANGO_STATIC_ROOT": str(static),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": key_prefix,
        "DNS_NAMESERVERS": "127.0.0.1",
        "DNS_PORT": str(dns_port),
        "DNS_TIMEOUT": "1",
        "DNS_DEADLINE": "2",
        "API_RATE_LIMIT": f"{API_LIMIT}/h",
        "DNS_RATE_LIMIT": "500/h",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "INFO",
    }


def check_health_and_https(check: Checks, browser: Browser) -> None:
    health = browser.get("/healthz", https=False)
    check("GET /healthz answers 200 over plain HTTP", health.status == 200, health.status)
    check(
        "/healthz reports the database",
        json.loads(health.body) == {"status": "ok", "database": "ok"},
        health.text,
    )
    plain = browser.get("/", https=False)
    check(
        "plain HTTP is redirected to HTTPS",
        plain.status == 301 and plain.header("Location") == f"{browser.origin}/",
        (plain.status, plain.header("Location")),
    )


def check_security_headers(check: Checks, browser: Browser) -> None:
    home = browser.get("/")
    check("GET / answers 200", home.status == 200, home.status)
    check(
        "HSTS for a year, subdomains, preload",
        home.header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload",
        home.header("Strict-Transport-Security"),
    )
    csp = home.header("Content-Security-Policy")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    scripts = re.findall(r"<script\b[^>]*>", home.text)
    check("CSP with a script nonce and no unsafe-*", bool(nonce) and "unsafe" not in csp, csp)
    check(
        "every script is a local file carrying the nonce",
        bool(scripts)
        and all(nonce and f'nonce="{nonce.group(1)}"' in tag and "src=" in tag for tag in scripts),
        scripts,
    )
    for name, expected in [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]:
        check(f"{name}: {expected}", home.header(name) == expected, home.header(name))
    csrf = next((c for c in browser.set_cookies if c.startswith("__Secure-csrftoken=")), "")
    check(
        "CSRF cookie is __Secure-, Secure, HttpOnly, SameSite=Lax",
        all(part in csrf for part in ("; Secure", "; HttpOnly", "SameSite=Lax")),
        browser.set_cookies,
    )
    css = re.search(r'href="(/static/css/safelist\.[0-9a-f]{12}\.css)"', home.text)
    check("static files are collected with hashed names", bool(css), home.text[:600])
    assert css is not None
    sheet = browser.get(css.group(1))
    check(
        "a hashed static file is served with a long cache lifetime",
        sheet.status == 200 and "immutable" in sheet.header("Cache-Control"),
        (sheet.status, sheet.header("Cache-Control")),
    )


def check_body_limit(check: Checks, browser: Browser) -> None:
    big = b"answer=" + b"x" * (300 * 1024)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    page = browser.request("POST", "/", big, headers)
    check("an oversized form post gets a 413 page", page.status == 413, page.status)
    api = browser.request("POST", "/api/v1/plan", big, {"Content-Type": "application/json"})
    check(
        "an oversized API body gets a 413 with a JSON error",
        api.status == 413 and "errors" in json.loads(api.body),
        (api.status, api.text[:200]),
    )


def _timed_get(browser: Browser, path: str) -> tuple[int, float]:
    started = time.monotonic()
    status = browser.get(path).status
    return status, time.monotonic() - started


def check_dns_that_never_answers(check: Checks, browser: Browser) -> int:
    """API requests for domains whose DNS never answers each wait out the DNS budget; meanwhile
    other visitors are served at once (threaded workers). Returns the API requests sent."""
    body = {
        **PLAN_REQUEST,
        "sending": {"mode": "unverified_address", "customer_address": "a@b.example"},
    }
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    results: list[tuple[int, float]] = []

    def slow_request(index: int) -> None:
        request = {
            **body,
            "recipients": [
                {"organisation": "Silent", "domains": [f"d{index}.{SILENT_ZONE}"], "gateway": None}
            ],
        }
        started = time.monotonic()
        status = browser.request("POST", "/api/v1/plan", json.dumps(request).encode(), headers)
        results.append((status.status, time.monotonic() - started))

    threads = [
        threading.Thread(target=slow_request, args=(i,), daemon=True)
        for i in range(SILENT_REQUESTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the slow requests are now waiting on DNS
    victim = [_timed_get(browser, path) for path in ("/healthz", "/") * 3]
    for thread in threads:
        thread.join(timeout=30)
    check(
        f"{SILENT_REQUESTS} API requests whose DNS never answers each end within the DNS budget",
        len(results) == SILENT_REQUESTS
        and all(status == 200 and took < 2 + 1.5 for status, took in results),
        results,
    )
    check(
        "meanwhile /healthz and / answer in under a second",
        all(status == 200 and took < 1.0 for status, took in victim),
        victim,
    )
    return SILENT_REQUESTS


def check_api_and_rate_limit(check: Checks, browser: Browser, spent: int) -> None:
    body = json.dumps(PLAN_REQUEST).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    first = browser.request("POST", "/api/v1/plan", body, headers)
    check("POST /api/v1/plan answers 200", first.status == 200, (first.status, first.text[:300]))
    plan = json.loads(first.body)
    check(
        "the plan has steps even though DNS could not be checked",
        plan["accounts"] and plan["accounts"][0]["steps"],
        first.text[:300],
    )
    statuses = [200] * spent + [first.status]
    while len(statuses) <= API_LIMIT:
        statuses.append(browser.request("POST", "/api/v1/plan", body, headers).status)
    last = browser.request("POST", "/api/v1/plan", body, headers)
    # Two workers share one counter in Redis: the limit holds across processes.
    check(
        f"the API allows {API_LIMIT} requests per client, then answers 429",
        statuses[:API_LIMIT] == [200] * API_LIMIT and statuses[API_LIMIT] == 429,
        statuses,
    )
    check(
        "the 429 is JSON with Retry-After",
        last.status == 429
        and 0 < int(last.header("Retry-After") or 0) <= 3600  # the hour's window ends
        and "Too many requests" in json.loads(last.body)["errors"]["__all__"][0],
        (last.status, last.text[:200]),
    )


def check_error_paths(check: Checks, browser: Browser, token: str, share_token: str) -> None:
    """Requests that Django logs on its own loggers, each with a private token in the URL."""
    refused = browser.request(
        "POST",
        f"/p/{token}/sending/",
        b"mode=sending_domain",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    check("a resume-link post without the CSRF token is refused (403)", refused.status == 403)
    wrong_host = browser.get(f"/it/{share_token}/", headers={"Host": "attacker.example"})
    check("a share link asked for under another host name answers 400", wrong_host.status == 400)


def check_logs(check: Checks, log: Path, secrets_seen: list[str]) -> None:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise SmokeFailure(f"a log line is not JSON: {line!r}") from None
    check("every log line is one JSON object", bool(entries), len(lines))
    requests = [e for e in entries if e.get("logger") == "safelist.request"]
    check(
        "one request line each, with method, path, status and duration",
        bool(requests)
        and all({"method", "path", "status", "duration_ms"} <= set(e) for e in requests)
        and {200, 301, 413, 429} <= {e["status"] for e in requests},
        requests[:3],
    )
    check(
        "the CSRF failure and the disallowed host are logged (tokens redacted)",
        {"django.security.csrf", "django.security.DisallowedHost"}
        <= {str(e.get("logger")) for e in entries},
        sorted({str(e.get("logger")) for e in entries}),
    )
    dns_failures = [e for e in entries if e.get("logger") == "safelist.dns"]
    check(
        "DNS failures are logged with the domain",
        any("smoke-recipient.example" in json.dumps(e) for e in dns_failures),
        dns_failures[:3],
    )
    leaked = [value for value in secrets_seen if value and value in log.read_text()]
    check("no customer address or private token in the logs", not leaked, leaked)


def run(check: Checks, scratch: Path) -> None:
    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    log = scratch / "gunicorn.log"
    port = free_port()
    with contextlib.ExitStack() as services:
        database_url = services.enter_context(
            fresh_database(POSTGRES_URL, f"safelist_smoke_{run_id}")
        )
        key_prefix = f"safelist-smoke-{run_id}"
        services.enter_context(own_redis_keys(REDIS_URL, key_prefix))
        dns_port = services.enter_context(refusing_dns_server())
        env = production_env(
            database_url=database_url,
            key_prefix=key_prefix,
            dns_port=dns_port,
            static=scratch / "static",
        )
        print(f"PostgreSQL database safelist_smoke_{run_id}, Redis prefix {key_prefix}")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        check("migrate and collectstatic with production settings", True)
        started = time.monotonic()
        try:
            with gunicorn(env, port, log) as base:
                print(f"gunicorn serving on {base} after {time.monotonic() - started:.1f} s")
                browser = Browser(base)
                check_health_and_https(check, browser)
                check_security_headers(check, browser)
                check_body_limit(check, browser)
                seen = walk.walk_wizard(check, browser)
                check_error_paths(check, browser, seen[0], seen[1])
                spent = check_dns_that_never_answers(check, browser)
                check_api_and_rate_limit(check, browser, spent)
            check("gunicorn and its workers have stopped", not _listening(port), port)
            check_logs(check, log, [*seen, "surveys@smoke-customer.example"])
        except SmokeFailure:
            if log.exists():
                print(
                    "--- gunicorn log (last 40 lines)",
                    *log.read_text().splitlines()[-40:],
                    sep="\n",
                )
            raise
        finally:
            if os.environ.get("SMOKE_LOG") and log.exists():
                shutil.copyfile(log, os.environ["SMOKE_LOG"])


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def main() -> int:
    # A TERM from CI or a timeout still runs every clean-up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.chdir(BASE_DIR)
    check = Checks()
    started = time.monotonic()
    failed = 0
    try:
        with tempfile.TemporaryDirectory(prefix="safelist-smoke-") as scratch:
            run(check, Path(scratch))
    except SmokeFailure as failure:
        failed = 1
        print(f"FAIL {failure}", file=sys.stderr)
    except (psycopg.OperationalError, redis.exceptions.ConnectionError) as unavailable:
        failed = 1
        print(
            f"FAIL PostgreSQL ({POSTGRES_URL}) and Redis ({REDIS_URL}) must be running: "
            f"{unavailable}",
            file=sys.stderr,
        )
    print(f"smoke test finished in {time.monotonic() - started:.1f} s")
    print(f"smoke: {check.passed} passed, {failed} failed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
