"""The one module that talks to DNS (dnspython), with a per-query timeout, an overall deadline
and a cache.

    >>> answer = lookup("example.com", "MX")
    >>> answer.status, answer.records
    (<Status.OK: 'ok'>, ('10 eu-smtp-inbound-1.mimecast.com.',))

Nothing here raises for a DNS problem: every outcome is an `Answer` (apps.dnscheck.answers)
with a `Status` and a plain-language `detail` ("the DNS server didn't answer within 2 s").
Answers are data only: nothing they point to is ever fetched.

Where the queries go is read from settings at call time: DNS_NAMESERVERS (empty = the system
resolver's), DNS_PORT, DNS_TIMEOUT (per query) and DNS_DEADLINE (for everything done inside one
`overall_deadline()` block: apps.dnscheck.middleware.DnsBudgetMiddleware opens one per request, so
every lookup a request makes shares it).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass
from functools import cache as memoize
from typing import cast

import dns.exception
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver
from django.conf import settings
from django.core.cache import cache

from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.deadline import remaining as _remaining
from apps.dnscheck.names import to_display

logger = logging.getLogger("safelist.dns")

MAX_CNAME_HOPS = 8
# Cache bounds: positive answers keep their TTL within these; negative ones are kept briefly.
MIN_TTL = 60
MAX_TTL = 3600
NEGATIVE_TTL = 30
# A server that never answers (or always fails) must not cost every request its timeout again:
# failures are kept briefly too. One cut short by the request's overall deadline is not: it
# says more about the budget than about the domain.
FAILURE_TTL = 30
CACHE_VERSION = "dns1"


# --- Configuration --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    nameservers: tuple[str, ...]
    port: int
    timeout: float


@memoize
def _system_nameservers() -> tuple[str, ...]:
    try:
        return tuple(str(ns) for ns in dns.resolver.Resolver().nameservers)
    except dns.resolver.NoResolverConfiguration:
        return ("127.0.0.1",)


def _config() -> _Config:
    configured = tuple(ns.strip() for ns in settings.DNS_NAMESERVERS if ns.strip())
    return _Config(
        nameservers=configured or _system_nameservers(),
        port=int(settings.DNS_PORT),
        timeout=float(settings.DNS_TIMEOUT),
    )


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _out_of_time() -> str:
    return f"the DNS checks ran out of time ({_seconds(float(settings.DNS_DEADLINE))} in all)"


# --- Lookups --------------------------------------------------------------------------------


def lookup(name: str, rdtype: str) -> Answer:
    """Look `name` up (ASCII, as from apps.dnscheck.names.to_ascii) for `rdtype`, following
    CNAMEs, through the cache. Never raises for a DNS problem."""
    rdtype = rdtype.upper()
    qname = name.strip().rstrip(".").lower()
    config = _config()
    try:
        dns.name.from_text(qname)
    except dns.exception.DNSException:
        return Answer(qname, rdtype, Status.INVALID, detail=f"{name!r} is not a valid domain name")
    key = _cache_key(qname, rdtype, config)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    remaining = _remaining()
    if remaining is not None and remaining <= 0.01:
        # The request's DNS budget is spent: nothing is asked, so nothing is learnt or cached.
        return _failure(qname, rdtype, Status.TIMEOUT, _out_of_time())
    answer = _resolve(qname, rdtype, config)
    if answer.failed:
        logger.warning(
            "dns lookup failed",
            extra={"domain": qname, "rdtype": rdtype, "status": str(answer.status)},
        )
        remaining = _remaining()
        if remaining is None or remaining > 0.01:
            _cache_set(key, answer, FAILURE_TTL)
    else:
        ttl = max(MIN_TTL, min(MAX_TTL, answer.ttl)) if answer.ok else NEGATIVE_TTL
        _cache_set(key, answer, ttl)
    return answer


def _cache_key(qname: str, rdtype: str, config: _Config) -> str:
    where = ",".join(config.nameservers) + f"@{config.port}"
    digest = hashlib.sha256(f"{qname}|{rdtype}|{where}".encode()).hexdigest()[:32]
    return f"{CACHE_VERSION}:{digest}"


def _cache_get(key: str) -> Answer | None:
    try:
        value = cache.get(key)
    except Exception:  # a cache outage must not stop DNS checks
        logger.warning("dns cache unavailable", exc_info=True)
        return None
    return value if isinstance(value, Answer) else None


def _cache_set(key: str, answer: Answer, ttl: int) -> None:
    try:
        cache.set(key, answer, ttl)
    except Exception:
        logger.warning("dns cache unavailable", exc_info=True)


def _resolve(qname: str, rdtype: str, config: _Config) -> Answer:
    """Ask the servers, following CNAMEs the server did not follow itself (an authoritative
    server answers only the CNAME when its target is in another zone)."""
    seen = [qname]
    current = qname
    via_tcp = False
    for _ in range(MAX_CNAME_HOPS + 1):
        outcome = _ask(current, rdtype, config)
        if isinstance(outcome, Answer):
            return outcome if current == qname else _renamed(outcome, qname, current)
        response, tcp = outcome
        via_tcp = via_tcp or tcp
        try:
            chain = response.resolve_chaining()
        except dns.exception.DNSException:
            return _failure(qname, rdtype, Status.MALFORMED, "its CNAME records form a loop")
        canonical = chain.canonical_name.to_text(omit_final_dot=True).lower()
        renamed_to = "" if canonical == qname else canonical
        rcode = response.rcode()
        if chain.answer is not None:
            records = [rdata.to_text() for rdata in chain.answer]
            return Answer(
                qname,
                rdtype,
                Status.OK,
                tuple(records),
                ttl=int(chain.minimum_ttl),
                canonical_name=renamed_to,
                via_tcp=via_tcp,
                detail=f"{len(records)} {rdtype} record{'s' if len(records) != 1 else ''}",
            )
        if rcode == dns.rcode.NXDOMAIN:
            return Answer(
                qname,
                rdtype,
                Status.NXDOMAIN,
                canonical_name=renamed_to,
                detail=f"{to_display(canonical)} does not exist in DNS",
            )
        if canonical != current and not _has_negative_proof(response):
            if canonical in seen:
                return _failure(qname, rdtype, Status.MALFORMED, "its CNAME records form a loop")
            seen.append(canonical)
            current = canonical
            continue
        return Answer(
            qname,
            rdtype,
            Status.NODATA,
            canonical_name=renamed_to,
            via_tcp=via_tcp,
            detail=f"{to_display(canonical)} has no {rdtype} records",
        )
    return _failure(qname, rdtype, Status.MALFORMED, "its CNAME chain is too long")


def _has_negative_proof(response: dns.message.Message) -> bool:
    return any(rrset.rdtype == dns.rdatatype.SOA for rrset in response.authority)


def _renamed(answer: Answer, qname: str, canonical: str) -> Answer:
    return Answer(
        qname,
        answer.rdtype,
        answer.status,
        answer.records,
        ttl=answer.ttl,
        canonical_name=answer.canonical_name or canonical,
        via_tcp=answer.via_tcp,
        detail=answer.detail,
    )


def _failure(qname: str, rdtype: str, status: Status, detail: str) -> Answer:
    return Answer(qname, rdtype, status, detail=detail)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class _TruncatedWithoutTCP(Exception):
    def __init__(self, error: Exception) -> None:
        self.error = error


def _exchange(
    query: dns.message.Message, nameserver: str, port: int, timeout: float
) -> tuple[dns.message.QueryMessage, bool]:
    """UDP first; over TCP again when the UDP answer was truncated (RFC 7766)."""
    started = time.monotonic()
    try:
        response = dns.query.udp(
            query, nameserver, timeout=timeout, port=port, raise_on_truncation=True
        )
        return cast(dns.message.QueryMessage, response), False
    except dns.message.Truncated:
        pass
    left = max(0.05, timeout - (time.monotonic() - started))
    try:
        response = dns.query.tcp(query, nameserver, timeout=left, port=port)
        return cast(dns.message.QueryMessage, response), True
    except (dns.exception.DNSException, OSError, EOFError) as error:
        raise _TruncatedWithoutTCP(error) from error


def _ask(
    qname: str, rdtype: str, config: _Config
) -> tuple[dns.message.QueryMessage, bool] | Answer:
    """One question to the configured servers in turn; the first usable answer wins."""
    failure: Answer | None = None
    for nameserver in config.nameservers:
        remaining = _remaining()
        if remaining is not None and remaining <= 0.01:
            return failure or _failure(qname, rdtype, Status.TIMEOUT, _out_of_time())
        if not _is_ip(nameserver):
            failure = _failure(
                qname,
                rdtype,
                Status.ERROR,
                f"DNS_NAMESERVERS lists {nameserver!r}, not an IP address",
            )
            continue
        timeout = config.timeout if remaining is None else min(config.timeout, remaining)
        query = dns.message.make_query(qname, rdtype)
        try:
            response, tcp = _exchange(query, nameserver, config.port, timeout)
        except dns.exception.Timeout:
            if remaining is not None and timeout < config.timeout:
                detail = _out_of_time()
            else:
                detail = f"the DNS server didn't answer within {_seconds(config.timeout)}"
            failure = _failure(qname, rdtype, Status.TIMEOUT, detail)
            continue
        except _TruncatedWithoutTCP:
            failure = _failure(
                qname,
                rdtype,
                Status.TRUNCATED,
                "the answer was too large for UDP and the DNS server didn't answer over TCP",
            )
            continue
        except (dns.exception.DNSException, ValueError, EOFError):
            failure = _failure(
                qname, rdtype, Status.MALFORMED, "the DNS server's answer could not be read"
            )
            continue
        except OSError as error:
            failure = _failure(
                qname,
                rdtype,
                Status.ERROR,
                f"the DNS server {nameserver} could not be reached ({error.strerror or error})",
            )
            continue
        rcode = response.rcode()
        if rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            return response, tcp
        if rcode == dns.rcode.SERVFAIL:
            failure = _failure(
                qname, rdtype, Status.SERVFAIL, "the DNS server reported a failure (SERVFAIL)"
            )
        elif rcode == dns.rcode.REFUSED:
            failure = _failure(
                qname, rdtype, Status.REFUSED, "the DNS server refused to answer (REFUSED)"
            )
        else:
            failure = _failure(
                qname,
                rdtype,
                Status.MALFORMED,
                f"the DNS server answered with an error ({dns.rcode.to_text(rcode)})",
            )
    if failure is None:  # no nameserver configured at all
        return _failure(qname, rdtype, Status.ERROR, "no DNS server is configured")
    return failure
