"""Hourly counts per recipient domain: linking retries, idempotent re-reads, privacy."""

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from apps.delivery import services
from apps.delivery.models import DomainHour, IngestSource, PendingMessage
from apps.delivery.stats import percentile
from tests.delivery.helpers import GREYLIST_REPLY, SPOOF_REPLY, expired, ingest_text, line

pytestmark = pytest.mark.django_db

GREYLISTED_THEN_SENT = (
    "\n".join(
        [
            line("09:00:02", "4T0xQk1Zb2", "jane@customer.example", "deferred", GREYLIST_REPLY),
            line("09:14:02", "4T0xQk1Zb2", "jane@customer.example", "sent", "250 Ok"),
            line("09:20:00", "5B1yRl2Ac3", "ops@customer.example", "bounced", SPOOF_REPLY),
            line("09:30:00", "6C2zSm3Bd4", "bob@customer.example", "sent", "250 Ok"),
        ]
    )
    + "\n"
)


def _row(domain: str = "customer.example", hour: int = 9) -> DomainHour:
    return DomainHour.objects.get(domain=domain, hour=datetime(2026, 11, 28, hour, tzinfo=UTC))


def test_a_deferral_then_delivery_is_one_message_with_its_delay() -> None:
    counts = ingest_text(GREYLISTED_THEN_SENT)
    assert (counts.read, counts.ingested, counts.skipped, counts.duplicates) == (4, 4, 0, 0)
    row = _row()
    assert row.attempts == 4
    assert row.delivered == 2
    assert row.deferred == {"greylisting": 1}
    assert row.rejected == {"anti_spoofing": 1}
    assert row.gateways == {"mimecast": 4}
    # 14 min for the greylisted message, 0 for the one delivered at once.
    assert row.delays == {"840": 1, "0": 1}
    assert percentile(row.delays, 0.5) == 0
    assert percentile(row.delays, 0.95) == 840


def test_retries_are_linked_across_runs_and_hours() -> None:
    ingest_text(line("09:50:00", "Q1", "a@org.example", "deferred", GREYLIST_REPLY) + "\n")
    assert PendingMessage.objects.count() == 1
    ingest_text(line("11:05:00", "Q1", "a@org.example", "sent", "250 Ok") + "\n", name="next.log")
    assert _row("org.example", 11).delays == {"4500": 1}  # 75 minutes
    assert _row("org.example", 9).deferred == {"greylisting": 1}


def test_an_expiry_is_counted_as_a_rejection_by_the_last_control() -> None:
    ingest_text(
        line("09:00:00", "Q2", "a@org.example", "deferred", GREYLIST_REPLY)
        + "\n"
        + expired("12:05:11", "Q2")
        + "\n"
    )
    row = DomainHour.objects.get(domain="org.example", hour=datetime(2026, 12, 3, 12, tzinfo=UTC))
    assert row.rejected == {"greylisting": 1}
    assert row.attempts == 0
    assert not PendingMessage.objects.exists()


def _sent_on(stamp: str, qid: str) -> str:
    return (
        f"{stamp} ms7 postfix/smtp[1]: {qid}: to=<b@org.example>, relay=x.example[192.0.2.1]:25, "
        "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)\n"
    )


def test_pending_messages_are_purged_after_the_link_up_window() -> None:
    ingest_text(line("09:00:00", "OLD", "a@org.example", "deferred", GREYLIST_REPLY) + "\n")
    ingest_text(_sent_on("Dec  3 09:59:59", "NEW"), name="later.log")  # 5 d 59 min 59 s later
    assert PendingMessage.objects.filter(queue_id="OLD").exists()
    ingest_text(_sent_on("Dec  3 10:00:01", "NEWER"), name="even-later.log")
    assert not PendingMessage.objects.filter(queue_id="OLD").exists()


def test_reading_the_same_log_twice_adds_nothing() -> None:
    ingest_text(GREYLISTED_THEN_SENT)
    again = ingest_text(GREYLISTED_THEN_SENT, name="renamed.log")
    assert (again.read, again.ingested, again.duplicates) == (4, 0, 4)
    assert _row().attempts == 4
    assert IngestSource.objects.get().offset == len(GREYLISTED_THEN_SENT.encode())


def test_a_log_that_grew_is_read_from_where_the_last_run_stopped() -> None:
    first, rest = GREYLISTED_THEN_SENT.split("\n", 2)[:2], GREYLISTED_THEN_SENT.split("\n", 2)[2]
    ingest_text("\n".join(first) + "\n")
    grown = ingest_text(GREYLISTED_THEN_SENT)
    assert (grown.duplicates, grown.ingested) == (2, 2)
    assert _row().attempts == 4
    assert rest


