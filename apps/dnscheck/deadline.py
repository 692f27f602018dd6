"""One DNS budget shared by every lookup inside a block (apps.dnscheck.resolver obeys it).

Kept apart from the resolver so the per-request middleware does not load dnspython.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "dns_deadline", default=None
)


@contextmanager
def overall_deadline(seconds: float | None = None) -> Iterator[float]:
    """Every lookup inside the block shares one deadline (settings.DNS_DEADLINE by default).
    Nested blocks keep the earlier deadline. Yields the absolute time.monotonic() deadline."""
    budget = float(settings.DNS_DEADLINE if seconds is None else seconds)
    outer = _deadline.get()
    ends = time.monotonic() + budget
    if outer is not None:
        ends = min(ends, outer)
    token = _deadline.set(ends)
    try:
        yield ends
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left of the current deadline (None outside any `overall_deadline` block)."""
    ends = _deadline.get()
    return None if ends is None else ends - time.monotonic()
