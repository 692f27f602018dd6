"""Ingesting a delivery log: parse, classify, link retries, add to the hourly counts.

Resumable and idempotent: work is committed in batches, each in one transaction with the byte
offset it reached, so a crash or a second run of the same file never counts a line twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, Field, Model, PositiveIntegerField

from apps.delivery import stats
from apps.delivery.classify import Control, classify, retried_control
from apps.delivery.models import (
    LINK_WINDOW,
    DomainHour,
    IngestSource,
    NotificationLink,
    PendingMessage,
)
from apps.delivery.parsing import CHUNK_BYTES, Attempt, Format, Parsed, Readable, parse_stream

BATCH_LINES = 20_000
FINGERPRINT_BYTES = 4096


@dataclass
class IngestCounts:
    read: int = 0  # every line seen, duplicates included
    ingested: int = 0  # delivery attempts (and expiries) added to the counts
    ignored: int = 0  # well-formed lines that are not an attempt (other Postfix lines, echoes)
    skipped: int = 0  # unreadable lines: not in the format, not UTF-8, over the size cap
    duplicates: int = 0  # lines already ingested by an earlier run
    # The platform's own DSNs: Postfix's bounce lines and the DSNs' delivery lines, linked to
    # the original message by queue id and not counted as recipient mail.
    notifications: int = 0


@dataclass
class _Hour:
    attempts: int = 0
    delivered: int = 0
    deferred: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    delays: dict[str, int] = field(default_factory=dict)
    gateways: dict[str, int] = field(default_factory=dict)


def _bump(counts: dict[str, int], key: str, by: int = 1) -> None:
    counts[key] = counts.get(key, 0) + by


class _Prefixed:
    """A stream with bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1, /) -> bytes:
        if size < 0:
            taken, self._head = self._head, b""
            return taken + self._rest.read()
        if self._head:
            taken, self._head = self._head[:size], self._head[size:]
            return taken
        return self._rest.read(size)


def fingerprint_of(head: bytes) -> str:
    """The first line (up to FINGERPRINT_BYTES) names the file: a syslog first line carries a
    time stamp and a process id, so two logs practically never share it."""
    first = head.split(b"\n", 1)[0][:FINGERPRINT_BYTES]
    return hashlib.sha256(first).hexdigest()


def _skip_to(stream: _Prefixed, offset: int) -> tuple[int, int]:
    """Read past the first `offset` bytes; (bytes read, lines among them)."""
    done = lines = 0
    while done < offset and (chunk := stream.read(min(CHUNK_BYTES, offset - done))):
        done += len(chunk)
        lines += chunk.count(b"\n")
    return done, lines


def ingest(stream: Readable, fmt: Format, *, name: str, year: int) -> IngestCounts:
    """Read `stream` to the end and add what is new to the hourly counts."""
    counts = IngestCounts()
    head = stream.read(FINGERPRINT_BYTES)
    if not head:
        return counts
    source, _ = IngestSource.objects.get_or_create(
        fingerprint=fingerprint_of(head), defaults={"name": name}
    )
    prefixed = _Prefixed(head, stream)
    start, duplicate_lines = _skip_to(prefixed, source.offset)
    counts.read += duplicate_lines
    counts.duplicates += duplicate_lines
    batch: list[Parsed] = []
    for parsed in parse_stream(prefixed, fmt, year=year, start=start):
        counts.read += 1
        if parsed.kind == "attempt":
            counts.ingested += 1  # less the DSN lines, once _commit has linked them
        else:
            setattr(counts, parsed.kind, getattr(counts, parsed.kind) + 1)
        batch.append(parsed)
        if len(batch) >= BATCH_LINES:
            _commit(source, batch, name, counts)
            batch = []
    _commit(source, batch, name, counts)
    return counts


def _commit(source: IngestSource, batch: list[Parsed], name: str, counts: IngestCounts) -> None:
    # A last line still being written (no newline yet) that did not parse is read again next
    # time rather than lost.
    committed = [p for p in batch if p.complete or p.kind == "attempt"]
    if not committed:
        return
    with transaction.atomic():
        notifications = _apply([p.attempt for p in committed if p.attempt is not None])
        source.offset = committed[-1].end
        source.name = name
        source.save(update_fields=["offset", "name", "updated_at"])
    counts.ingested -= notifications
    counts.notifications += notifications


