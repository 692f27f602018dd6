"""The facade's promises: nothing raises, and one profile's lookups run side by side.

The first tests stub the implementation behind the facade (allowed for unit tests); the
concurrency test uses a real socket that answers only once every domain has been asked."""

import pickle
import socket
import threading
from typing import Any

import dns.message
import dns.rcode
import pytest

from apps.dnscheck import authentication, facade, recipients, snapshots
from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.types import CheckStatus, DomainStatus
from apps.policies.types import PlatformInfo, PlatformIPs
from tests.dnsserver import LoopbackUDPServer, dns_served_from

PLATFORM = PlatformInfo(
    name="SmartSurvey", shared_address="m@example.net", spf_include="spf.ssmx.net"
)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("unexpected")


def test_an_unexpected_error_becomes_a_status_for_recipient_domains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recipients, "check_domains", _boom)
    check = facade.check_recipient_domain("example.com")
    assert check.status is DomainStatus.ERROR
    assert check.message.startswith("couldn't check")
    [info] = facade.detect_gateways([["example.com"]])
    assert info.name is None
    assert info.detail.startswith("couldn't check")


def test_an_unexpected_error_becomes_stale_platform_ips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots, "latest_ips", _boom)
    assert facade.platform_ips(PLATFORM) == PlatformIPs(stale=True)


def test_an_unexpected_error_becomes_an_unknown_sending_domain_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(snapshots, "latest_ips", lambda platform: PlatformIPs())
    monkeypatch.setattr(authentication, "check_spf", _boom)
    report = facade.check_sending_domain("example.com", PLATFORM)
    assert report.spf.status is report.dmarc.status is CheckStatus.UNKNOWN
    assert facade.sending_domain_facts("example.com", PLATFORM).spf_authorises_platform is None


def test_answers_survive_the_shared_cache() -> None:
    answer = Answer("example.com", "MX", Status.OK, ("10 mx.example.com.",), ttl=300)
    assert pickle.loads(pickle.dumps(answer)) == answer  # noqa: S301 - our own bytes


class _Barrier:
    """A server that answers nothing until it holds a query for each of `names`, then answers
    them all (NXDOMAIN). Lookups made one after another never get there: the first times out."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.held: dict[str, tuple[bytes, tuple[str, int]]] = {}
        self.open = False
        self.lock = threading.Lock()

    def __call__(self, sock: socket.socket, data: bytes, peer: tuple[str, int]) -> None:
        query = dns.message.from_wire(data)
        name = query.question[0].name.to_text(omit_final_dot=True)
        with self.lock:
            self.held[name] = (data, peer)
            if not self.open and self.names <= set(self.held):
                self.open = True
            waiting = list(self.held.values()) if self.open else []
            if self.open:
                self.held.clear()
        for wire, to in waiting:
            answer = dns.message.make_response(dns.message.from_wire(wire))
            answer.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(answer.to_wire(), to)


def test_lookups_for_many_domains_run_side_by_side(settings: Any) -> None:
    domains = [f"d{i}.example" for i in range(8)]
    barrier = _Barrier(set(domains))
    server = LoopbackUDPServer(barrier)
    try:
        with dns_served_from(settings, "127.0.0.1", server.port):
            settings.DNS_TIMEOUT = 2.0
            settings.DNS_DEADLINE = 3.0
            checks = facade.check_recipient_domains(domains)
    finally:
        server.close()
    # Every domain was asked before any answer came: the lookups were in flight together.
    assert barrier.open
    assert all(c.status is DomainStatus.NOT_FOUND for c in checks.values()), checks
