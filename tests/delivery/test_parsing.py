"""Reading Postfix and JSON-lines delivery logs: fields, bad input, bounded memory."""

import io
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.delivery.parsing import (
    Attempt,
    parse_jsonl,
    parse_postfix,
    parse_stream,
    read_lines,
)

# Lines from §4.4 of the SMTP replies reference (made up there in Postfix's documented format).
GREYLISTED = (
    "Nov 28 09:00:02 ms7 postfix/smtp[3310]: 4T0xQk1Zb2: to=<jane@customer.example>, "
    "relay=eu-smtp-inbound-1.mimecast.com[192.0.2.21]:25, delay=1.4, "
    "delays=0.05/0.01/0.71/0.6, dsn=4.0.0, status=deferred (host "
    "eu-smtp-inbound-1.mimecast.com[192.0.2.21] said: 451 Internal resource temporarily "
    "unavailable - https://community.mimecast.com/docs/DOC-1369#451 [aBcDeFgHiJkLmNoPqRsT.uk123]"
    " (in reply to RCPT TO command))"
)
SENT = (
    "Nov 28 09:05:32 ms7 postfix/smtp[3398]: 4T0xQk1Zb2: to=<jane@customer.example>, "
    "relay=eu-smtp-inbound-2.mimecast.com[192.0.2.22]:25, delay=331, "
    "delays=330/0.01/0.62/0.55, dsn=2.0.0, status=sent (250 Ok [made-up text])"
)
QUEUE_ACTIVE = (
    "Nov 28 09:00:01 ms7 postfix/qmgr[2211]: 4T0xQk1Zb2: from=<bounce@bounce.example.net>, "
    "size=18342, nrcpt=1 (queue active)"
)
SUSPENDED = (
    "Nov 28 10:00:07 ms9 postfix/qmgr[1901]: 8E4bUo5Df6: to=<b.user@tenant.example>, "
    "relay=none, delay=12, delays=12/0/0/0, dsn=4.7.500, status=deferred (delivery temporarily "
    "suspended: host tenant-example.mail.protection.outlook.com[198.51.100.10] said: 451 4.7.500 "
    "Server busy. Please try again later from [203.0.113.9]. (AS72830458) (in reply to RCPT TO "
    "command))"
)
EXPIRED = (
    "Dec  3 12:05:11 ms8 postfix/qmgr[1802]: B17eXr8Gi9: from=<bounce@bounce.example.net>, "
    "status=expired, returned to sender"
)
# §4.1: the optional tls= field sits between delays= and dsn=; RFC 3339 stamps from rsyslog.
WITH_TLS = (
    "2026-11-28T09:05:32.123456+01:00 ms7 postfix/smtp[3398]: 9A1: to=<x@Other.Example>, "
    "relay=mx.other.example[192.0.2.9]:25, conn_use=2, delay=0.5, delays=0.1/0/0.2/0.2, "
    "tls=TLSv1.3, dsn=2.0.0, status=sent (250 2.0.0 queued)"
)


def test_it_reads_a_deferred_line_without_the_local_part() -> None:
    attempt = parse_postfix(GREYLISTED, year=2026)
    assert attempt == Attempt(
        time=datetime(2026, 11, 28, 9, 0, 2, tzinfo=UTC),
        status="deferred",
        domain="customer.example",
        relay="eu-smtp-inbound-1.mimecast.com",
        dsn="4.0.0",
        reply=attempt.reply if attempt else "",
        queue_id="4T0xQk1Zb2",
    )
    assert attempt is not None
    assert attempt.reply.startswith("host eu-smtp-inbound-1.mimecast.com[192.0.2.21] said: 451")
    assert attempt.reply.endswith("(in reply to RCPT TO command)")
    assert "jane" not in repr(attempt)


def test_it_reads_a_sent_line_and_the_tls_field_and_rfc3339_stamps() -> None:
    sent = parse_postfix(SENT, year=2026)
    assert sent is not None and sent.status == "sent" and sent.reply == "250 Ok [made-up text]"
    other = parse_postfix(WITH_TLS, year=2026)
    assert other is not None
    assert other.domain == "other.example"
    assert other.time == datetime(2026, 11, 28, 8, 5, 32, 123456, tzinfo=UTC)
    assert other.dsn == "2.0.0"


def test_it_reads_an_expiry_line_by_queue_id() -> None:
    attempt = parse_postfix(EXPIRED, year=2026)
    assert attempt is not None
    assert (attempt.status, attempt.queue_id, attempt.domain) == ("expired", "B17eXr8Gi9", "")