def _apply(attempts: list[Attempt]) -> int:
    """Add one batch of attempts to DomainHour, linking retries through PendingMessage and DSNs
    through NotificationLink; the number of DSN lines (not counted as recipient mail)."""
    if not attempts:
        return 0
    queue_ids = {a.queue_id for a in attempts if a.queue_id}
    links = {
        link.queue_id: link for link in NotificationLink.objects.filter(queue_id__in=queue_ids)
    }
    new_links: list[NotificationLink] = []
    notifications = 0
    pending: dict[tuple[str, str], PendingMessage] = {
        (p.queue_id, p.domain): p
        for p in PendingMessage.objects.select_for_update().filter(queue_id__in=queue_ids)
    }
    touched: set[tuple[str, str]] = set()
    finished: set[tuple[str, str]] = set()
    hours: dict[tuple[str, datetime], _Hour] = {}

    def hour_of(domain: str, time: datetime) -> _Hour:
        key = (domain, time.replace(minute=0, second=0, microsecond=0))
        return hours.setdefault(key, _Hour())

    for attempt in attempts:
        if attempt.status == "notified":
            # §4.1, §5: the DSN's later delivery lines carry its own queue id.
            notifications += 1
            if attempt.queue_id not in links:
                link = NotificationLink(
                    queue_id=attempt.queue_id,
                    original_queue_id=attempt.original,
                    created_at=attempt.time,
                )
                links[attempt.queue_id] = link
                new_links.append(link)
            continue
        if attempt.queue_id and attempt.queue_id in links:
            notifications += 1
            continue
        if attempt.status == "expired":
            # §4.1: the expiry line names no recipient; the deferrals before it do.
            for key, waiting in pending.items():
                if key[0] == attempt.queue_id and key not in finished:
                    control = waiting.last_control or Control.UNRECOGNISED
                    _bump(hour_of(waiting.domain, attempt.time).rejected, control)
                    finished.add(key)
            continue
        verdict = classify(status=attempt.status, reply=attempt.reply, relay=attempt.relay)
        hour = hour_of(attempt.domain, attempt.time)
        hour.attempts += 1
        _bump(hour.gateways, verdict.gateway or "")
        key = (attempt.queue_id, attempt.domain)
        message = pending.get(key) if attempt.queue_id else None
        if attempt.status == "sent":
            hour.delivered += 1
            first = message.first_attempt_at if message else attempt.time
            stats.add(hour.delays, (attempt.time - first).total_seconds())
            continue
        control = verdict.control or Control.UNRECOGNISED
        if message is not None:
            since_first = attempt.time - message.first_attempt_at
            control = retried_control(control, verdict.gateway, since_first)
        _bump(hour.deferred if attempt.status == "deferred" else hour.rejected, control)
        if attempt.status == "deferred" and attempt.queue_id:
            if message is None:
                message = PendingMessage(
                    queue_id=attempt.queue_id, domain=attempt.domain, first_attempt_at=attempt.time
                )
                pending[key] = message
            message.last_attempt_at = attempt.time
            message.last_control = control
            touched.add(key)
            finished.discard(key)

    _save_pending(pending, touched, finished)
    _save_hours(hours)
    NotificationLink.objects.bulk_create(new_links, ignore_conflicts=True)
    newest = max(a.time for a in attempts)
    PendingMessage.objects.filter(last_attempt_at__lt=newest - LINK_WINDOW).delete()
    NotificationLink.objects.filter(created_at__lt=newest - LINK_WINDOW).delete()
    return notifications


def _save_pending(
    pending: dict[tuple[str, str], PendingMessage],
    touched: set[tuple[str, str]],
    finished: set[tuple[str, str]],
) -> None:
    done = [pending[key].pk for key in finished if pending[key].pk is not None]
    for start in range(0, len(done), 500):
        PendingMessage.objects.filter(pk__in=done[start : start + 500]).delete()
    changed = [pending[key] for key in touched - finished]
    PendingMessage.objects.bulk_create([m for m in changed if m.pk is None])
    _update_rows(
        PendingMessage,
        [m for m in changed if m.pk is not None],
        ["last_attempt_at", "last_control"],
    )


HOUR_FIELDS = [
    "domain",
    "hour",
    "attempts",
    "delivered",
    "deferred",
    "rejected",
    "delays",
    "gateways",
]


def _fields(model: type[Model], names: list[str]) -> list[Field[Any, Any]]:
    found = [model._meta.get_field(name) for name in names]
    return [field for field in found if isinstance(field, Field)]


def _prepared(model: type[Model], rows: Sequence[Model], fields: list[str]) -> list[list[Any]]:
    columns = _fields(model, fields)
    plain = [isinstance(f, (CharField, PositiveIntegerField)) for f in columns]
    return [
        [
            getattr(row, field.attname)
            if is_plain
            else field.get_db_prep_save(getattr(row, field.attname), connection)
            for field, is_plain in zip(columns, plain, strict=True)
        ]
        for row in rows
    ]


def _insert_rows(model: type[Model], rows: Sequence[Model], fields: list[str]) -> None:
    """INSERT in one executemany (bulk_create compiles every value through the ORM)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in _fields(model, fields))
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 (model names)
    with connection.cursor() as cursor:
        cursor.executemany(sql, _prepared(model, rows, fields))


def _update_rows(model: type[Model], rows: Sequence[Model], fields: list[str]) -> None:
    """UPDATE … WHERE id = … for each row in one executemany: Django's bulk_update builds a CASE
    per field and row, which costs more than the whole rest of an ingest."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in _fields(model, fields))
    where = quote(str(meta.pk.column)) if meta.pk else "id"
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {where} = %s"  # noqa: S608 (names from the model)
    params = [
        [*values, row.pk] for values, row in zip(_prepared(model, rows, fields), rows, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _save_hours(hours: dict[tuple[str, datetime], _Hour]) -> None:
    domains = {domain for domain, _ in hours}
    stamps = {stamp for _, stamp in hours}
    existing = {
        (row.domain, row.hour): row
        for row in DomainHour.objects.select_for_update().filter(
            domain__in=domains, hour__in=stamps
        )
    }
    new: list[DomainHour] = []
    for (domain, stamp), added in hours.items():
        row = existing.get((domain, stamp))
        if row is None:
            row = DomainHour(domain=domain, hour=stamp)
            new.append(row)
        row.attempts += added.attempts
        row.delivered += added.delivered
        for name in ("deferred", "rejected", "delays", "gateways"):
            stats.merge(getattr(row, name), getattr(added, name))
    _insert_rows(DomainHour, new, HOUR_FIELDS)
    _update_rows(
        DomainHour,
        [row for key, row in existing.items() if key in hours],
        HOUR_FIELDS[2:],
    )
