"""`python manage.py plan request.json [--format text|json]`: the API's plan, on the console."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.api.api_input import parse_body
from apps.dnscheck import facts
from apps.exports.text import render_text
from apps.policies.generator import build_plan
from apps.policies.serialize import plan_to_dict
from apps.sending.selectors import PlatformNotConfigured, platform_info


class Command(BaseCommand):
    help = "Print the Mimecast plan for a JSON request file (the body of POST /api/v1/plan)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("request", help="Path to the JSON request, or - for standard input.")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["request"]
        try:
            body = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror or error}") from None
        checked, errors = parse_body(body)
        if checked is None:
            lines = [f"  {path}: {message}" for path, msgs in errors.items() for message in msgs]
            raise CommandError("The request is not valid:\n" + "\n".join(lines))
        try:
            platform = platform_info()
        except PlatformNotConfigured:
            raise CommandError("No active platform facts: add them in the admin first.") from None
        found = facts.gather(checked, platform)
        plan = build_plan(facts.plan_request(checked, found))
        if options["format"] == "text":
            self.stdout.write(render_text(plan))
        else:
            self.stdout.write(json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False))