def test_a_relay_of_none_has_no_host() -> None:
    attempt = parse_postfix(SUSPENDED, year=2026)
    assert attempt is not None and attempt.relay == ""


@pytest.mark.parametrize(
    "line",
    [
        GREYLISTED[:120],  # truncated
        GREYLISTED.replace("to=<jane@customer.example>", "to=<jane>"),  # no domain
        GREYLISTED.replace("dsn=4.0.0, ", ""),  # no dsn
        GREYLISTED.replace("Nov 28", "Foo 28"),  # bad date
        QUEUE_ACTIVE,
        "not a log line at all",
    ],
)
def test_it_returns_none_for_lines_that_are_not_delivery_lines(line: str) -> None:
    assert parse_postfix(line, year=2026) is None


def test_it_reads_a_json_line_and_derives_the_status_from_the_dsn() -> None:
    record = {
        "time": "2026-11-28T09:00:00Z",
        "recipient": "a.user@Tenant.Example",
        "relay": "tenant-example.mail.protection.outlook.com",
        "dsn": "5.7.606",
        "reply": "550 5.7.606 Access denied, banned sending IP [203.0.113.9].",
    }
    attempt = parse_jsonl(json.dumps(record))
    assert attempt is not None
    assert attempt.status == "bounced"
    assert attempt.domain == "tenant.example"
    assert attempt.time == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert parse_jsonl(json.dumps({**record, "status": "deferred", "queue_id": "q1"})) == Attempt(
        attempt.time, "deferred", "tenant.example", attempt.relay, "5.7.606", attempt.reply, "q1"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[1, 2]",
        '{"time": "2026-11-28T09:00:00Z", "recipient": "a@b.example"}',  # no dsn
        '{"time": "yesterday", "recipient": "a@b.example", "dsn": "2.0.0"}',
        '{"time": "2026-11-28T09:00:00Z", "recipient": "nobody", "dsn": "2.0.0"}',
        '{"time": "2026-11-28T09:00:00Z", "recipient": "a@b.example", "dsn": "9.9.9"}',
        '{"time": "2026-11-28T09:00:00Z", "recipient": "a@b.example", "dsn": "2.0.0", '
        '"status": "x"}',
        '{"time": "2026-11-28T09:00:00Z", "recipient": 5, "dsn": "2.0.0"}',
        '{"time": "2026-11-28T09:00:00Z", "recip',
    ],
)
def test_it_returns_none_for_malformed_json_lines(text: str) -> None:
    assert parse_jsonl(text) is None


def _kinds(data: bytes, fmt: str = "postfix") -> list[str]:
    return [p.kind for p in parse_stream(io.BytesIO(data), fmt, year=2026)]  # type: ignore[arg-type]


def test_bad_lines_are_skipped_and_the_good_ones_around_them_kept() -> None:
    data = b"\n".join(
        [
            GREYLISTED.encode(),
            GREYLISTED[:90].encode(),  # truncated mid-line
            b"\xff\xfe not utf-8 " + SENT.encode(),
            QUEUE_ACTIVE.encode(),  # a Postfix line, not about delivery
            SUSPENDED.encode(),  # an echo of an earlier reply (§4.1)
            b"",
            SENT.encode(),
            EXPIRED.encode(),
        ]
    )
    assert _kinds(data) == [
        "attempt",
        "skipped",
        "skipped",
        "ignored",
        "ignored",
        "ignored",
        "attempt",
        "attempt",
    ]


def test_a_postfix_file_read_as_jsonl_is_all_skipped() -> None:
    assert _kinds((GREYLISTED + "\n" + SENT + "\n").encode(), "jsonl") == ["skipped", "skipped"]


def test_a_line_over_the_cap_is_skipped_without_being_held_whole() -> None:
    huge = b"x" * (5 * 1024 * 1024)
    data = SENT.encode() + b"\n" + huge + b"\n" + SENT.encode() + b"\n"
    lines = list(read_lines(io.BytesIO(data), max_bytes=1024))
    assert [line.data is None for line in lines] == [False, True, False]
    assert lines[-1].end == len(data)
    assert _kinds(data) == ["attempt", "skipped", "attempt"]


def test_a_line_over_the_cap_within_one_chunk_is_skipped_too() -> None:
    data = b"z" * 2000 + b"\nok\n"
    assert [line.data for line in read_lines(io.BytesIO(data), max_bytes=1024)] == [None, b"ok"]


