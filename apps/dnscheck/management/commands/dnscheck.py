"""python manage.py dnscheck example.com — what DNS says about a domain, as Safelist reads it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.dnscheck import facade
from apps.dnscheck.authentication import MAX_DNS_LOOKUPS, MAX_VOID_LOOKUPS
from apps.dnscheck.types import RecordCheck
from apps.sending.selectors import PlatformNotConfigured, platform_info


class Command(BaseCommand):
    help = "Print the gateway (from MX) and the SPF / DMARC / DKIM findings for domains."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("domains", nargs="+", help="one or more domains (Unicode is fine)")
        parser.add_argument(
            "--recipient-only",
            action="store_true",
            help="only the gateway; skip the sending-domain checks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        domains: list[str] = options["domains"]
        checks = facade.check_recipient_domains(domains)
        try:
            platform = None if options["recipient_only"] else platform_info()
        except PlatformNotConfigured:
            platform = None
            self.stderr.write("No active platform facts: sending-domain checks skipped.")
        for domain in domains:
            check = checks[domain]
            self.stdout.write(self.style.MIGRATE_HEADING(check.display_domain))
            self.stdout.write(f"  gateway:  {check.badge}")
            self.stdout.write(f"            {check.message}")
            if check.console:
                self.stdout.write(f"  console:  https://{check.console}/")
            for host in check.evidence:
                self.stdout.write(f"  evidence: {host}")
            if platform is None:
                continue
            report = facade.check_sending_domain(domain, platform)
            for label, part in (
                ("SPF", report.spf),
                ("DMARC", report.dmarc),
                ("DKIM", report.dkim),
            ):
                self._record(label, part)
            if report.spf_dns_lookups is not None:
                self.stdout.write(
                    f"  SPF lookups: {report.spf_dns_lookups}/{MAX_DNS_LOOKUPS}, "
                    f"void: {report.spf_void_lookups or 0}/{MAX_VOID_LOOKUPS}"
                )

    def _record(self, label: str, check: RecordCheck) -> None:
        self.stdout.write(f"  {label + ':':9} [{check.status}] {check.message}")
        for line in check.record.splitlines():
            self.stdout.write(f"            record: {line}")
        for item in check.missing:
            self.stdout.write(f"            missing: {item}")
        for note in check.notes:
            self.stdout.write(f"            note: {note}")
