"""Gateway detection for 10 domains with 100 ms added to every DNS answer.

    .venv/bin/python bench/dns_bench.py [--delay 0.1] [--runs 5]

Knot serves the test zones (tests/dns/zones) on a free loopback port; a small UDP proxy in front
of it holds every answer for `--delay` seconds before passing it on, like a distant resolver.
Every lookup goes to the proxy.

- single: each domain detected on its own with an empty cache; the slowest one is the yardstick.
- all 10: `detect_gateways` for the 10 domains as 10 accounts, empty cache.
  Goal: ≤ 1.5 × the slowest single detection (the lookups run side by side).
- cached: the same call again with the answers cached. Goal: < 5 ms.

Medians over `--runs`.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789"
)
os.environ.pop("REDIS_URL", None)

DOMAINS = [
    "ownorg.example",
    "partnerorg.example",
    "m365org.example",
    "mc-de.gateways.example",
    "mc-au.gateways.example",
    "mc-m365.gateways.example",
    "proofpoint.gateways.example",
    "google.gateways.example",
    "sophos.gateways.example",
    "xn--bcher-kva.example",
]
GOAL_RATIO = 1.5
GOAL_CACHED_MS = 5.0


class DelayProxy:
    """Forwards each UDP query to the upstream server and holds the answer `delay` seconds."""

    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        from tests.dnsserver import LoopbackUDPServer

        self.upstream = upstream
        self.delay = delay
        self.server = LoopbackUDPServer(self._forward)
        self.port = self.server.port

    def _forward(self, sock: socket.socket, query: bytes, client: tuple[str, int]) -> None:
        # Each answer waits in its own thread, so queries sent side by side stay side by side.
        threading.Thread(target=self._answer, args=(sock, query, client), daemon=True).start()

    def _answer(self, sock: socket.socket, query: bytes, client: tuple[str, int]) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as upstream:
            upstream.settimeout(2)
            upstream.sendto(query, self.upstream)
            try:
                answer = upstream.recv(65535)
            except TimeoutError:
                return
        time.sleep(self.delay)
        sock.sendto(answer, client)

    def close(self) -> None:
        self.server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    logging.disable(logging.CRITICAL)
    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from apps.dnscheck import facade
    from tests.dnsserver import knot_server

    with tempfile.TemporaryDirectory() as workdir, knot_server(Path(workdir)) as server:
        proxy = DelayProxy((server.host, server.port), args.delay)
        settings.DNS_NAMESERVERS = ["127.0.0.1"]
        settings.DNS_PORT = proxy.port
        settings.DNS_TIMEOUT = 2.0
        settings.DNS_DEADLINE = 4.0
        try:
            singles: list[float] = []
            totals: list[float] = []
            cached: list[float] = []
            for _ in range(args.runs):
                slowest = 0.0
                for domain in DOMAINS:
                    cache.clear()
                    started = time.perf_counter()
                    check = facade.check_recipient_domain(domain)
                    slowest = max(slowest, time.perf_counter() - started)
                    assert check.gateway, (domain, check.message)
                singles.append(slowest)
                cache.clear()
                started = time.perf_counter()
                infos = facade.detect_gateways([[d] for d in DOMAINS])
                totals.append(time.perf_counter() - started)
                assert all(info.name for info in infos), infos
                started = time.perf_counter()
                facade.detect_gateways([[d] for d in DOMAINS])
                cached.append(time.perf_counter() - started)
        finally:
            proxy.close()

    single = statistics.median(singles)
    total = statistics.median(totals)
    repeat_ms = statistics.median(cached) * 1000
    ratio = total / single
    print(f"delay per answer:            {args.delay * 1000:.0f} ms, {args.runs} runs (medians)")
    print(f"slowest single detection:    {single * 1000:.1f} ms")
    print(f"10 domains, concurrently:    {total * 1000:.1f} ms  ({ratio:.2f}× the slowest single;")
    print(f"                             goal ≤ {GOAL_RATIO}×)")
    print(f"10 domains, cached repeat:   {repeat_ms:.2f} ms  (goal < {GOAL_CACHED_MS} ms)")
    ok = ratio <= GOAL_RATIO and repeat_ms < GOAL_CACHED_MS
    print("result:                      " + ("ok" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
