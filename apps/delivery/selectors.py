"""Reads of the hourly delivery counts for the support console."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apps.delivery import stats
from apps.delivery.models import DomainHour


@dataclass
class DomainSummary:
    domain: str
    start: datetime
    end: datetime  # exclusive
    hours: list[DomainHour]
    attempts: int = 0
    delivered: int = 0
    deferred: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    gateways: dict[str, int] = field(default_factory=dict)
    median_delay: int | None = None
    p95_delay: int | None = None

    @property
    def controls(self) -> list[tuple[str, int, int]]:
        """(control, deferred, rejected), most attempts first."""
        names = set(self.deferred) | set(self.rejected)
        rows = [(n, self.deferred.get(n, 0), self.rejected.get(n, 0)) for n in names]
        return sorted(rows, key=lambda row: (-(row[1] + row[2]), row[0]))


def latest_hour(domain: str) -> datetime | None:
    row = DomainHour.objects.filter(domain=domain).order_by("-hour").only("hour").first()
    return row.hour if row else None


def domain_summary(domain: str, *, end: datetime, days: int) -> DomainSummary:
    """The `days` before `end` (an hour boundary, exclusive) for one recipient domain."""
    start = end - timedelta(days=days)
    hours = list(DomainHour.objects.filter(domain=domain, hour__gte=start, hour__lt=end))
    summary = DomainSummary(domain=domain, start=start, end=end, hours=hours)
    delays: dict[str, int] = {}
    for row in hours:
        summary.attempts += row.attempts
        summary.delivered += row.delivered
        stats.merge(summary.deferred, row.deferred)
        stats.merge(summary.rejected, row.rejected)
        stats.merge(summary.gateways, row.gateways)
        stats.merge(delays, row.delays)
    summary.median_delay = stats.percentile(delays, 0.5)
    summary.p95_delay = stats.percentile(delays, 0.95)
    return summary
