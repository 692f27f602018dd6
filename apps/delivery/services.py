"""Ingesting a delivery log: parse, classify, link retries, add to the hourly counts.

Resumable and idempotent: work is committed in batches, each in one transaction with the byte
offset it reached, so a crash or a second run of the same file never counts a line twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from apps.delivery import stats
from apps.delivery.classify import Control, Verdict, classify_cached, retried_control
from apps.delivery.models import (
    LINK_WINDOW,
    DomainHour,
    IngestSource,
    NotificationLink,
    PendingMessage,
)
from apps.delivery.parsing import CHUNK_BYTES, Attempt, Format, Readable, parse_batches

BATCH_LINES = 50_000
FINGERPRINT_BYTES = 4096
# Values per IN (...) list. Each batch's look-ups are cut into lists of a few fixed lengths (see
# _in_chunks): the database driver keeps every distinct statement prepared, and a statement with
# thousands of parameters holds megabytes, so lists of ever-new lengths made memory grow with
# the size of the log.
IN_CHUNK = 512


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
    for batch in parse_batches(prefixed, fmt, year=year, start=start, size=BATCH_LINES):
        counts.read += batch.lines
        counts.ingested += len(batch.attempts)  # less the DSN lines, once _commit has linked them
        counts.ignored += batch.ignored
        counts.skipped += batch.skipped
        _commit(source, batch.attempts, batch.end, name, counts)
    return counts


def _commit(
    source: IngestSource, attempts: list[Attempt], end: int | None, name: str, counts: IngestCounts
) -> None:
    if end is None:
        return
    with transaction.atomic():
        notifications = _apply(attempts)
        source.offset = end
        source.name = name
        source.save(update_fields=["offset", "name", "updated_at"])
    counts.ingested -= notifications
    counts.notifications += notifications


def _apply(attempts: list[Attempt]) -> int:
    """Add one batch of attempts to DomainHour, linking retries through PendingMessage and DSNs
    through NotificationLink; the number of DSN lines (not counted as recipient mail).

    Plain tuples, lists and dicts throughout, no model instances: a batch is tens of thousands of
    attempts, and building and saving one ORM object each cost more than the parsing."""
    if not attempts:
        return 0
    queue_ids = {a.queue_id for a in attempts if a.queue_id}
    links: set[str] = set()
    pending: dict[tuple[str, str], _Pending] = {}
    for chunk in _in_chunks(queue_ids):
        links.update(queue_id for (queue_id,) in _rows_in(NotificationLink, ["queue_id"], chunk))
        rows = _rows_in(
            PendingMessage,
            ["id", "queue_id", "domain", "first_attempt_at", "last_control"],
            chunk,
            lock=True,
        )
        pending.update(
            ((queue_id, domain), _Pending(pk, _aware(first), last_control))
            for pk, queue_id, domain, first, last_control in rows
        )
    adapt_time = connection.ops.adapt_datetimefield_value
    new_links: list[list[Any]] = []
    notifications = 0
    # The expiry line names only the queue id: the pending recipients of each queue id.
    waiting_by_queue: dict[str, list[tuple[str, str]]] = {}
    for key in pending:
        waiting_by_queue.setdefault(key[0], []).append(key)
    touched: set[tuple[str, str]] = set()
    finished: set[tuple[str, str]] = set()
    # Hours are numbered (hours since the epoch) while the batch counts: cheaper than a datetime
    # per attempt; _save_hours turns each distinct number into its datetime once.
    hours: dict[tuple[str, int], _Hour] = {}
    verdicts: dict[tuple[str, str, str], Verdict] = {}

    def hour_of(domain: str, time: datetime) -> _Hour:
        key = (domain, int(time.timestamp()) // 3600)
        hour = hours.get(key)
        if hour is None:
            hour = hours[key] = _Hour()
        return hour

    for attempt in attempts:
        time, status, domain, relay, _dsn, reply, queue_id, original = attempt
        if status == "notified":
            # §4.1, §5: the DSN's later delivery lines carry its own queue id.
            notifications += 1
            if queue_id not in links:
                links.add(queue_id)
                new_links.append([queue_id, original, adapt_time(time)])
            continue
        if queue_id and queue_id in links:
            notifications += 1
            continue
        if status == "expired":
            # §4.1: the expiry line names no recipient; the deferrals before it do.
            for key in waiting_by_queue.get(queue_id, ()):
                if key not in finished:
                    control = pending[key].last_control or Control.UNRECOGNISED
                    _bump(hour_of(key[1], time).rejected, control)
                    finished.add(key)
            continue
        verdict = verdicts.get((status, reply, relay))
        if verdict is None:
            verdict = verdicts[status, reply, relay] = classify_cached(status, reply, relay)
        hour = hour_of(domain, time)
        hour.attempts += 1
        gateways = hour.gateways
        gateway = verdict.gateway or ""
        gateways[gateway] = gateways.get(gateway, 0) + 1
        key = (queue_id, domain)
        message = pending.get(key) if queue_id else None
        if status == "sent":
            hour.delivered += 1
            delays = hour.delays
            if message is None:
                delays["0"] = delays.get("0", 0) + 1  # delivered at the first attempt
            else:
                stats.add(delays, (time - message.first_attempt_at).total_seconds())
            continue
        control = verdict.control or Control.UNRECOGNISED
        if message is not None:
            control = retried_control(control, verdict.gateway, time - message.first_attempt_at)
        _bump(hour.deferred if status == "deferred" else hour.rejected, control)
        if status == "deferred" and queue_id:
            if message is None:
                message = pending[key] = _Pending(None, time, "")
                waiting_by_queue.setdefault(queue_id, []).append(key)
            message.last_attempt_at = time
            message.last_control = control
            touched.add(key)
            finished.discard(key)

    _save_pending(pending, touched, finished)
    _save_hours(hours)
    _execute_many(
        NotificationLink,
        "INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
        ["queue_id", "original_queue_id", "created_at"],
        new_links,
    )
    newest = max(a.time for a in attempts)
    PendingMessage.objects.filter(last_attempt_at__lt=newest - LINK_WINDOW).delete()
    NotificationLink.objects.filter(created_at__lt=newest - LINK_WINDOW).delete()
    return notifications


def _rows_in(
    model: type[Model], columns: list[str], queue_ids: list[str], *, lock: bool = False
) -> list[tuple[Any, ...]]:
    """`columns` of the rows whose queue_id is one of `queue_ids`, in plain SQL: the ORM's
    preparation of each value of a long IN list cost more than the query (this runs for every
    queue id of a log)."""
    quote = connection.ops.quote_name
    # PostgreSQL takes the list as one array: a long IN list cost it more to read and plan
    # than to answer.
    postgres = connection.vendor == "postgresql"
    sql = "SELECT {} FROM {} WHERE {} {}{}".format(  # noqa: S608 - names from the model, values as parameters
        ", ".join(quote(column) for column in columns),
        quote(model._meta.db_table),
        quote("queue_id"),
        "= ANY(%s)" if postgres else f"IN ({', '.join(['%s'] * len(queue_ids))})",
        " FOR UPDATE" if lock and connection.features.has_select_for_update else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [queue_ids] if postgres else queue_ids)
        return cursor.fetchall()


def _aware(value: datetime | str) -> datetime:
    """A DateTimeField read in plain SQL: SQLite gives the stored UTC text, PostgreSQL a
    datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_chunks[V: (str, int)](values: set[V]) -> Iterator[list[V]]:
    """`values` as lists for IN (...) look-ups, each IN_CHUNK long or, for the rest, the next
    power of two (the last value repeated): a handful of statement shapes whatever the batch."""
    ordered = sorted(values)
    for start in range(0, len(ordered), IN_CHUNK):
        chunk = ordered[start : start + IN_CHUNK]
        size = 16
        while size < len(chunk):
            size *= 2
        yield chunk + [chunk[-1]] * (size - len(chunk))


