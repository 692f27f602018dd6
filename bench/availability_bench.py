"""One client must not take the site down: a victim's /healthz and / under each attack.

    .venv/bin/python bench/availability_bench.py [--seconds 8] [--only NAME ...]

The production configuration, as the smoke test starts it (tests/smoke): gunicorn with
config/gunicorn.py and production settings, on a fresh PostgreSQL database and Redis keys of
its own on 127.0.0.1, DNS pointed at a loopback server that refuses everything at once and never
answers names under never-answers.example (or anything, during the outage). Every request goes
to 127.0.0.1 only. For each attack, a victim asks for /healthz and / in turn, one at a time,
for `--seconds`; the goal is p95 under 1 s for both. Everything started is stopped at the end.

- baseline: no attack.
- dns-never-answers: 8 clients at once, each sending API plans for fresh domains whose DNS never
  answers (each waits out the DNS budget, 2 s here).
- dns-outage: every name silent and the platform-IP snapshot five hours old; one client sends
  API plans that need the platform's IPs, one after another (only the first may wait on DNS).
- pdf-at-limits: 6 clients downloading the PDF of a profile at the app's limits (50 organisations
  x 20 domains, 20 From addresses): the whole document and single organisations.
- slow-clients: 40 connections each sending its request headers one byte a second, straight to
  gunicorn, and again through nginx with config/nginx.conf (the proxy docker-compose.yml puts in
  front) when an nginx binary is found (`--nginx PATH`, default: nginx on PATH).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smoke.harness import (  # noqa: E402 (after the path is set)
    SILENT_ZONE,
    free_port,
    fresh_database,
    gunicorn,
    manage,
    own_redis_keys,
    refusing_dns_server,
)
from tests.smoke.run_smoke import POSTGRES_URL, REDIS_URL, production_env  # noqa: E402

GOAL_SECONDS = 1.0
HOST = "127.0.0.1"

# A profile at the app's limits, made with the services (as the wizard would), then its token.
MAKE_PROFILE = """
from apps.customers import services
from apps.customers.models import CustomerProfile
p = services.profile_create(
    organisation="Bench Ltd", contact_name="B", contact_email="b@bench.example")
services.sending_identity_set(profile=p, mode="verified_address", display_name="Bench",
    customer_address="", from_addresses=[f"s{n}@bench.example" for n in range(20)])
for a in range(50):
    services.recipient_account_add(profile=p, organisation=f"Recipient {a}", bulk=True,
        domains=[f"org{a}-d{d}.{SILENT_ZONE}" for d in range(20)])
services.options_set(profile=p, basis="address_and_ip", bulk_refs=set())
p = CustomerProfile.objects.get(pk=p.pk)
services.profile_complete(profile=p)
print(p.token)
"""
STALE_SNAPSHOT = """
from datetime import timedelta
from django.utils import timezone
from apps.sending.models import PlatformFacts, PlatformIPSnapshot
PlatformIPSnapshot.objects.create(facts=PlatformFacts.objects.get(is_active=True),
    ranges=["192.0.2.0/24"], resolved_at=timezone.now() - timedelta(hours=5))