def test_a_half_written_last_line_is_read_again_next_time() -> None:
    whole = line("09:30:00", "Q3", "a@org.example", "sent", "250 Ok")
    first = ingest_text(whole + "\n" + whole[:60])
    assert (first.ingested, first.skipped) == (1, 1)
    second = ingest_text(whole + "\n" + whole.replace("Q3", "Q4") + "\n")
    assert (second.duplicates, second.ingested, second.skipped) == (1, 1, 0)
    assert _row("org.example").delivered == 2


def test_a_crash_mid_file_keeps_the_committed_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "BATCH_LINES", 2)
    lines = [line(f"09:0{i}:00", f"Q{i}", "a@org.example", "sent", "250 Ok") for i in range(6)]
    calls = 0
    original = services._apply

    def failing_apply(attempts: list) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return original(attempts)

    monkeypatch.setattr(services, "_apply", failing_apply)
    with pytest.raises(RuntimeError):
        ingest_text("\n".join(lines) + "\n")
    assert _row("org.example").delivered == 2
    monkeypatch.setattr(services, "_apply", original)
    resumed = ingest_text("\n".join(lines) + "\n")
    assert (resumed.duplicates, resumed.ingested) == (2, 4)
    assert _row("org.example").delivered == 6


def test_a_jsonl_log_is_counted_the_same_way() -> None:
    text = (
        '{"time": "2026-11-28T09:00:00Z", "recipient": "a@org.example", "relay": '
        '"eu-smtp-inbound-1.mimecast.com", "dsn": "4.0.0", "queue_id": "J1", "reply": '
        '"451 Internal resource temporarily unavailable"}\n'
        '{"time": "2026-11-28T09:06:00Z", "recipient": "a@org.example", "dsn": "2.0.0", '
        '"queue_id": "J1", "reply": "250 Ok"}\n'
        "garbage\n"
    )
    counts = ingest_text(text, fmt="jsonl")
    assert (counts.ingested, counts.skipped) == (2, 1)
    row = _row("org.example")
    assert (row.deferred, row.delays) == ({"greylisting": 1}, {"360": 1})


def test_no_local_part_is_stored_anywhere() -> None:
    local = "zqxjanedoe"
    ingest_text(
        line("09:00:02", "P1", f"{local}@customer.example", "deferred", GREYLIST_REPLY)
        + "\n"
        + line("09:05:00", "P2", f"{local}.two@customer.example", "bounced", SPOOF_REPLY)
        + "\n"
        + line(
            "09:05:00",
            "P3",
            f"{local}@customer.example",
            "bounced",
            f"550 5.1.1 <{local}@customer.example>: User unknown",
        )
        + "\n"
    )
    assert DomainHour.objects.exists() and PendingMessage.objects.exists()
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from the ORM
            for row in cursor.fetchall():
                if local in repr(row).lower():
                    found.append(table)
    assert found == []


def test_an_empty_stream_records_nothing() -> None:
    counts = services.ingest(io.BytesIO(b""), "postfix", name="-", year=2026)
    assert counts.read == 0
    assert not IngestSource.objects.exists()


def test_the_stream_with_its_head_put_back_reads_whole_or_in_pieces() -> None:
    prefixed = services._Prefixed(b"abc", io.BytesIO(b"def"))
    assert prefixed.read(2) + prefixed.read(-1) == b"abcdef"
    assert services._Prefixed(b"abc", io.BytesIO(b"def")).read() == b"abcdef"


def test_greylisting_that_never_clears_is_counted_as_reputation_and_so_is_its_expiry() -> None:
    deferrals = [
        line(stamp, "Q9", "a@org.example", "deferred", GREYLIST_REPLY)
        for stamp in ("09:00:00", "15:00:00", "21:00:01")  # 12 h 1 s after the first
    ]
    ingest_text("\n".join([*deferrals, expired("09:00:00", "Q9")]) + "\n")
    assert _row("org.example", 9).deferred == {"greylisting": 1}
    assert _row("org.example", 15).deferred == {"greylisting": 1}
    assert _row("org.example", 21).deferred == {"reputation": 1}
    expiry = DomainHour.objects.get(domain="org.example", hour=datetime(2026, 12, 3, 9, tzinfo=UTC))
    assert expiry.rejected == {"reputation": 1}


def _notice(stamp: str, qid: str, new: str) -> str:
    return (
        f"Nov 28 {stamp} ms7 postfix/bounce[3421]: {qid}: sender non-delivery notification: {new}"
    )


