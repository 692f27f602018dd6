"""The client's address, one answer for the rate limits and the staff lock-out alike.

Behind `TRUSTED_PROXY_COUNT` proxies (DJANGO_PROXY_COUNT), each proxy appends the address it was
connected from to X-Forwarded-For, so the client's address is the count-th entry from the right;
anything further left came from the client and may be forged. With no proxy it is the
connection's own address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
        if forwarded:
            candidate = forwarded[-min(count, len(forwarded))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote
