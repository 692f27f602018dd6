"""checkdmarc and pyspf, made to ask DNS through our wrapper (apps.dnscheck.resolver), so they
share our timeouts, deadline, nameservers and cache.

- checkdmarc's per-record functions take `resolver=`: `WrappedResolver` answers them from
  `lookup()` and remembers every failure, so a caller can tell "no record" from "couldn't check".
- pyspf looks names up through its module-level `DNSLookup` function, replaced here.
"""

from __future__ import annotations

from typing import Any, cast

import checkdmarc.utils
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset
import spf

from apps.dnscheck.answers import Answer, Status
from apps.dnscheck.resolver import lookup


class _NoCache:
    """checkdmarc keeps a process-wide cache keyed by name only (not by nameserver); ours is the
    Django cache, keyed by nameserver too, so theirs is switched off."""

    def get(self, key: Any, default: Any = None) -> Any:
        return default

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


checkdmarc.utils.DNS_CACHE = _NoCache()


class WrappedResolver(dns.resolver.Resolver):
    """A dnspython Resolver whose every `resolve()` goes through `lookup()`."""

    def __init__(self) -> None:
        super().__init__(configure=False)
        self.nameservers = ["127.0.0.1"]  # never used: resolve() below does the asking
        self.failures: list[Answer] = []

    def resolve(
        self,
        qname: dns.name.Name | str,
        rdtype: dns.rdatatype.RdataType | str = dns.rdatatype.A,
        rdclass: Any = dns.rdataclass.IN,
        tcp: bool = False,
        source: Any = None,
        raise_on_no_answer: bool = True,
        source_port: int = 0,
        lifetime: float | None = None,
        search: bool | None = None,
    ) -> dns.resolver.Answer:
        name = qname.to_text() if isinstance(qname, dns.name.Name) else str(qname)
        rdtype_text = rdtype if isinstance(rdtype, str) else dns.rdatatype.to_text(rdtype)
        answer = lookup(name, rdtype_text)
        return to_dnspython(answer, raise_on_no_answer=raise_on_no_answer, failures=self.failures)


def to_dnspython(
    answer: Answer, *, raise_on_no_answer: bool = True, failures: list[Answer] | None = None
) -> dns.resolver.Answer:
    """Our `Answer` as dnspython's (raising dnspython's exceptions for empty or failed ones)."""
    qname = dns.name.from_text(answer.qname)
    rdtype = dns.rdatatype.from_text(answer.rdtype)
    query = dns.message.make_query(qname, rdtype)
    if answer.failed or answer.status is Status.INVALID:
        if failures is not None:
            failures.append(answer)
        if answer.status is Status.TIMEOUT:
            raise dns.resolver.LifetimeTimeout(timeout=0.0, errors=[])
        raise dns.resolver.NoNameservers(request=query, errors=[])
    if answer.status is Status.NXDOMAIN:
        raise dns.resolver.NXDOMAIN(qnames=[qname], responses={})
    response = dns.message.make_response(query)
    owner = qname
    if answer.canonical_name:
        canonical = dns.name.from_text(answer.canonical_name)
        response.answer.append(
            dns.rrset.from_text_list(qname, answer.ttl, "IN", "CNAME", [canonical.to_text()])
        )
        owner = canonical
    if answer.records:
        response.answer.append(
            dns.rrset.from_text_list(owner, answer.ttl, "IN", rdtype, list(answer.records))
        )
    elif raise_on_no_answer:
        raise dns.resolver.NoAnswer(response=response)
    # A message built in memory has no rrset index; one read from the wire has.
    parsed = cast(dns.message.QueryMessage, dns.message.from_wire(response.to_wire()))
    return dns.resolver.Answer(qname, rdtype, dns.rdataclass.IN, parsed)


def _pyspf_lookup(
    name: str, qtype: str, strict: Any = True, timeout: float | None = None
) -> list[tuple[tuple[str, str], Any]]:
    """pyspf's DNSLookup contract: [((name, type), value), …]; [] for no records; TempError when
    we could not check."""
    answer = lookup(name, qtype)
    if answer.failed:
        raise spf.TempError(f"DNS {answer.detail}")
    if not answer.ok:
        return []
    values: list[tuple[tuple[str, str], Any]] = []
    for rdata in answer.rdatas():
        if qtype in ("A", "AAAA"):
            values.append(((name, qtype), rdata.address))  # type: ignore[attr-defined]
        elif qtype == "MX":
            values.append(((name, qtype), (rdata.preference, rdata.exchange)))  # type: ignore[attr-defined]
        elif qtype == "PTR":
            values.append(((name, qtype), rdata.target.to_text(True)))  # type: ignore[attr-defined]
        elif qtype in ("TXT", "SPF"):
            values.append(((name, qtype), rdata.strings))  # type: ignore[attr-defined]
    return values


spf.DNSLookup = _pyspf_lookup
