"""What a DNS lookup gives back (apps.dnscheck.resolver.lookup): an `Answer` with a `Status`, as
plain data that can be cached and compared. Nothing here talks to DNS."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import dns.rdata
import dns.rdataclass
import dns.rdatatype


class Status(StrEnum):
    OK = "ok"
    NXDOMAIN = "nxdomain"  # the name does not exist
    NODATA = "nodata"  # the name exists but has no records of this type
    TIMEOUT = "timeout"
    SERVFAIL = "servfail"
    REFUSED = "refused"
    MALFORMED = "malformed"  # an answer we could not read, or a CNAME loop
    TRUNCATED = "truncated"  # too large for UDP, and the TCP retry failed
    ERROR = "error"  # the server could not be reached at all
    INVALID = "invalid"  # not a valid domain name


# Statuses that say nothing about the domain itself: we could not check.
FAILURES = frozenset(
    {
        Status.TIMEOUT,
        Status.SERVFAIL,
        Status.REFUSED,
        Status.MALFORMED,
        Status.TRUNCATED,
        Status.ERROR,
    }
)


@dataclass(frozen=True)
class Answer:
    """One lookup's outcome. `records` are the rdata in presentation form, in server order."""

    qname: str  # ASCII, lower case, no trailing dot
    rdtype: str
    status: Status
    records: tuple[str, ...] = ()
    ttl: int = 0
    canonical_name: str = ""  # where CNAMEs led ("" = the qname itself)
    via_tcp: bool = False  # the UDP answer was truncated and fetched again over TCP
    detail: str = ""  # plain language, e.g. "the DNS server didn't answer within 2 s"

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def failed(self) -> bool:
        return self.status in FAILURES

    def rdatas(self) -> list[dns.rdata.Rdata]:
        rdtype = dns.rdatatype.from_text(self.rdtype)
        return [dns.rdata.from_text(dns.rdataclass.IN, rdtype, text) for text in self.records]

    def texts(self) -> list[str]:
        """TXT records with their strings joined (RFC 7208 §3.3), decoded leniently."""
        return [
            b"".join(rdata.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]
            for rdata in self.rdatas()
        ]
