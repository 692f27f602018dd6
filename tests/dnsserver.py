"""A real authoritative DNS server for the tests: Knot (`knotd`, Debian package `knot`).

Registered as a pytest plugin from tests/conftest.py, so every test folder can use it:

- `dns_server` (session): starts knotd once on a free 127.0.0.1 port, serving every
  `tests/dns/zones/<domain>.zone` file as the zone `<domain>`; yields a `DNSServer`.
- `test_dns` (function): points settings.DNS_NAMESERVERS / DNS_PORT at that server and clears the
  cache before and after, so a test sees exactly what the zone files say.
- `silent_dns` (function): points the settings at a UDP socket that reads and never answers, for
  timeouts.
- `LoopbackUDPServer`: a UDP socket on a free loopback port that hands every datagram to a
  function, for servers that misbehave on purpose (tests/dnscheck) or delay (bench/dns_bench.py).

To add a domain for a test, drop a zone file named after it into tests/dns/zones/ (the server
answers SERVFAIL for a zone whose file does not load, REFUSED for names outside every zone).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dns.exception
import dns.message
import dns.query
import pytest
from django.core.cache import cache

ZONES_DIR = Path(__file__).parent / "dns" / "zones"
KNOTD = shutil.which("knotd") or "/usr/sbin/knotd"


@dataclass(frozen=True)
class DNSServer:
    host: str
    port: int
    zones: tuple[str, ...]


def _free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (knotd listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port for the test DNS server")


def _config(workdir: Path, port: int, zones: list[Path]) -> str:
    zone_lines = "".join(
        f"  - domain: {path.name[: -len('.zone')]}\n    file: {path}\n" for path in zones
    )
    return (
        "server:\n"
        f"    listen: 127.0.0.1@{port}\n"
        f"    rundir: {workdir}\n"
        "database:\n"
        f"    storage: {workdir / 'db'}\n"
        "log:\n"
        "  - target: stderr\n"
        "    any: warning\n"
        "template:\n"
        "  - id: default\n"
        f"    storage: {workdir}\n"
        # Never write back to the zone files or keep a journal: the files are the only truth.
        "    zonefile-sync: -1\n"
        "    zonefile-load: whole\n"
        "    journal-content: none\n"
        "zone:\n" + zone_lines
    )


def _wait_until_answering(
    host: str, port: int, zone: str, process: subprocess.Popen[bytes]
) -> None:
    query = dns.message.make_query(zone, "SOA")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            response = dns.query.udp(query, host, port=port, timeout=0.2)
            if response.answer:
                return
        except (dns.exception.Timeout, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"knotd did not start on {host}@{port}")


@contextmanager
def knot_server(workdir: Path) -> Iterator[DNSServer]:
    """Run knotd on a free loopback port with every zone under tests/dns/zones, until the block
    ends. Usable outside pytest too (bench/dns_bench.py)."""
    if not Path(KNOTD).exists():
        raise RuntimeError("knotd is missing: install the Debian package 'knot' (make test does).")
    zones = sorted(ZONES_DIR.glob("*.zone"))
    port = _free_port()
    conf = workdir / "knot.conf"
    conf.write_text(_config(workdir, port, zones))
    with (workdir / "knotd.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own binary and generated config
            [KNOTD, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_answering("127.0.0.1", port, "ownorg.example", process)
            yield DNSServer(
                host="127.0.0.1",
                port=port,
                zones=tuple(path.name[: -len(".zone")] for path in zones),
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def dns_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DNSServer]:
    if not Path(KNOTD).exists():
        pytest.fail("knotd is missing: install the Debian package 'knot' (make test does).")
    with knot_server(tmp_path_factory.mktemp("knot")) as server:
        yield server


@contextmanager
def dns_served_from(settings: Any, host: str, port: int) -> Iterator[None]:
    """Point the resolver at host@port with an empty cache, and empty it again afterwards."""
    settings.DNS_NAMESERVERS = [host]
    settings.DNS_PORT = port
    cache.clear()
    try:
        yield
    finally:
        cache.clear()


@pytest.fixture
def test_dns(settings: Any, dns_server: DNSServer) -> Iterator[DNSServer]:
    with dns_served_from(settings, dns_server.host, dns_server.port):
        yield dns_server


Handler = Callable[[socket.socket, bytes, tuple[str, int]], object]


class LoopbackUDPServer:
    """A UDP socket on a free 127.0.0.1 port; a thread hands each datagram to
    `handle(sock, data, peer)` until close(). Nothing listens on TCP."""

    def __init__(self, handle: Handler) -> None:
        self.handle = handle
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(65535)
            except (TimeoutError, OSError):
                continue
            self.handle(self.sock, data, peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        self.sock.close()


@pytest.fixture
def silent_dns(settings: Any) -> Iterator[int]:
    """A server that reads every query and never answers."""
    server = LoopbackUDPServer(lambda sock, data, peer: None)
    try:
        with dns_served_from(settings, "127.0.0.1", server.port):
            yield server.port
    finally:
        server.close()
