"""Run independent lookups side by side, each seeing the caller's overall deadline."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# One long-lived pool: worker threads keep their cache connections between checks.
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="dnscheck")
_in_worker = threading.local()


def _run_in_worker[T](context: contextvars.Context, call: Callable[[], T]) -> T:
    _in_worker.active = True
    try:
        return context.run(call)
    finally:
        _in_worker.active = False


def gather[T](calls: Sequence[Callable[[], T]]) -> list[T]:
    """Results in the order of `calls`. Called from inside a worker it runs them in turn, so
    nested use can never wait on its own pool."""
    if len(calls) <= 1 or getattr(_in_worker, "active", False):
        return [call() for call in calls]
    futures = [_pool.submit(_run_in_worker, contextvars.copy_context(), call) for call in calls]
    return [future.result() for future in futures]
