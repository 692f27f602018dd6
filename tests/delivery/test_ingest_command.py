"""`manage.py ingest_maillog`: files, standard input, formats and the counts it prints."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.delivery.models import DomainHour
from tests.delivery.helpers import GREYLIST_REPLY, line

pytestmark = pytest.mark.django_db

LOG = (
    line("09:00:02", "Q1", "jane@customer.example", "deferred", GREYLIST_REPLY)
    + "\nNov 28 09:00:01 ms7 postfix/qmgr[2211]: Q1: from=<b@bounce.example>, size=1, nrcpt=1 "
    "(queue active)\n"
    + line("09:14:02", "Q1", "jane@customer.example", "sent", "250 Ok")
    + "\nbroken line\n"
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest_maillog", *args, "--year", "2026", stdout=out)
    return out.getvalue().strip()


def test_it_ingests_a_file_and_prints_the_counts(tmp_path: Path) -> None:
    path = tmp_path / "mail.log"
    path.write_bytes(LOG.encode() + b"\xff\xfe\n")
    assert (
        _run(str(path)) == "read 5, ingested 2, ignored 1, skipped 2, duplicates 0, notifications 0"
    )
    assert (
        _run(str(path)) == "read 5, ingested 0, ignored 0, skipped 0, duplicates 5, notifications 0"
    )
    assert DomainHour.objects.get().delivered == 1


def test_it_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(LOG.encode())

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert _run("-") == "read 4, ingested 2, ignored 1, skipped 1, duplicates 0, notifications 0"


def test_it_reads_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(
        '{"time": "2026-11-28T09:00:00Z", "recipient": "a@org.example", "dsn": "2.0.0"}\n'
    )
    assert _run(str(path), "--format", "jsonl").startswith("read 1, ingested 1,")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        _run(str(tmp_path / "nope.log"))
