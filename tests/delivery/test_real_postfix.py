"""The log a real Postfix writes, ingested: greylisting deferred then delivered, Anti-Spoofing
bounced, the bounce's own DSN linked to its message and never counted as recipient mail.

Postfix (tests/mailserver.py) relays to a test gateway that greylists and rejects own-domain From
the way Mimecast does; it retries after about a second, so a greylisting wait of two seconds
clears on the second or third attempt.
"""

import re
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db import connection

from apps.delivery.classify import Control, classify
from apps.delivery.models import DomainHour, NotificationLink
from apps.delivery.parsing import parse_postfix
from apps.delivery.services import ingest
from apps.policies.types import PolicyId
from tests.mailserver import MailGateway, PostfixInstance

pytestmark = pytest.mark.django_db

SENDER = "bounce@bounce.platform-test.invalid"
SUBJECT = "Your survey invitation zqxsubject"


def _ingest(postfix: PostfixInstance):
    with postfix.maillog.open("rb") as stream:
        return ingest(stream, "postfix", name=str(postfix.maillog), year=datetime.now(UTC).year)


def _delivery_lines(log: str, domain: str, status: str) -> list[str]:
    return [
        text for text in log.splitlines() if f"@{domain}>," in text and f"status={status} " in text
    ]


def _row(domain: str) -> DomainHour:
    rows = list(DomainHour.objects.filter(domain=domain))
    assert len(rows) == 1, rows  # the test's few seconds fall in one hour or, rarely, two
    return rows[0]


def _greylisted_send(postfix: PostfixInstance, gateway: MailGateway) -> str:
    gateway.policy.greylisting["greylisted.example"] = 2.0
    postfix.send(
        sender=SENDER,
        to="zqxjane@greylisted.example",
        header_from="surveys@platform-test.invalid",
        subject=SUBJECT,
        body="Please take part.",
    )
    return postfix.wait_done(lambda log: bool(_delivery_lines(log, "greylisted.example", "sent")))


def test_greylisting_is_deferred_then_delivered_one_message_with_its_delay(
    postfix: PostfixInstance, mail_gateway: MailGateway
) -> None:
    log = _greylisted_send(postfix, mail_gateway)
    deferrals = _delivery_lines(log, "greylisted.example", "deferred")
    assert deferrals, log  # the gateway refused the new triplet at least once
    assert all("451 Internal resource temporarily unavailable" in d for d in deferrals)
    assert len(mail_gateway.policy.accepted) == 1

    counts = _ingest(postfix)

    assert counts.skipped == 0
    assert counts.ingested == len(deferrals) + 1
    row = _row("greylisted.example")
    assert row.attempts == len(deferrals) + 1
    assert row.delivered == 1
    assert row.deferred == {"greylisting": len(deferrals)}
    assert row.rejected == {}
    assert row.gateways["mimecast"] == len(deferrals)  # named by the reply's fingerprint
    # One message, delivered at least the gateway's two seconds after its first attempt.
    assert sum(row.delays.values()) == 1
    (delay,) = (int(seconds) for seconds in row.delays)
    first = datetime.strptime(deferrals[0][:15], "%b %d %H:%M:%S")
    sent = datetime.strptime(
        _delivery_lines(log, "greylisted.example", "sent")[0][:15], "%b %d %H:%M:%S"
    )
    assert delay == int((sent - first).total_seconds())
    assert delay >= 1


def test_anti_spoofing_is_bounced_and_points_at_the_anti_spoofing_step(
    postfix: PostfixInstance, mail_gateway: MailGateway
) -> None:
    mail_gateway.policy.anti_spoofing.add("spoofcheck.example")
    postfix.send(
        sender=SENDER,
        to="zqxops@spoofcheck.example",
        header_from="surveys@spoofcheck.example",
        subject=SUBJECT,
        body="Please take part.",
    )
    log = postfix.wait_done(
        lambda text: (
            bool(_delivery_lines(text, "spoofcheck.example", "bounced"))
            and "sender non-delivery notification" in text
            and f"to=<{SENDER}>" in text
        )
    )
    (bounce,) = _delivery_lines(log, "spoofcheck.example", "bounced")
    assert "Anti-Spoofing policy" in bounce

    counts = _ingest(postfix)

    row = _row("spoofcheck.example")
    assert (row.attempts, row.delivered, row.deferred) == (1, 0, {})
    assert row.rejected == {"anti_spoofing": 1}
    attempt = parse_postfix(bounce, year=datetime.now(UTC).year)
    assert attempt is not None
    verdict = classify(status=attempt.status, reply=attempt.reply, relay=attempt.relay)
    assert (verdict.gateway, verdict.control) == ("mimecast", Control.ANTI_SPOOFING)
    assert verdict.permanent
    assert verdict.policy is PolicyId.ANTI_SPOOFING_BYPASS
    # The bounce Postfix sent back to the platform is linked to the message, not counted.
    (notice,) = re.findall(r"(\w+): sender non-delivery notification: (\w+)", log)
    link = NotificationLink.objects.get(queue_id=notice[1])
    assert link.original_queue_id == notice[0]
    assert not DomainHour.objects.filter(domain="bounce.platform-test.invalid").exists()
    dsn_lines = [t for t in log.splitlines() if f"{notice[1]}: to=<" in t]
    assert dsn_lines
    assert counts.notifications == 1 + len(dsn_lines)


def test_reading_the_real_log_again_adds_nothing_and_keeps_no_local_part(
    postfix: PostfixInstance, mail_gateway: MailGateway
) -> None:
    _greylisted_send(postfix, mail_gateway)
    first = _ingest(postfix)
    before = list(DomainHour.objects.values())

    again = _ingest(postfix)

    assert again.ingested == 0
    assert again.duplicates == first.read
    assert list(DomainHour.objects.values()) == before
    # Privacy: no local part (recipient or sender) and no subject anywhere in the app's tables.
    for model in apps.get_app_config("delivery").get_models():
        for row in model._default_manager.all():
            text = repr(list(model._default_manager.filter(pk=row.pk).values())).lower()
            assert "zqxjane" not in text
            assert "zqxsubject" not in text
            assert "bounce@" not in text
    with connection.cursor() as cursor:
        for table in [m._meta.db_table for m in apps.get_app_config("delivery").get_models()]:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (table names from the models)
            assert "zqxjane" not in repr(cursor.fetchall()).lower()


def test_the_fixture_stops_postfix_and_the_gateway(mail_gateway: MailGateway) -> None:
    from tests.mailserver import run_postfix

    with pytest.raises(RuntimeError, match="boom"), run_postfix(mail_gateway) as instance:
        pid = instance.master_pid()
        assert pid is not None
        raise RuntimeError("boom")
    assert instance.master_pid() is None
    assert not instance.root.exists()
