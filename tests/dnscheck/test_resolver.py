"""The DNS wrapper: one distinct, plain-language status per failure, never an exception; TCP
fallback; the cache; the deadline. Against the real test server (and sockets for failures)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dns.flags
import dns.message
import pytest
from django.core.cache import cache

from apps.dnscheck import resolver
from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.deadline import overall_deadline
from apps.dnscheck.resolver import lookup
from tests.dnsserver import LoopbackUDPServer, dns_served_from


def _garbage(query: bytes) -> bytes:
    """Bytes that are not a DNS message (but carry the query's id)."""
    return query[:2] + b"\x81\x80\x00\x01\x00\x05\x00\x00\x00\x00\xff"


def _truncated(query: bytes) -> bytes:
    """A valid but truncated (TC) answer: the client must ask again over TCP."""
    response = dns.message.make_response(dns.message.from_wire(query))
    response.flags |= dns.flags.TC
    return response.to_wire()


@contextmanager
def udp_server(settings: Any, respond: Callable[[bytes], bytes]) -> Iterator[int]:
    """A server that answers every UDP query with `respond(query)`; nothing listens on TCP."""
    server = LoopbackUDPServer(lambda sock, data, peer: sock.sendto(respond(data), peer))
    try:
        with dns_served_from(settings, "127.0.0.1", server.port):
            yield server.port
    finally:
        server.close()


@pytest.mark.usefixtures("test_dns")
class TestAgainstTheRealServer:
    def test_it_answers_records_with_their_ttl(self) -> None:
        answer = lookup("ownorg.example", "MX")
        assert answer.status is Status.OK
        assert answer.records == (
            "10 eu-smtp-inbound-1.mimecast.com.",
            "20 eu-smtp-inbound-2.mimecast.com.",
        )
        assert answer.ttl == 300

    def test_it_tells_nxdomain_from_nodata(self) -> None:
        nx = lookup("nothing-here.gateways.example", "MX")
        nodata = lookup("no-mx.gateways.example", "MX")
        assert nx.status is Status.NXDOMAIN
        assert "does not exist" in nx.detail
        assert nodata.status is Status.NODATA
        assert "has no MX records" in nodata.detail

    def test_it_reports_servfail_for_a_broken_zone(self) -> None:
        answer = lookup("broken.example", "MX")
        assert answer.status is Status.SERVFAIL
        assert answer.detail == "the DNS server reported a failure (SERVFAIL)"

    def test_it_reports_refused_for_a_zone_the_server_does_not_serve(self) -> None:
        answer = lookup("example.org", "MX")
        assert answer.status is Status.REFUSED
        assert "refused" in answer.detail

    def test_it_falls_back_to_tcp_for_an_answer_over_512_bytes(self) -> None:
        answer = lookup("big.spf.example", "TXT")
        assert answer.status is Status.OK
        assert answer.via_tcp
        assert len(answer.records) == 7

    def test_it_joins_a_long_txt_record_split_into_strings(self) -> None:
        [text] = lookup("long.spf.example", "TXT").texts()
        assert text.startswith("v=spf1 ip4:203.0.113.1 ")
        assert "ip4:203.0.113.15 ip4:203.0.113.16" in text
        assert text.endswith("include:spf.ssmx.net -all")

    def test_it_follows_cnames_and_names_the_target(self) -> None:
        answer = lookup("alias.gateways.example", "MX")
        assert answer.status is Status.OK
        assert answer.canonical_name == "mc-au.gateways.example"

    def test_it_reports_a_cname_loop(self) -> None:
        answer = lookup("loop1.gateways.example", "MX")
        assert answer.status is Status.MALFORMED
        assert "loop" in answer.detail

    def test_it_rejects_an_invalid_name_without_asking(self) -> None:
        answer = lookup("a..b", "MX")
        assert answer.status is Status.INVALID

    def test_it_caches_answers_within_ttl_bounds(
        self, settings: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = lookup("ownorg.example", "MX")
        # The answer is stored under its key, and the second lookup is served from there.
        key = resolver._cache_key("ownorg.example", "MX", resolver._config())
        assert cache.get(key) == first
        # Served from the cache: the server is not asked again (its speed is in bench/dns_bench.py).
        with _counting_queries(monkeypatch) as asked:
            again = lookup("ownorg.example", "MX")
        assert again == first
        assert asked == []

    def test_it_keys_the_cache_by_nameserver(self, settings: Any) -> None:
        assert lookup("ownorg.example", "MX").status is Status.OK
        here = resolver._cache_key("ownorg.example", "MX", resolver._config())
        other_host = resolver._Config(("127.0.0.2",), settings.DNS_PORT, 1.0)
        assert resolver._cache_key("ownorg.example", "MX", other_host) != here
        # Another server (one that never answers) on another port, the cache left as it is: the
        # answer cached for the first server must not be served for this one.
        silent = LoopbackUDPServer(lambda sock, data, peer: None)
        try:
            settings.DNS_PORT = silent.port
            settings.DNS_TIMEOUT = 0.3
            assert resolver._cache_key("ownorg.example", "MX", resolver._config()) != here
            assert lookup("ownorg.example", "MX").status is Status.TIMEOUT
        finally:
            silent.close()

    def test_it_caches_negative_answers_and_failures_briefly(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        stored = _spy_on_cache_writes(monkeypatch)
        lookup("ownorg.example", "MX")
        lookup("nothing-here.gateways.example", "MX")
        lookup("broken.example", "MX")
        assert stored == [
            (Status.OK, 300),
            (Status.NXDOMAIN, resolver.NEGATIVE_TTL),
            (Status.SERVFAIL, resolver.FAILURE_TTL),
        ]

    def test_it_clamps_the_cache_ttl(self, monkeypatch: pytest.MonkeyPatch) -> None:
        stored = _spy_on_cache_writes(monkeypatch)
        # Both zones answer with a TTL of 300: raise the floor above it, then the ceiling below.
        monkeypatch.setattr(resolver, "MIN_TTL", 600)
        lookup("ownorg.example", "MX")
        monkeypatch.setattr(resolver, "MIN_TTL", 60)
        monkeypatch.setattr(resolver, "MAX_TTL", 120)
        lookup("partnerorg.example", "MX")
        assert stored == [(Status.OK, 600), (Status.OK, 120)]


@contextmanager
def _counting_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names the resolver really sends to a server (not answered from the cache)."""
    asked: list[str] = []
    real_resolve = resolver._resolve

    def spy(qname: str, rdtype: str, config: Any) -> Answer:
        asked.append(qname)
        return real_resolve(qname, rdtype, config)

    with monkeypatch.context() as patch:
        patch.setattr(resolver, "_resolve", spy)
        yield asked


def _spy_on_cache_writes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Status, int]]:
    stored: list[tuple[Status, int]] = []
    real_set = resolver._cache_set

    def spy(key: str, answer: Answer, ttl: int) -> None:
        stored.append((answer.status, ttl))
        real_set(key, answer, ttl)

    monkeypatch.setattr(resolver, "_cache_set", spy)
    return stored


def test_it_times_out_with_a_plain_message(silent_dns: int, settings: Any) -> None:
    settings.DNS_TIMEOUT = 0.3
    answer = lookup("ownorg.example", "MX")
    assert answer.status is Status.TIMEOUT
    assert answer.detail == "the DNS server didn't answer within 0.3 s"


def test_it_stops_at_the_overall_deadline(
    silent_dns: int, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DNS_TIMEOUT = 1.0
    settings.DNS_DEADLINE = 0.4
    with overall_deadline(), _counting_queries(monkeypatch) as asked:
        first = lookup("ownorg.example", "MX")
        second = lookup("partnerorg.example", "MX")
    assert first.status is second.status is Status.TIMEOUT
    assert "ran out of time (0.4 s in all)" in second.detail
    assert asked == ["ownorg.example"]  # the budget was spent: the second name is never sent


def test_a_server_that_never_answers_costs_its_timeout_once(
    silent_dns: int, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DNS_TIMEOUT = 0.3
    with _counting_queries(monkeypatch) as asked:
        first = lookup("never-answers.example", "MX")
        again = lookup("never-answers.example", "MX")
    assert first.status is again.status is Status.TIMEOUT
    assert asked == ["never-answers.example"]  # the second from the cache, not another wait


def test_a_lookup_cut_short_by_the_deadline_is_not_cached(
    silent_dns: int, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DNS_TIMEOUT = 1.0
    stored = _spy_on_cache_writes(monkeypatch)
    with overall_deadline(0.2):
        lookup("ownorg.example", "MX")  # times out at the deadline, not the server's timeout
        lookup("partnerorg.example", "MX")  # never asked: the budget is spent
    assert stored == []


def test_it_reports_an_unreadable_answer_as_malformed(settings: Any) -> None:
    with udp_server(settings, _garbage):
        answer = lookup("ownorg.example", "MX")
    assert answer.status is Status.MALFORMED
    assert answer.detail == "the DNS server's answer could not be read"


def test_it_reports_a_truncated_answer_it_could_not_fetch_over_tcp(settings: Any) -> None:
    with udp_server(settings, _truncated):
        answer = lookup("big.spf.example", "TXT")
    assert answer.status is Status.TRUNCATED
    assert "too large for UDP" in answer.detail


def test_it_reports_a_server_it_cannot_send_to(settings: Any) -> None:
    # Sending to the broadcast address without SO_BROADCAST fails at once with EACCES: a socket
    # error, as opposed to a server that stays silent (a timeout).
    settings.DNS_NAMESERVERS = ["255.255.255.255"]
    answer = lookup("ownorg.example", "MX")
    assert answer.status is Status.ERROR
    assert answer.detail.startswith("the DNS server 255.255.255.255 could not be reached (")


def test_it_logs_failures_without_raising(
    silent_dns: int, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.DNS_TIMEOUT = 0.2
    with caplog.at_level("WARNING", logger="safelist.dns"):
        lookup("ownorg.example", "MX")
    [record] = [r for r in caplog.records if r.name == "safelist.dns"]
    fields = (
        getattr(record, "domain", ""),
        getattr(record, "rdtype", ""),
        getattr(record, "status", ""),
    )
    assert fields == ("ownorg.example", "MX", "timeout")


def test_it_reports_a_nameserver_setting_that_is_not_an_address(settings: Any) -> None:
    settings.DNS_NAMESERVERS = ["dns.example.net"]
    answer = lookup("ownorg.example", "MX")
    assert answer.status is Status.ERROR
    assert "not an IP address" in answer.detail