def test_a_bounce_notice_links_the_dsn_to_its_message_across_runs() -> None:
    from apps.delivery.models import NotificationLink

    first = ingest_text(
        line("09:20:00", "5B1yRl2Ac3", "ops@customer.example", "bounced", SPOOF_REPLY)
        + "\n"
        + _notice("09:20:00", "5B1yRl2Ac3", "6C2zSm3Bd4")
        + "\n",
        name="one.log",
    )
    # The DSN's delivery to the platform's bounce address comes in a later log.
    second = ingest_text(
        line("09:20:01", "6C2zSm3Bd4", "bounce@bounce.example.net", "deferred", GREYLIST_REPLY)
        + "\n"
        + line("09:25:01", "6C2zSm3Bd4", "bounce@bounce.example.net", "sent", "250 Ok")
        + "\n"
        + line("09:26:00", "7D3aTn4Ce5", "bob@bounce.example.net", "sent", "250 Ok")
        + "\n",
        name="two.log",
    )
    assert (first.ingested, first.notifications) == (1, 1)
    assert (second.ingested, second.notifications) == (1, 2)
    link = NotificationLink.objects.get(queue_id="6C2zSm3Bd4")
    assert link.original_queue_id == "5B1yRl2Ac3"
    assert _row().rejected == {"anti_spoofing": 1}
    other = _row("bounce.example.net")  # only the message that was not a DSN
    assert (other.attempts, other.delivered, other.deferred) == (1, 1, {})
    assert not PendingMessage.objects.filter(queue_id="6C2zSm3Bd4").exists()


def test_notification_links_are_purged_after_the_link_up_window() -> None:
    from apps.delivery.models import NotificationLink

    ingest_text(_notice("09:20:00", "5B1yRl2Ac3", "6C2zSm3Bd4") + "\n", name="one.log")
    later = line("09:00:00", "X1", "a@org.example", "sent", "250 Ok").replace("Nov 28", "Dec 28")
    ingest_text(later + "\n", name="two.log")
    assert not NotificationLink.objects.exists()


class _GigabyteLine:
    """A stream of a good line, one 1 GiB line and another good line, made as it is read: the
    gigabyte is never in memory."""

    BLOCK = b"x" * 65_536

    def __init__(self, before: bytes, after: bytes, size: int = 1024**3) -> None:
        self.parts = [before, None, b"\n" + after]
        self.left = size

    def read(self, size: int = -1, /) -> bytes:
        while self.parts:
            part = self.parts[0]
            if part is None:
                if self.left == 0:
                    self.parts.pop(0)
                    continue
                take = min(self.left, len(self.BLOCK), size if size > 0 else len(self.BLOCK))
                self.left -= take
                return self.BLOCK[:take]
            if size < 0 or size >= len(part):
                self.parts.pop(0)
                if part:
                    return part
                continue
            self.parts[0] = part[size:]
            return part[:size]
        return b""


def test_a_gigabyte_line_is_counted_as_skipped_in_flat_memory_and_the_rest_kept() -> None:
    import tracemalloc

    good = line("09:00:00", "G1", "a@org.example", "sent", "250 Ok").encode() + b"\n"
    after = line("09:01:00", "G2", "b@org.example", "sent", "250 Ok").encode() + b"\n"
    tracemalloc.start()
    try:
        counts = services.ingest(_GigabyteLine(good, after), "postfix", name="gb", year=2026)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (counts.read, counts.ingested, counts.skipped) == (3, 2, 1)
    assert _row("org.example").delivered == 2
    assert peak < 16 * 1024 * 1024  # a few chunks, not the gigabyte


def test_look_ups_use_a_few_statement_shapes_however_many_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The driver keeps each distinct statement prepared: IN lists of ever-new lengths made the
    ingest's memory grow with the log. However many batches and queue ids, a handful of shapes
    (the statements as sent, placeholders and all: the test tools' copies have the values in)."""
    monkeypatch.setattr(services, "BATCH_LINES", 37)
    # Messages deferred 0 to 4 times before delivery: each batch names a different number of
    # queue ids, so IN lists of the exact length would come in many lengths.
    lines = [
        line(f"09:{n % 60:02d}:00", f"Q{n}", f"a@org{n % 7}.example", status, reply)
        for n in range(400)
        for status, reply in [("deferred", GREYLIST_REPLY)] * (n % 5) + [("sent", "250 Ok")]
    ]
    statements: set[str] = set()

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "SAVEPOINT" not in sql:  # named afresh by each transaction
            statements.add(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        counts = ingest_text("\n".join(lines) + "\n")
    assert counts.ingested == 1200
    # 33 batches of 37 lines: with unpadded lists the look-ups come in many lengths.
    in_lists = sorted(sql for sql in statements if " IN (" in sql)
    assert len(in_lists) <= 4, in_lists
    assert sum(row.delivered for row in DomainHour.objects.all()) == 400


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 511, 512, 513, 1500])
def test_in_lists_come_in_fixed_lengths_and_hold_every_value(size: int) -> None:
    values = {f"Q{n}" for n in range(size)}
    chunks = list(services._in_chunks(values))
    assert {len(chunk) for chunk in chunks} <= {16, 32, 64, 128, 256, 512}
    assert set().union(*chunks) == values