@dataclass
class _Pending:
    """A PendingMessage row as the batch sees it (pk None until it is inserted)."""

    pk: int | None
    first_attempt_at: datetime
    last_control: str
    last_attempt_at: datetime | None = None


def _save_pending(
    pending: dict[tuple[str, str], _Pending],
    touched: set[tuple[str, str]],
    finished: set[tuple[str, str]],
) -> None:
    done = {pk for key in finished if (pk := pending[key].pk) is not None}
    for chunk in _in_chunks(done):
        PendingMessage.objects.filter(pk__in=chunk).delete()
    stamp = connection.ops.adapt_datetimefield_value
    inserts: list[list[Any]] = []
    updates: list[list[Any]] = []
    for key in touched - finished:
        message = pending[key]
        if message.pk is None:
            queue_id, domain = key
            first = stamp(message.first_attempt_at)
            inserts.append(
                [queue_id, domain, first, stamp(message.last_attempt_at), message.last_control]
            )
        else:
            updates.append([stamp(message.last_attempt_at), message.last_control, message.pk])
    _insert(
        PendingMessage,
        ["queue_id", "domain", "first_attempt_at", "last_attempt_at", "last_control"],
        inserts,
    )
    _execute_many(
        PendingMessage,
        "UPDATE {table} SET {assignments} WHERE {pk} = %s",
        ["last_attempt_at", "last_control"],
        updates,
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
_HOUR_COUNTS = HOUR_FIELDS[2:]


def _columns(model: type[Model], fields: list[str]) -> list[str]:
    found = [model._meta.get_field(name) for name in fields]
    return [
        connection.ops.quote_name(str(field.column)) for field in found if isinstance(field, Field)
    ]


def _insert(model: type[Model], fields: list[str], rows: list[list[Any]]) -> None:
    """New rows of already adapted values. PostgreSQL takes them through COPY: an executemany
    there is a statement per row, each value dumped through the driver's Python, and the
    ingest waited on it more than it worked."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        _execute_many(model, "INSERT INTO {table} ({columns}) VALUES ({marks})", fields, rows)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    statement = f"COPY {table} ({', '.join(_columns(model, fields))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _execute_many(
    model: type[Model], template: str, fields: list[str], rows: list[list[Any]]
) -> None:
    """One executemany of `template` over rows of already adapted values (Django's bulk_create
    and bulk_update compile every value through the ORM, which costs more than the ingest)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = _columns(model, fields)
    sql = template.format(
        table=quote(meta.db_table),
        columns=", ".join(columns),
        marks=", ".join(["%s"] * len(columns)),
        assignments=", ".join(f"{column} = %s" for column in columns),
        pk=quote(str(meta.pk.column)) if meta.pk else "id",
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _save_hours(numbered: dict[tuple[str, int], _Hour]) -> None:
    if not numbered:
        return
    starts = {number: datetime.fromtimestamp(number * 3600, UTC) for _, number in numbered}
    hours = {(domain, starts[number]): added for (domain, number), added in numbered.items()}
    stamps = set(starts.values())
    first, last = min(stamps), max(stamps)
    existing: dict[tuple[str, datetime], tuple[Any, ...]] = {}
    for chunk in _in_chunks({domain for domain, _ in hours}):
        existing.update(
            ((row[1], row[2]), row)
            for row in DomainHour.objects.select_for_update()
            .filter(domain__in=chunk, hour__range=(first, last))
            .values_list("pk", *HOUR_FIELDS)
            if (row[1], row[2]) in hours
        )
    encoded: dict[tuple[tuple[str, int], ...], Any] = {}

    def adapt_json(value: dict[str, int], encoder: None) -> Any:
        # An hour's counts are a few small dicts, and the same ones again and again
        # ({"0": 1}, {"mimecast": 1}, {}): each is encoded once.
        key = tuple(value.items())
        adapted = encoded.get(key)
        if adapted is None:
            adapted = encoded[key] = connection.ops.adapt_json_value(value, encoder)
        return adapted

    adapted_stamps = {stamp: connection.ops.adapt_datetimefield_value(stamp) for stamp in stamps}
    inserts: list[list[Any]] = []
    updates: list[list[Any]] = []
    for (domain, stamp), added in hours.items():
        row = existing.get((domain, stamp))
        if row is None:
            inserts.append(
                [
                    domain,
                    adapted_stamps[stamp],
                    added.attempts,
                    added.delivered,
                    adapt_json(added.deferred, None),
                    adapt_json(added.rejected, None),
                    adapt_json(added.delays, None),
                    adapt_json(added.gateways, None),
                ]
            )
            continue
        pk, _, _, attempts, delivered, deferred, rejected, delays, gateways = row
        stats.merge(deferred, added.deferred)
        stats.merge(rejected, added.rejected)
        stats.merge(delays, added.delays)
        stats.merge(gateways, added.gateways)
        updates.append(
            [
                attempts + added.attempts,
                delivered + added.delivered,
                adapt_json(deferred, None),
                adapt_json(rejected, None),
                adapt_json(delays, None),
                adapt_json(gateways, None),
                pk,
            ]
        )
    _insert(DomainHour, HOUR_FIELDS, inserts)
    _execute_many(
        DomainHour, "UPDATE {table} SET {assignments} WHERE {pk} = %s", _HOUR_COUNTS, updates
    )
