"""Plan generation time for 1 and 50 recipient accounts, and API throughput against a trivial
JSON view served by the same server.

    .venv/bin/python bench/plan_bench.py [--runs 300] [--rounds 5] [--seconds 1]

Generation: `build_plan` on a demanding request (the shared address with an internal address as
display name, bulk sends, address-and-IP basis, so every rule fires), median and p90 wall time
and median CPU time over `--runs` warm calls. Goal: 50 accounts < 5 ms median.

Throughput: POST /api/v1/plan (1 and 50 accounts) and a trivial view that returns
`{"status": "ok"}` for the same body, each driven by the same single-connection client loop, in
`--rounds` interleaved rounds of `--seconds` per endpoint so that load from neighbours on a
shared machine hits every case alike; the medians are reported. Two servers, each serving both
views through the whole middleware stack:

- Django's threaded WSGI server (what `runserver` uses), keep-alive connections;
- gunicorn with one sync worker (production's server and worker class; a new connection per
  request, as sync workers do).

Gateways are forced in the body and the DNS facade returns fixed answers, so the figures are
the API's own cost, not DNS latency; the rate limit is lifted for the run. The database is a
fresh SQLite file. Goal: the plan API reaches ≥ 50 % of the trivial view's rate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS_50 = 5.0
GOAL_RATIO = 0.5
TRIVIAL = "trivial JSON view"
PLAN_1 = "POST /api/v1/plan, 1 account"


def _request_body(accounts: int) -> dict[str, Any]:
    recipients = [
        {
            "organisation": "Customer" if i == 0 else f"Partner {i}",
            "domains": ["customer.example"] if i == 0 else [f"p{i}.example", f"p{i}-group.example"],
            "gateway": "mimecast",
            "region": "eu",
            "bulk": True,
        }
        for i in range(accounts)
    ]
    return {
        "sending": {"mode": "unverified_address", "customer_address": "luke@customer.example"},
        "recipients": recipients,
        "basis": "address_and_ip",
    }


def _fixed_ips() -> Any:
    from apps.policies.types import PlatformIPs

    ranges = ("185.83.68.10", "185.83.68.11", "185.83.68.12", "185.83.70.0/24")
    return PlatformIPs(ranges=ranges, resolved_at=datetime(2026, 1, 1, tzinfo=UTC))


# --- Generation ----------------------------------------------------------------------------


def _time_generation(accounts: int, runs: int) -> tuple[list[float], list[float]]:
    from apps.api.api_input import parse_request
    from apps.policies.generator import build_plan
    from apps.policies.types import GatewayInfo, PlanRequest, PlatformInfo, RecipientAccount

    checked, errors = parse_request(_request_body(accounts))
    assert checked is not None, errors
    request = PlanRequest(
        platform=PlatformInfo(
            name="SmartSurvey",
            shared_address="member@smartsurveyuser.com",
            spf_include="spf.ssmx.net",
        ),
        sending=checked.sending,
        recipients=tuple(
            RecipientAccount(a.organisation, a.domains, a.gateway or GatewayInfo(), a.bulk, a.ref)
            for a in checked.accounts
        ),
        basis=checked.basis,
        platform_ips=_fixed_ips(),
    )
    build_plan(request)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        build_plan(request)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    assert len(build_plan(request).accounts) == accounts
    return wall, cpu


def _print_generation(label: str, times: tuple[list[float], list[float]]) -> float:
    wall, cpu = times
    median = statistics.median(wall)
    p90 = statistics.quantiles(wall, n=10)[-1]
    print(f"{label:<32}{median:>10.3f}{p90:>10.3f}{statistics.median(cpu):>10.3f}")
    return median


# --- Servers --------------------------------------------------------------------------------


@contextmanager
def _threaded_server() -> Iterator[int]:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        # Without it, headers and body leave in separate packets and delayed ACKs set the pace.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _gunicorn(database: Path) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PLAN_BENCH_DATABASE": str(database)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers=1",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--pythonpath={ROOT / 'bench'},{ROOT}",
        "--log-level=warning",
        "plan_bench:application",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """The WSGI entry point gunicorn loads: the project plus the bench's trivial view."""
    global _application
    if _application is None:
        _configure(Path(os.environ["PLAN_BENCH_DATABASE"]), migrate=False)
        from django.core.handlers.wsgi import WSGIHandler

        _application = WSGIHandler()
    return _application(environ, start_response)


_application: Any = None


# --- Client ---------------------------------------------------------------------------------


def _connect(port: int) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.connect()
    assert connection.sock is not None
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


