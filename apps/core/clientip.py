"""The client's address, one answer for the rate limits and the staff lock-out alike.

Behind `TRUSTED_PROXY_COUNT` proxies (DJANGO_PROXY_COUNT), each proxy appends the address it was
connected from to X-Forwarded-For, so the client's address is the count-th entry from the right;
anything further left came from the client and may be forged. With no proxy it is the
connection's own address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _canonical(address: str) -> str | None:
    """The address in one spelling; an IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, as a
    dual-stack socket reports IPv4 clients) as the IPv4 address it is. Otherwise the rate limits
    would mask it like IPv6 (to a /64) and put every IPv4 client in one bucket."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def client_ip(request: HttpRequest) -> str:
    """E.g. with one proxy and `X-Forwarded-For: 6.6.6.6, 198.51.100.7`: "198.51.100.7"."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a value, not a bind)
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if forwarded and (candidate := _canonical(forwarded[-min(count, len(forwarded))])):
            return candidate
    return _canonical(remote) or remote
