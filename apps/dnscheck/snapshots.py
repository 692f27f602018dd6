"""Stored snapshots of the platform's IP ranges.

Reads (`latest_ips`) never ask DNS and never write: the latest snapshot, marked stale once it
is over an hour old or older than the facts, with its age for the page to show. Refreshing is
a write of its own (`refresh`, `refresh_if_due`), done by the `refresh_platform_ips` command and
by the services that look DNS up on a customer's request, one at a time under a lock in the
shared cache that outlives a failed attempt by REFRESH_RETRY: during a DNS outage nobody waits
on DNS again for it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.dnscheck.deadline import overall_deadline
from apps.policies.types import PlatformInfo, PlatformIPs
from apps.policies.wording import age
from apps.sending.models import PlatformFacts, PlatformIPSnapshot

logger = logging.getLogger("safelist.dns")

FRESH_FOR = timedelta(hours=1)
# After a refresh fails, the next request to try again waits at least this long.
REFRESH_RETRY = timedelta(minutes=5)


@dataclass(frozen=True)
class Refresh:
    """What one refresh did. `ips` is what callers should use (new, or the last good one)."""

    ips: PlatformIPs
    stored: bool  # a new snapshot was saved
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # why DNS could not give a complete answer
    previous_at: datetime | None = None


def facts_for(platform: PlatformInfo) -> PlatformFacts | None:
    """The stored facts record `platform` was built from (its `version` starts with the record
    id), else the active one; None when there is none."""
    pk = platform.version.split(".", 1)[0] if platform.version else ""
    queryset = PlatformFacts.objects.all()
    facts = queryset.filter(pk=int(pk)).first() if pk.isdigit() else None
    return facts or queryset.filter(is_active=True).first()


def latest(facts: PlatformFacts) -> PlatformIPSnapshot | None:
    return PlatformIPSnapshot.objects.filter(facts=facts).order_by("-resolved_at", "-id").first()


def latest_ips(platform: PlatformInfo) -> PlatformIPs:
    """The latest stored snapshot (stale when due a refresh); no DNS, no write."""
    facts = facts_for(platform)
    snapshot = latest(facts) if facts else None
    if snapshot is None:
        return PlatformIPs(stale=True)
    return _ips(snapshot, stale=not (facts and _is_fresh(snapshot, facts)))


def refresh_if_due(platform: PlatformInfo) -> PlatformIPs:
    """The latest snapshot while it is fresh, else a refresh (unless another is under way or
    failed moments ago: then the last good one, stale)."""
    ips = latest_ips(platform)
    if not ips.stale:
        return ips
    return refresh(platform).ips


def _lock_key(facts: PlatformFacts | None) -> str:
    return f"platform-ips-refresh:{facts.pk if facts else 'none'}"


def _take_refresh_turn(facts: PlatformFacts | None) -> bool:
    """True for the one request that may refresh now (cache.add is atomic across workers)."""
    try:
        return bool(cache.add(_lock_key(facts), 1, int(REFRESH_RETRY.total_seconds())))
    except Exception:  # no shared cache: the stale snapshot beats every request asking DNS
        logger.warning("platform ip refresh lock unavailable", exc_info=True)
        return False


def _end_refresh_turn(facts: PlatformFacts | None) -> None:
    """After a stored refresh the lock can go: the facts may change again at any time."""
    try:
        cache.delete(_lock_key(facts))
    except Exception:
        logger.warning("platform ip refresh lock unavailable", exc_info=True)


def _is_fresh(snapshot: PlatformIPSnapshot, facts: PlatformFacts) -> bool:
    return (
        timezone.now() - snapshot.resolved_at < FRESH_FOR
        and snapshot.resolved_at >= facts.updated_at
    )


def refresh(platform: PlatformInfo) -> Refresh:
    """Resolve from DNS now and store a snapshot when the answer is complete; one refresh at a
    time across workers (a caller that finds one under way gets the last good snapshot)."""
    facts = facts_for(platform)
    previous = latest(facts) if facts else None
    if not _take_refresh_turn(facts):
        return Refresh(
            ips=_ips(previous, stale=True) if previous else PlatformIPs(stale=True),
            stored=False,
            problems=("another refresh is under way, or one failed moments ago",),
            previous_at=previous.resolved_at if previous else None,
        )
    result = _resolve_and_store(platform, facts, previous)
    if result.stored:
        _end_refresh_turn(facts)
    return result


def _resolve_and_store(
    platform: PlatformInfo, facts: PlatformFacts | None, previous: PlatformIPSnapshot | None
) -> Refresh:
    # dnspython and checkdmarc load with the first refresh (see apps.dnscheck.facade).
    from apps.dnscheck import platform_ips

    with overall_deadline():
        resolution = platform_ips.resolve(platform)
    ranges = resolution.ranges
    if not resolution.complete or not ranges:
        problems = tuple(resolution.problems) or ("DNS gave no addresses for the platform",)
        logger.warning(
            "platform ip refresh failed",
            extra={"domain": platform.spf_include, "rdtype": "TXT", "status": "incomplete"},
        )
        ips = _ips(previous, stale=True) if previous else PlatformIPs(stale=True)
        return Refresh(
            ips=ips,
            stored=False,
            problems=problems,
            previous_at=previous.resolved_at if previous else None,
        )
    before = set(previous.ranges) if previous else set()
    added = tuple(r for r in ranges if r not in before)
    removed = tuple(r for r in (previous.ranges if previous else ()) if r not in set(ranges))
    now = timezone.now()
    if facts is None:
        return Refresh(ips=PlatformIPs(ranges=ranges, resolved_at=now), stored=False)
    with transaction.atomic():
        PlatformIPSnapshot.objects.create(
            facts=facts,
            ranges=list(ranges),
            sources={cidr: resolution.sources[cidr] for cidr in ranges},
            resolved_at=now,
        )
    return Refresh(
        ips=PlatformIPs(ranges=ranges, resolved_at=now),
        stored=True,
        added=added if previous else ranges,
        removed=removed,
        previous_at=previous.resolved_at if previous else None,
    )


def _ips(snapshot: PlatformIPSnapshot, *, stale: bool) -> PlatformIPs:
    return PlatformIPs(ranges=tuple(snapshot.ranges), resolved_at=snapshot.resolved_at, stale=stale)


def describe_age(resolved_at: datetime | None, *, now: datetime | None = None) -> str:
    """'resolved 3 hours ago' — for showing how old a stale snapshot is."""
    if resolved_at is None:
        return "never resolved"
    return f"resolved {age(resolved_at, now=now or timezone.now())}"