def _rate(port: int, path: str, body: bytes, seconds: float) -> float:
    headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
    connection = _connect(port)
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (http.client.HTTPException, ConnectionError):
            connection.close()
            connection = _connect(port)
            continue
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        if response.will_close:
            connection.close()
            connection = _connect(port)
        done += 1
    connection.close()
    return done / (time.perf_counter() - started)


def _throughput(port: int, rounds: int, seconds: float) -> float:
    cases = {
        TRIVIAL: ("/bench/trivial", json.dumps(_request_body(1)).encode()),
        PLAN_1: ("/api/v1/plan", json.dumps(_request_body(1)).encode()),
        "POST /api/v1/plan, 50 accounts": ("/api/v1/plan", json.dumps(_request_body(50)).encode()),
    }
    for path, body in cases.values():  # warm-up
        _rate(port, path, body, 0.2)
    rates: dict[str, list[float]] = {label: [] for label in cases}
    ratios: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(rounds):
        measured = {label: _rate(port, *case, seconds) for label, case in cases.items()}
        for label, rate in measured.items():
            rates[label].append(rate)
            ratios[label].append(rate / measured[TRIVIAL])
    print(f"{'endpoint':<32}{'req/s':>10}{'× trivial':>10}")
    for label in cases:
        rate, ratio = statistics.median(rates[label]), statistics.median(ratios[label])
        print(f"{label:<32}{rate:>10.0f}{ratio:>10.2f}")
    return statistics.median(ratios[PLAN_1])


# --- Set-up ---------------------------------------------------------------------------------


def _bench_urls() -> ModuleType:
    """The project's URLs plus the trivial view, served by the same handler."""
    from django.http import HttpRequest, JsonResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt
    from django.views.decorators.http import require_POST

    from config import urls

    @csrf_exempt
    @require_POST
    def trivial(request: HttpRequest) -> JsonResponse:
        return JsonResponse({"status": "ok"})

    module = ModuleType("plan_bench_urls")
    module.urlpatterns = [*urls.urlpatterns, path("bench/trivial", trivial)]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    return module


def _configure(database: Path, *, migrate: bool) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123")
    os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_HTTPS", "0")  # its servers speak plain HTTP on loopback
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["PLAN_BENCH_DATABASE"] = str(database)
    import django

    django.setup()
    logging.disable(logging.CRITICAL)  # the request log would dominate the timings
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    from django.conf import settings
    from django.core.management import call_command

    if migrate:
        call_command("migrate", verbosity=0)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000000/m"}
    settings.ROOT_URLCONF = _bench_urls().__name__

    from apps.dnscheck import facade
    from apps.dnscheck.types import (
        CheckStatus,
        DomainCheck,
        DomainStatus,
        RecordCheck,
        SendingDomainReport,
    )

    def mimecast(domains: Any) -> dict[str, DomainCheck]:
        return {
            d: DomainCheck(d, d, DomainStatus.GATEWAY, gateway="mimecast", region="eu")
            for d in domains
        }

    def unknown_report(domain: str, platform: Any) -> SendingDomainReport:
        check = RecordCheck(CheckStatus.UNKNOWN, "not checked in the benchmark")
        return SendingDomainReport(domain, domain, check, check, check)

    facade.platform_ips = lambda platform: _fixed_ips()
    facade.check_recipient_domains = mimecast
    facade.check_sending_domain = unknown_report


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        _configure(database, migrate=True)
        print(f"plan generation, {args.runs} warm runs each")
        print(f"{'case':<32}{'median ms':>10}{'p90 ms':>10}{'CPU ms':>10}")
        _print_generation("build_plan, 1 account", _time_generation(1, args.runs))
        median_50 = _print_generation("build_plan, 50 accounts", _time_generation(50, args.runs))

        rounds = f"{args.rounds} interleaved rounds of {args.seconds:g} s per endpoint (medians)"
        print(f"\nAPI throughput, Django's threaded WSGI server, keep-alive; {rounds}")
        with _threaded_server() as port:
            threaded = _throughput(port, args.rounds, args.seconds)
        print(f"\nAPI throughput, gunicorn, 1 sync worker; {rounds}")
        with _gunicorn(database) as port:
            production = _throughput(port, args.rounds, args.seconds)

    print(
        f"\ngoals: 50 accounts < {GOAL_MS_50:g} ms median: "
        f"{'met' if median_50 < GOAL_MS_50 else 'NOT met'} ({median_50:.2f} ms); "
        f"API ≥ {GOAL_RATIO:.0%} of trivial: threaded server {threaded:.0%}, "
        f"gunicorn {production:.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
