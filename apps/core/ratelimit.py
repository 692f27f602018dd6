"""Per-client rate limits, counted in the shared cache (Redis in production).

The limits are settings read from the environment, looked up on each request so that tests and
operators can change them without code. A refusal raises `RateLimited`, which carries how long
until the client's window ends, so the answer can say "try again in 40 seconds".
"""

import functools
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


class RateLimited(Ratelimited):
    """A tripped limit, with the seconds until the client may try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = max(1, retry_after)


def retry_words(seconds: int) -> str:
    """'try again in 40 seconds' / 'try again in 2 minutes'."""
    if seconds < 90:
        return f"try again in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"try again in {minutes} minutes"


def _setting(name: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, name))

    return rate


def _limit(
    view: Callable[..., HttpResponse],
    *,
    setting: str,
    group: str,
    method: str | None = None,
    free: Callable[..., bool] | None = None,
) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if method is None or request.method == method:
            increment = not (free is not None and free(request, *args, **kwargs))
            usage = get_usage(
                request,
                group=group,
                key="ip",
                rate=str(getattr(settings, setting)),
                increment=increment,
            )
            if usage is not None and usage["should_limit"]:
                raise RateLimited(int(usage["time_left"]))
        return view(request, *args, **kwargs)

    return limited


def api_rate_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """`API_RATE_LIMIT` per client address on the JSON API (429 when exceeded)."""
    return _limit(view, setting="API_RATE_LIMIT", group="api")


def dns_rate_limit(
    view: Callable[..., Any] | None = None,
    *,
    group: str = "",
    free: Callable[..., bool] | None = None,
) -> Any:
    """`DNS_RATE_LIMIT` per client address and per action (each view its own counter, or the
    `group` several views share) on anything that triggers DNS lookups: opening the instructions
    many times must not stop IT ticking steps off. `free(request, ...)` says a request looks up
    nothing new (its answers were just fetched), so it does not count."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        name = group or f"{func.__module__}.{func.__qualname__}"
        return _limit(func, setting="DNS_RATE_LIMIT", group=name, free=free)

    return decorate(view) if view is not None else decorate


def profile_create_rate_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """`PROFILE_CREATE_RATE_LIMIT` new profiles per client address (POSTs to /start/)."""
    return _limit(view, setting="PROFILE_CREATE_RATE_LIMIT", group="profile_create", method="POST")
