"""Per-client rate limits, counted in the shared cache (Redis in production).

The limits are settings read from the environment, looked up on each request so that tests and
operators can change them without code.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit


def _setting(name: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, name))

    return rate


def api_rate_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """`API_RATE_LIMIT` per client address on the JSON API (429 when exceeded)."""
    return ratelimit(key="ip", rate=_setting("API_RATE_LIMIT"), group="api", block=True)(view)


def dns_rate_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """`DNS_RATE_LIMIT` per client address and per action (each view its own counter) on
    anything that triggers DNS lookups: opening the instructions many times must not stop IT
    ticking steps off."""
    return ratelimit(key="ip", rate=_setting("DNS_RATE_LIMIT"), block=True)(view)


def profile_create_rate_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """`PROFILE_CREATE_RATE_LIMIT` new profiles per client address (POSTs to /start/)."""
    return ratelimit(
        key="ip",
        rate=_setting("PROFILE_CREATE_RATE_LIMIT"),
        group="profile_create",
        method="POST",
        block=True,
    )(view)