"""


def request(method: str, path: str, body: bytes | None = None, timeout: float = 60) -> int:
    headers = {"X-Forwarded-Proto": "https", "Host": HOST, "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def api_plan(domain: str, basis: str = "address") -> bytes:
    return json.dumps(
        {
            "sending": {"mode": "verified_address", "from_addresses": ["s@bench.example"]},
            "recipients": [{"organisation": "X", "domains": [domain], "gateway": None}],
            "basis": basis,
        }
    ).encode()


def victim(seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"/healthz": [], "/": []}
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        for path, seen in timings.items():
            started = time.monotonic()
            status = request("GET", path, timeout=10)
            seen.append(time.monotonic() - started if status == 200 else float("inf"))
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


@contextlib.contextmanager
def attackers(count: int, attack: Callable[[int, threading.Event], None]) -> Iterator[None]:
    stop = threading.Event()
    threads = [threading.Thread(target=attack, args=(i, stop), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the attack is under way before the victim starts
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)


def dns_never_answers(index: int, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        request(
            "POST", "/api/v1/plan", api_plan(f"c{index}-{n}-{secrets.token_hex(3)}.{SILENT_ZONE}")
        )


OUTAGE_LATENCIES: list[float] = []


def dns_outage(index: int, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        request("POST", "/api/v1/plan", api_plan("outage.example", basis="address_and_ip"))
        OUTAGE_LATENCIES.append(time.monotonic() - started)


PDF_STATUSES: list[tuple[int, float]] = []


def pdf_at_limits(index: int, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        query = "" if index == 0 else f"?organisation={(index * 7 + n) % 50 + 1}"
        started = time.monotonic()
        status = request("GET", f"/p/{TOKEN}/instructions.pdf{query}")
        PDF_STATUSES.append((status, time.monotonic() - started))


def slow_client(index: int, stop: threading.Event) -> None:
    with socket.create_connection((HOST, PORT), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        while not stop.is_set():
            try:
                sock.sendall(b"a")
            except OSError:
                return
            stop.wait(1.0)


PORT = 0
TOKEN = ""


@contextlib.contextmanager
def nginx(binary: str, upstream: int, scratch: Path) -> Iterator[int]:
    """config/nginx.conf in front of gunicorn on 127.0.0.1:`upstream`; yields its port."""
    port = free_port()
    conf = (ROOT / "config" / "nginx.conf").read_text()
    conf = conf.replace("server web:8000;", f"server 127.0.0.1:{upstream};")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("/tmp/", f"{scratch}/")  # noqa: S108 (the container's paths, replaced)
    path = scratch / "nginx.conf"
    path.write_text(conf)
    process = subprocess.Popen(  # noqa: S603 (the given nginx binary, fixed arguments)
        [binary, "-p", str(scratch), "-e", "stderr", "-c", str(path), "-g", "daemon off;"],
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as sock:
                if sock.connect_ex((HOST, port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> int:
    global PORT, TOKEN
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--nginx", default=shutil.which("nginx"))
    args = parser.parse_args()
    os.chdir(ROOT)
    outage = threading.Event()
    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    results: list[tuple[str, float, float, float, str]] = []
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        database_url = stack.enter_context(fresh_database(POSTGRES_URL, f"safelist_bench_{run_id}"))
        prefix = f"safelist-bench-{run_id}"
        stack.enter_context(own_redis_keys(REDIS_URL, prefix))
        dns_port = stack.enter_context(refusing_dns_server(outage))
        env = production_env(
            database_url=database_url,
            key_prefix=prefix,
            dns_port=dns_port,
            static=Path(scratch) / "static",
        )
        env.update(API_RATE_LIMIT="100000/h", DNS_RATE_LIMIT="100000/h", LOG_LEVEL="WARNING")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        TOKEN = manage(env, "shell", "-c", MAKE_PROFILE.replace("{SILENT_ZONE}", "bench.example"))
        TOKEN = TOKEN.strip().splitlines()[-1]
        PORT = free_port()
        stack.enter_context(gunicorn(env, PORT, Path(scratch) / "gunicorn.log"))
        scenarios: list[tuple[str, int, Callable[[int, threading.Event], None] | None]] = [
            ("baseline", 0, None),
            ("dns-never-answers", 8, dns_never_answers),
            ("dns-outage", 1, dns_outage),
            ("pdf-at-limits", 6, pdf_at_limits),
            ("slow-clients", 40, slow_client),
            ("slow-clients-via-nginx", 40, slow_client),
        ]
        gunicorn_port = PORT
        for name, count, attack in scenarios:
            if args.only and name not in args.only:
                continue
            note = ""
            PORT = gunicorn_port
            if name == "slow-clients-via-nginx":
                if not args.nginx:
                    print(f"{name:18} skipped: no nginx binary (--nginx PATH)")
                    continue
                PORT = stack.enter_context(nginx(args.nginx, gunicorn_port, Path(scratch)))
            if name == "dns-outage":
                manage(env, "shell", "-c", STALE_SNAPSHOT)
                outage.set()
            with attackers(count, attack) if attack else contextlib.nullcontext():
                timings = victim(args.seconds)
            outage.clear()
            if name == "dns-outage" and OUTAGE_LATENCIES:
                rest = OUTAGE_LATENCIES[1:] or [0.0]
                note = (
                    f"attacker: first {OUTAGE_LATENCIES[0]:.2f} s, then median "
                    f"{statistics.median(rest) * 1000:.0f} ms over {len(rest)}"
                )
            if name == "pdf-at-limits":
                by_status: dict[int, list[float]] = {}
                for status, took in PDF_STATUSES:
                    by_status.setdefault(status, []).append(took)
                note = "attacker: " + ", ".join(
                    f"{status}×{len(t)} (max {max(t):.1f} s)"
                    for status, t in sorted(by_status.items())
                )
            health, home = timings["/healthz"], timings["/"]
            results.append((name, p95(health), p95(home), max(health + home), note))
            print(
                f"{name:22} /healthz p95 {p95(health) * 1000:5.0f} ms"
                f"  / p95 {p95(home) * 1000:5.0f} ms"
                f"  max {max(health + home) * 1000:6.0f} ms  ({len(health) + len(home)} requests)"
                + (f"  {note}" if note else ""),
                flush=True,
            )
    # The production configuration has nginx in front: slow clients straight at gunicorn show
    # why, and are left out of the goal.
    met = all(
        h < GOAL_SECONDS and r < GOAL_SECONDS
        for name, h, r, _, _ in results
        if name != "slow-clients"
    )
    print(
        f"goal: victim p95 < {GOAL_SECONDS:g} s under every attack on the production configuration"
        f" (slow clients through nginx): {'met' if met else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
