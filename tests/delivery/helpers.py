"""Made-up Postfix delivery lines in the format of §4.1 of the SMTP replies reference."""

import io

from apps.delivery.services import IngestCounts, ingest

MIMECAST = "eu-smtp-inbound-1.mimecast.com[192.0.2.21]:25"
GREYLIST_REPLY = (
    "host eu-smtp-inbound-1.mimecast.com[192.0.2.21] said: 451 Internal resource temporarily "
    "unavailable - https://community.mimecast.com/docs/DOC-1369#451 [aBcDeFgHiJ.uk123] (in reply "
    "to RCPT TO command)"
)
SPOOF_REPLY = (
    "host eu-smtp-inbound-1.mimecast.com[192.0.2.21] said: 550 Rejected by header based "
    "Anti-Spoofing policy: surveys@customer.example - https://community.mimecast.com/docs/"
    "DOC-1369#550 [ZyXwVuTsRq.uk45] (in reply to end of DATA command)"
)


def line(
    stamp: str,
    qid: str,
    to: str,
    status: str,
    text: str,
    *,
    relay: str = MIMECAST,
    dsn: str = "",
) -> str:
    dsn = dsn or {"sent": "2.0.0", "deferred": "4.0.0", "bounced": "5.0.0"}[status]
    return (
        f"Nov 28 {stamp} ms7 postfix/smtp[3310]: {qid}: to=<{to}>, relay={relay}, delay=1.4, "
        f"delays=0.05/0.01/0.71/0.6, dsn={dsn}, status={status} ({text})"
    )


def expired(stamp: str, qid: str) -> str:
    return (
        f"Dec  3 {stamp} ms8 postfix/qmgr[1802]: {qid}: from=<bounce@bounce.example.net>, "
        "status=expired, returned to sender"
    )


def ingest_text(text: str, *, fmt: str = "postfix", name: str = "test.log") -> IngestCounts:
    return ingest(io.BytesIO(text.encode()), fmt, name=name, year=2026)  # type: ignore[arg-type]
