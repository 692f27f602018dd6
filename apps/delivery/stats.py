"""Delay histograms: bounded in size whatever the volume, exact enough to read as minutes.

A delay goes into a bucket: whole seconds under a minute, whole minutes under two hours, ten
minutes under a day, whole hours after. A median or p95 is the bucket value of that rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def delay_bucket(seconds: float) -> int:
    """840.7 → 840 (14 min); 45_123 → 45_000 (12 h 30 min)."""
    value = max(0, int(seconds))
    if value < 60:
        return value
    if value < 2 * 3600:
        return value - value % 60
    if value < 24 * 3600:
        return value - value % 600
    return value - value % 3600


def add(histogram: dict[str, int], seconds: float, count: int = 1) -> None:
    key = str(delay_bucket(seconds))  # JSON object keys are strings
    histogram[key] = histogram.get(key, 0) + count


def merge(into: dict[str, int], other: Mapping[str, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


def percentile(histogram: Mapping[str, int], fraction: float) -> int | None:
    """Nearest-rank percentile (0 < fraction ≤ 1) of a histogram; None when it is empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(round(fraction * total, 9)))  # round: 0.95 * 20 is 19.000000000000004
    seen = 0
    for key in sorted(histogram, key=int):
        seen += histogram[key]
        if seen >= rank:
            return int(key)
    raise AssertionError("unreachable: the counts add up to total")


def describe(seconds: int | None) -> str:
    """840 → '14 min'; 45 → '45 s'; 45_000 → '12 h 30 min'; None → '–'."""
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min" if rest >= 60 else f"{hours} h"
