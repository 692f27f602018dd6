"""Delivery attempts read from the platform's mail logs, one line at a time.

Two formats: Postfix delivery lines (docs in ../shared/reference/smtp-replies.md §4.1) and JSON
lines (one attempt per line: time, recipient, relay, dsn, reply; optional status and queue_id).
Only the recipient's domain leaves this module: the local part is dropped as soon as the line
is read. Nothing here raises on bad input; a line that cannot be read comes back as None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple, Protocol, cast

from apps.dnscheck.names import InvalidDomain, to_ascii

Format = Literal["postfix", "jsonl"]
Status = Literal["sent", "deferred", "bounced", "expired", "notified"]
# What a JSON-lines event may say; "notified" is Postfix's own bounce line (see Attempt).
STATUSES: tuple[Status, ...] = ("sent", "deferred", "bounced", "expired")

# A Postfix line is a few hundred bytes; a reply quoted in full stays well under this.
MAX_LINE_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024


class Readable(Protocol):
    """A binary stream: a file opened "rb", sys.stdin.buffer, io.BytesIO."""

    def read(self, size: int = -1, /) -> bytes: ...


class Attempt(NamedTuple):
    """One delivery attempt. `domain` is empty for an expiry line (Postfix names no recipient
    there: the queue id links it to the attempts before it).

    status "notified" is not an attempt but Postfix's bounce daemon saying it queued a delivery
    status notification (DSN) for message `original` as the new message `queue_id`: that DSN
    goes to the platform's own bounce address, and its delivery lines are not recipient mail.

    A tuple, like Line: hundreds of thousands are made per log, and a frozen dataclass costs
    several times as much to build."""

    time: datetime
    status: Status
    domain: str
    relay: str  # host name only, "" when no connection was made
    dsn: str
    reply: str  # the remote reply (or Postfix's own text), as logged
    queue_id: str = ""
    original: str = ""  # for "notified": the queue id of the message the DSN is about


class Line(NamedTuple):
    """A physical line: its bytes (None when it was over the cap) and the offset after it. A
    tuple, not a dataclass: one is made per line, and a million lines is the normal case."""

    data: bytes | None
    end: int
    complete: bool  # ended in a newline (the last line of a file being written may not)


def read_lines(
    stream: Readable, *, start: int = 0, max_bytes: int = MAX_LINE_BYTES
) -> Iterator[Line]:
    """Split a byte stream into lines in bounded chunks: memory stays under two chunks plus
    `max_bytes` whatever the input, and a line longer than `max_bytes` is yielded as
    data=None (skipped) without ever being held whole."""
    offset = start
    carry = bytearray()  # the start of a line begun in an earlier chunk
    oversized = False  # that line is already over the cap: its bytes are not kept
    while chunk := stream.read(CHUNK_BYTES):
        pieces = chunk.split(b"\n")
        tail = pieces.pop()  # after the chunk's last newline: a line still going on
        if pieces:
            first = pieces[0]
            offset += len(first) + 1
            if oversized or len(carry) + len(first) > max_bytes:
                yield Line(None, offset, True)
            elif carry:
                carry += first
                yield Line(bytes(carry), offset, True)
            else:
                yield Line(first, offset, True)
            carry.clear()
            oversized = False
            for index in range(1, len(pieces)):
                piece = pieces[index]
                offset += len(piece) + 1
                yield Line(None if len(piece) > max_bytes else piece, offset, True)
        offset += len(tail)
        if not oversized and tail:
            carry += tail
            if len(carry) > max_bytes:
                oversized = True
                carry.clear()
    if oversized:
        yield Line(None, offset, False)
    elif carry:
        yield Line(bytes(carry), offset, False)


def recipient_domain(address: str) -> str | None:
    """'Jane@Customer.Example' → 'customer.example'; None when there is no valid domain."""
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or not local:
        return None
    return _domain_ascii(domain)


@lru_cache(maxsize=65_536)
def _domain_ascii(domain: str) -> str | None:
    """A log names the same few thousand domains again and again: IDNA is done once each."""
    try:
        return to_ascii(domain)
    except InvalidDomain:
        return None


# §4.1: "<prefix> postfix/smtp[pid]: QUEUEID: to=<rcpt>, …, dsn=x.y.z, status=… (text)"
_POSTFIX_DELIVERY = re.compile(
    r"^(?P<stamp>\S+(?: +\d+ \d\d:\d\d:\d\d)?) \S+ postfix[^:\s]*/[\w-]+\[\d+\]: "
    r"(?P<qid>[0-9A-Za-z]+): to=<(?P<to>[^>]*)>, (?P<fields>.*?)"
    r"status=(?P<status>sent|deferred|bounced|expired) \((?P<text>.*)\)\s*$"
)
# §4.1: qmgr's "QID: from=<…>, status=expired, returned to sender" names no recipient.
_POSTFIX_EXPIRED = re.compile(
    r"^(?P<stamp>\S+(?: +\d+ \d\d:\d\d:\d\d)?) \S+ postfix[^:\s]*/[\w-]+\[\d+\]: "
    r"(?P<qid>[0-9A-Za-z]+): from=<[^>]*>, status=(?:force-)?expired, returned to sender\s*$"
)
# §4.1: "QID: sender non-delivery notification: NEWQID" (also delay and success notices).
_POSTFIX_NOTIFICATION = re.compile(
    r"^(?P<stamp>\S+(?: +\d+ \d\d:\d\d:\d\d)?) \S+ postfix[^:\s]*/[\w-]+\[\d+\]: "
    r"(?P<qid>[0-9A-Za-z]+): sender (?:non-delivery|delay|delivery status) notification: "
    r"(?P<new>[0-9A-Za-z]+)\s*$"
)
# The usual shape of a delivery line (§4.1: to=, perhaps orig_to=, relay= first and dsn= last
# before status=): one match gives every value. Any other shape is read by the pattern above.
_POSTFIX_USUAL = re.compile(
    r"(\S+(?: +\d+ \d\d:\d\d:\d\d)?) \S+ postfix[^:\s]*/[\w-]+\[\d+\]: "
    r"([0-9A-Za-z]+): to=<[^>]+@([^>@]+)>, (?:orig_to=<[^>]*>, )?relay=([^,]*), "
    r"(?:\w+=[^,]*, )*?dsn=([^,]*), status=(sent|deferred|bounced|expired) \((.*)\)\s*$"
)
_FIELD = re.compile(r"(\w+)=([^,]*),\s*")
_RELAY_HOST = re.compile(r"^([^\[\s]+)")
_POSTFIX_MARKER = re.compile(r" postfix[^:\s]*/[\w-]+\[\d+\]: ")
_MONTHS = {
    month: number
    for number, month in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _syslog_time(stamp: str, year: int) -> datetime | None:
    """'Nov 28 09:00:01' (classic syslog, no year: `year` is assumed) or an RFC 3339 stamp
    ('2026-11-28T09:00:01.123+00:00', rsyslog's high-precision format). Aware, in UTC.

    A busy log writes each second's stamp on a few lines only but each minute's on hundreds, so
    a classic stamp's minute is read once and its seconds added: this runs once per line."""
    minute = _MINUTES.get((stamp[:-3], year))
    if minute is not None and stamp[-3] == ":":
        seconds = _SECONDS.get(stamp[-2:])
        if seconds is not None:
            return minute + seconds
    time = _stamp_time(stamp, year)
    if time is not None and not stamp[0].isdigit():
        if len(_MINUTES) >= 4096:
            _MINUTES.clear()
        _MINUTES[stamp[:-3], year] = time.replace(second=0)
    return time


_MINUTES: dict[tuple[str, int], datetime] = {}
_SECONDS = {f"{second:02d}": timedelta(seconds=second) for second in range(60)}


@lru_cache(maxsize=4096)
def _stamp_time(stamp: str, year: int) -> datetime | None:
    try:
        if stamp[:1].isdigit():
            parsed = datetime.fromisoformat(stamp)
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        month, day, clock = stamp.split()
        hour, minute, second = (int(part) for part in clock.split(":"))
        return datetime(year, _MONTHS[month], int(day), hour, minute, second, tzinfo=UTC)
    except (ValueError, KeyError):
        return None


@lru_cache(maxsize=16_384)
def _relay_host(relay: str) -> str:
    """'eu-smtp-inbound-1.mimecast.com[192.0.2.21]:25' → 'eu-smtp-inbound-1.mimecast.com';
    '' for Postfix's 'none' (no connection made)."""
    match = _RELAY_HOST.match(relay.strip().lower())
    return "" if match is None or match.group(1) == "none" else match.group(1)


def is_postfix_line(text: str) -> bool:
    """A syslog line written by a Postfix daemon (delivery or not)."""
    return _POSTFIX_MARKER.search(text) is not None


def parse_postfix(text: str, *, year: int) -> Attempt | None:
    """One Postfix delivery or expiry line → an Attempt; None for anything else."""
    return _parse_usual(text, year) or _parse_any(text, year)


def _parse_usual(text: str, year: int) -> Attempt | None:
    """A delivery line of the usual shape, read by one match (most lines of a log)."""
    usual = _POSTFIX_USUAL.match(text)
    if usual is None:
        return None
    stamp, queue_id, domain, relay, dsn, status, reply = usual.groups()
    ascii_domain = _domain_ascii(domain)
    time = _syslog_time(stamp, year)
    if ascii_domain is None or time is None:
        return None
    return Attempt(
        time, cast(Status, status), ascii_domain, _relay_host(relay), dsn, reply, queue_id
    )


def _parse_any(text: str, year: int) -> Attempt | None:
    """Any delivery, expiry or notification line, its fields in any order."""
    match = _POSTFIX_DELIVERY.match(text)
    if match is None:
        notice = _POSTFIX_NOTIFICATION.match(text)
        if notice is not None:
            time = _syslog_time(notice["stamp"], year)
            if time is None:
                return None
            return Attempt(time, "notified", "", "", "", "", notice["new"], notice["qid"])
        expired = _POSTFIX_EXPIRED.match(text)
        if expired is None:
            return None
        time = _syslog_time(expired["stamp"], year)
        if time is None:
            return None
        return Attempt(time, "expired", "", "", "", "expired", expired["qid"])
    domain = recipient_domain(match["to"])
    time = _syslog_time(match["stamp"], year)
    if domain is None or time is None:
        return None
    fields = dict(_FIELD.findall(match["fields"]))
    if "relay" not in fields or "dsn" not in fields:
        return None
    host = _relay_host(fields["relay"])
    status = cast(Status, match["status"])
    return Attempt(time, status, domain, host, fields["dsn"], match["text"], match["qid"])


_DSN_CLASS_STATUS: dict[str, Status] = {"2": "sent", "4": "deferred", "5": "bounced"}
_DSN = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")


def _text_field(record: dict[str, object], key: str, *, required: bool) -> str | None:
    """The field as a string; "" when an optional field is absent; None when malformed."""
    value = record.get(key)
    if value is None and not required:
        return ""
    return value if isinstance(value, str) else None


def parse_jsonl(text: str) -> Attempt | None:
    """One JSON object → an Attempt; None when a required field is missing or malformed.

    Required: time (ISO 8601), recipient, dsn (x.y.z). Optional: relay, reply, status (derived
    from the dsn class when absent), queue_id (links retries of one message)."""
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    stamp, recipient, dsn = (
        _text_field(record, k, required=True) for k in ("time", "recipient", "dsn")
    )
    relay, reply, queue_id, status_text = (
        _text_field(record, k, required=False) for k in ("relay", "reply", "queue_id", "status")
    )
    if stamp is None or recipient is None or dsn is None or status_text is None:
        return None
    if relay is None or reply is None or queue_id is None:
        return None
    if not _DSN.fullmatch(dsn):
        return None
    status = next((s for s in STATUSES if s == status_text), None)
    if status is None and not status_text:
        status = _DSN_CLASS_STATUS.get(dsn[0])
    domain = recipient_domain(recipient)
    try:
        time = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if status is None or domain is None:
        return None
    time = time.astimezone(UTC) if time.tzinfo else time.replace(tzinfo=UTC)
    return Attempt(time, status, domain, _relay_host(relay), dsn, reply, queue_id)


Kind = Literal["attempt", "ignored", "skipped"]


class Parsed(NamedTuple):
    kind: Kind
    attempt: Attempt | None
    end: int
    complete: bool


# §4.1, §6 rule 2: a "delivery temporarily suspended" line repeats an earlier reply without
# contacting the gateway; it must not be counted again.
_SUSPENDED = "(delivery temporarily suspended:"


# Bytes a Postfix delivery, expiry or notification line must hold; a line with none of them is
# set aside before it is decoded or any delivery pattern runs (most of a Postfix log: smtpd,
# cleanup, qmgr's queue active and removed).
_DELIVERY_MARKERS = (b"status=", b" to=<", b"notification:")
_POSTFIX_MARKER_BYTES = re.compile(_POSTFIX_MARKER.pattern.encode())


class Batch(NamedTuple):
    """Consecutive lines of a stream, judged: the attempts among them and how many lines were
    ignored or skipped. `end` is where the last line that may be committed ends (None when
    none may: a last line still being written that did not parse is read again next time);
    `read_to` and `complete` are the last line's end and whether it ended in a newline."""

    attempts: list[Attempt]
    lines: int
    ignored: int
    skipped: int
    end: int | None
    read_to: int
    complete: bool


def parse_batches(
    stream: Readable, fmt: Format, *, year: int, start: int = 0, size: int
) -> Iterator[Batch]:
    """The lines of `stream`, `size` at a time, as attempts, ignored lines (well-formed but not
    a delivery attempt: other Postfix lines, blank lines, suspended echoes) and skipped lines
    (unreadable: over the size cap, not UTF-8, not in the format). This loop runs once per line
    of a log: it counts in locals and keeps only the attempts."""
    status_marker, to_marker, notice_marker = _DELIVERY_MARKERS
    postfix_marker = _POSTFIX_MARKER_BYTES.search
    postfix = fmt == "postfix"
    attempts: list[Attempt] = []
    lines = ignored = skipped = 0
    committable: int | None = None
    end, complete = start, True
    for data, end, complete in read_lines(stream, start=start):
        lines += 1
        if (
            postfix
            and data is not None
            and data.isascii()
            and status_marker not in data
            and to_marker not in data
            and notice_marker not in data
        ):
            # Most of a Postfix log (smtpd, cleanup, qmgr's queue active and removed): judged
            # on the bytes, never decoded. Another Postfix line or a blank one (str.strip, not
            # bytes.strip: it also takes the ASCII separators \x1c-\x1f) is ignored; anything
            # else is not in the format.
            if postfix_marker(data) or not data.decode("ascii").strip():
                ignored += 1
            else:
                skipped += 1
        else:
            judged = "skipped" if data is None else _judge(data, fmt, year)
            if isinstance(judged, str):
                if judged == "ignored":
                    ignored += 1
                else:
                    skipped += 1
            else:
                attempts.append(judged)
                committable = end
        if complete:
            committable = end
        if lines >= size:
            yield Batch(attempts, lines, ignored, skipped, committable, end, complete)
            attempts = []
            lines = ignored = skipped = 0
            committable = None
    if lines:
        yield Batch(attempts, lines, ignored, skipped, committable, end, complete)


def parse_stream(stream: Readable, fmt: Format, *, year: int, start: int = 0) -> Iterator[Parsed]:
    """Every line of `stream`, one at a time (see parse_batches)."""
    for batch in parse_batches(stream, fmt, year=year, start=start, size=1):
        if batch.attempts:
            yield Parsed("attempt", batch.attempts[0], batch.read_to, batch.complete)
        else:
            kind: Kind = "ignored" if batch.ignored else "skipped"
            yield Parsed(kind, None, batch.read_to, batch.complete)


def _judge(data: bytes, fmt: Format, year: int) -> Attempt | Kind:
    """One line that may be a delivery attempt: the attempt, or "ignored" or "skipped"."""
    if fmt == "postfix" and data.isascii():
        return _judge_postfix(data.decode("ascii").rstrip("\r"), year)
    try:
        text = data.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return "skipped"
    if not text.strip():
        return "ignored"
    if fmt == "jsonl":
        return parse_jsonl(text) or "skipped"
    if "status=" not in text and " to=<" not in text and "notification:" not in text:
        return "ignored" if is_postfix_line(text) else "skipped"
    return _judge_postfix(text, year)


def _judge_postfix(text: str, year: int) -> Attempt | Kind:
    """A Postfix line that may be a delivery, expiry or notification line."""
    if _SUSPENDED in text and is_postfix_line(text):
        return "ignored"
    attempt = parse_postfix(text, year=year)
    if attempt is not None:
        return attempt
    if is_postfix_line(text) and " to=<" not in text:
        return "ignored"
    return "skipped"
