"""Delay histograms: bounded buckets and nearest-rank percentiles."""

import pytest

from apps.delivery.stats import add, delay_bucket, describe, percentile


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [
        (-3, 0),
        (0, 0),
        (59.9, 59),
        (60, 60),
        (840.7, 840),
        (7199, 7140),
        (7200, 7200),
        (45_123, 45_000),
        (90_061, 90_000),
    ],
)
def test_delays_fall_into_bounded_buckets(seconds: float, bucket: int) -> None:
    assert delay_bucket(seconds) == bucket


def test_percentiles_use_the_nearest_rank() -> None:
    histogram: dict[str, int] = {}
    for seconds in [0] * 19 + [840]:
        add(histogram, seconds)
    assert histogram == {"0": 19, "840": 1}
    assert percentile(histogram, 0.5) == 0
    assert percentile(histogram, 0.95) == 0  # rank 19 of 20
    add(histogram, 900)
    assert percentile(histogram, 0.95) == 840  # rank 20 of 21
    assert percentile({}, 0.5) is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "–"), (45, "45 s"), (840, "14 min"), (7200, "2 h"), (45_000, "12 h 30 min")],
)
def test_delays_read_in_plain_units(seconds: int | None, text: str) -> None:
    assert describe(seconds) == text
