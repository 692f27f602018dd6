"""The platform's current source IP ranges, from its SPF include and its server names.

`resolve()` asks DNS; apps.dnscheck.snapshots stores the answers and falls back to the last
good one when DNS fails.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import checkdmarc.spf
import spf

from apps.dnscheck.answers import Answer
from apps.dnscheck.concurrency import gather
from apps.dnscheck.libraries import WrappedResolver
from apps.dnscheck.names import InvalidDomain, to_ascii
from apps.dnscheck.resolver import lookup
from apps.policies.types import PlatformInfo


@dataclass
class Resolution:
    """Ranges (CIDR) with where each came from, and what could not be resolved."""

    sources: dict[str, list[str]] = field(default_factory=dict)  # range → ["spf.ssmx.net ip4", …]
    problems: list[str] = field(default_factory=list)

    @property
    def ranges(self) -> tuple[str, ...]:
        return tuple(sorted(self.sources, key=_sort_key))

    @property
    def complete(self) -> bool:
        return not self.problems

    def add(self, value: str, source: str) -> None:
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            self.problems.append(f"{source}: {value!r} is not an IP address or range")
            return
        self.sources.setdefault(str(network), []).append(source)


def _sort_key(cidr: str) -> tuple[int, int, int]:
    network = ipaddress.ip_network(cidr)
    return (network.version, int(network.network_address), network.prefixlen)


def resolve(platform: PlatformInfo) -> Resolution:
    """Every address the platform may send from: its SPF include followed through nested
    includes (ip4, ip6, a, mx, redirect), plus the A/AAAA of each server name."""
    result = Resolution()
    parts: list[Callable[[], Resolution]] = []
    if platform.spf_include:
        parts.append(partial(_from_spf, platform.spf_include))
    parts += [partial(_from_host, h, f"server {h}") for h in platform.server_hostnames]
    for part in gather(parts):
        _merge(result, part)
    return result


def _from_host(host: str, source: str, prefix: dict[int, int] | None = None) -> Resolution:
    result = Resolution()
    try:
        name = to_ascii(host)
    except InvalidDomain as error:
        result.problems.append(f"{source}: {error}")
        return result
    answers: list[Answer] = [lookup(name, "A"), lookup(name, "AAAA")]
    for answer in answers:
        if answer.failed:
            result.problems.append(f"{source}: {answer.detail}")
            continue
        version = 4 if answer.rdtype == "A" else 6
        for address in answer.records:
            length = (prefix or {}).get(version)
            result.add(f"{address}/{length}" if length is not None else address, source)
    if not result.sources and not result.problems:
        result.problems.append(f"{source}: {name} has no address records")
    return result


def _from_spf(include: str) -> Resolution:
    result = Resolution()
    resolver = WrappedResolver()
    try:
        name = to_ascii(include)
        record = checkdmarc.spf.query_spf_record(name, resolver=resolver)["record"]
        parsed = checkdmarc.spf.parse_spf_record(
            record, name, resolver=resolver, ignore_too_many_lookups=True
        )
    except (InvalidDomain, checkdmarc.spf.SPFError) as error:
        reason = resolver.failures[0].detail if resolver.failures else str(error)
        result.problems.append(f"SPF include {include}: {reason}")
        return result
    _walk(parsed.get("parsed") or {}, name, record, result)
    if resolver.failures:
        result.problems.extend(f"SPF include {include}: {a.detail}" for a in resolver.failures)
    return result


def _walk(parsed: dict[str, Any], domain: str, record: str, result: Resolution) -> None:
    """checkdmarc's parse of `record` (published at `domain`), nested includes and redirect
    with it; `record` itself is read again only for the a and mx prefix lengths."""
    prefixes = _prefix_lengths(record, domain)
    for term in parsed.get("mechanisms") or ():
        if term.get("action") != "pass":
            continue  # only "+" terms authorise a sender
        kind = term.get("mechanism")
        value = str(term.get("value") or domain)
        source = f"{domain} {kind}" + (f":{value}" if kind in ("a", "mx", "include") else "")
        if kind in ("ip4", "ip6"):
            result.add(value, source)
        elif kind == "a":
            _merge(result, _from_host(value, source, prefixes.get(("a", value.lower()))))
        elif kind == "mx":
            _from_mx(value, source, prefixes.get(("mx", value.lower()), {}), result)
        elif kind == "include":
            _walk(term.get("parsed") or {}, value, str(term.get("record") or ""), result)
    redirect = parsed.get("redirect")
    if isinstance(redirect, dict):
        target = str(redirect.get("domain") or domain)
        _walk(redirect.get("parsed") or {}, target, str(redirect.get("record") or ""), result)


def _from_mx(host: str, source: str, prefix: dict[int, int], result: Resolution) -> None:
    mx = lookup(host, "MX")
    if mx.failed:
        result.problems.append(f"{source}: {mx.detail}")
        return
    for rdata in mx.rdatas() if mx.ok else ():
        exchange = rdata.exchange.to_text(omit_final_dot=True)  # type: ignore[attr-defined]
        _merge(result, _from_host(exchange, source, prefix))


def _prefix_lengths(record: str, domain: str) -> dict[tuple[str, str], dict[int, int]]:
    """{("a", "relay.example"): {4: 28}, ("mx", domain): {4: 24, 6: 64}} for the record's a and
    mx terms (RFC 7208 dual-cidr-length, read by pyspf): checkdmarc's parse keeps only the
    domain of each."""
    found: dict[tuple[str, str], dict[int, int]] = {}
    for term in record.split()[1:]:
        kind, target, v4, v6 = spf.parse_mechanism(term.lstrip("+"), domain)
        if kind in ("a", "mx"):
            lengths = {version: n for version, n in ((4, v4), (6, v6)) if n is not None}
            found.setdefault((kind, str(target).rstrip(".").lower()), lengths)
    return found


def _merge(result: Resolution, part: Resolution) -> None:
    for cidr, sources in part.sources.items():
        result.sources.setdefault(cidr, []).extend(sources)
    result.problems.extend(part.problems)