def test_a_huge_line_without_newline_at_the_end_is_skipped() -> None:
    lines = list(read_lines(io.BytesIO(b"a\n" + b"y" * 300_000), max_bytes=1024))
    assert [(line.data, line.complete) for line in lines] == [(b"a", True), (None, False)]


def test_offsets_point_after_each_line_and_a_partial_last_line_is_marked() -> None:
    data = b"one\r\ntwo\nthree"
    lines = list(read_lines(io.BytesIO(data), start=10))
    assert [(line.data, line.end, line.complete) for line in lines] == [
        (b"one\r", 15, True),
        (b"two", 19, True),
        (b"three", 24, False),
    ]


def test_lines_split_across_chunks_are_joined(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("apps.delivery.parsing.CHUNK_BYTES", 7)
    data = (SENT + "\n" + GREYLISTED + "\n").encode()
    assert [line.data for line in read_lines(io.BytesIO(data))] == [
        SENT.encode(),
        GREYLISTED.encode(),
    ]


def test_it_reads_a_bounce_notice_as_the_dsn_queue_id_and_its_original() -> None:
    text = (
        "Dec  3 12:05:11 ms8 postfix/bounce[7002]: B17eXr8Gi9: "
        "sender non-delivery notification: C28fYs9Hj0"
    )
    attempt = parse_postfix(text, year=2026)
    assert attempt is not None
    assert (attempt.status, attempt.queue_id, attempt.original) == (
        "notified",
        "C28fYs9Hj0",
        "B17eXr8Gi9",
    )
    assert attempt.domain == ""
    delay = text.replace("non-delivery", "delay")
    assert parse_postfix(delay, year=2026) is not None
    assert parse_postfix(text.replace("notification:", "notice:"), year=2026) is None


@settings(max_examples=300, deadline=None)
@given(
    data=st.builds(
        lambda lines, newline: b"\n".join(lines) + (b"\n" if newline else b""),
        st.lists(st.binary(max_size=70).map(lambda b: b.replace(b"\n", b"")), max_size=20),
        st.booleans(),
    ),
    chunk=st.integers(min_value=1, max_value=200),
    cap=st.integers(min_value=0, max_value=60),
)
def test_lines_match_a_plain_split_at_any_chunk_size_and_cap(
    data: bytes, chunk: int, cap: int
) -> None:
    import apps.delivery.parsing as parsing

    original = parsing.CHUNK_BYTES
    parsing.CHUNK_BYTES = chunk
    try:
        lines = list(read_lines(io.BytesIO(data), start=7, max_bytes=cap))
    finally:
        parsing.CHUNK_BYTES = original
    pieces = data.split(b"\n")
    expected = []
    end = 7
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        if last and not piece:
            break
        end += len(piece) + (0 if last else 1)
        expected.append((None if len(piece) > cap else piece, end, not last))
    assert [(line.data, line.end, line.complete) for line in lines] == expected


@pytest.mark.parametrize(
    "text",
    [
        GREYLISTED,
        SENT,
        SUSPENDED,
        WITH_TLS,
        GREYLISTED.replace("to=<jane@", "to=<jane@x@"),  # the domain is after the last @
        GREYLISTED.replace(", relay=", ", orig_to=<j@alias.example>, relay="),
        GREYLISTED.replace("to=<jane@customer.example>", "to=< jane@customer.example >"),
        GREYLISTED.replace("customer.example", "Bücher.Example"),
    ],
)
def test_the_one_match_reading_gives_what_the_field_by_field_reading_gives(text: str) -> None:
    from apps.delivery.parsing import _parse_any, _parse_usual

    usual = _parse_usual(text, 2026)
    assert usual is None or usual == _parse_any(text, 2026)
    assert parse_postfix(text, year=2026) == _parse_any(text, 2026)


def test_the_usual_line_shapes_are_read_by_the_one_match() -> None:
    from apps.delivery.parsing import _parse_usual

    assert all(_parse_usual(text, 2026) for text in (GREYLISTED, SENT, SUSPENDED, WITH_TLS))


@pytest.mark.parametrize(
    "stamp",
    ["Nov 28 09:00:02", "Dec  3 12:05:59", "Nov 28 09:00:60", "Nov 28 09:00:0x", "Feb 30 10:00:00"],
)
def test_a_stamp_read_by_its_minute_is_the_stamp_read_whole(stamp: str) -> None:
    from apps.delivery.parsing import _stamp_time, _syslog_time

    minute_first = stamp[:-2] + "00"
    _syslog_time(minute_first, 2026)  # the minute is now known
    assert _syslog_time(stamp, 2026) == _stamp_time(stamp, 2026)
