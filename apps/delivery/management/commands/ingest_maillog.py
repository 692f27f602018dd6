"""`python manage.py ingest_maillog FILE|- [--format postfix|jsonl] [--year N]`: add a mail log's
delivery attempts to the hourly counts per recipient domain. Re-reading a file adds nothing
twice; a file that grew is read from where the last run stopped."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.delivery.services import ingest


class Command(BaseCommand):
    help = "Ingest a Postfix mail log or a JSON-lines event log (- for standard input)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Path to the log, or - for standard input.")
        parser.add_argument("--format", choices=["postfix", "jsonl"], default="postfix")
        parser.add_argument(
            "--year",
            type=int,
            default=datetime.now(UTC).year,
            help="Year of classic syslog time stamps, which carry none (default: this year).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["file"]
        fmt = options["format"]
        if source == "-":
            counts = ingest(sys.stdin.buffer, fmt, name="-", year=options["year"])
        else:
            try:
                with open(source, "rb") as stream:
                    counts = ingest(stream, fmt, name=source, year=options["year"])
            except OSError as error:
                raise CommandError(f"Cannot read {source}: {error.strerror or error}") from None
        self.stdout.write(
            f"read {counts.read}, ingested {counts.ingested}, ignored {counts.ignored}, "
            f"skipped {counts.skipped}, duplicates {counts.duplicates}, "
            f"notifications {counts.notifications}"
        )
