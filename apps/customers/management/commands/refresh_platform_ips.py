"""python manage.py refresh_platform_ips — resolve the platform's IP ranges now, store a
snapshot, say what changed and which customers' IP-based instructions it affects."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.customers.selectors import profiles_affected_by_ip_change
from apps.dnscheck import snapshots
from apps.sending.selectors import PlatformNotConfigured, platform_info


class Command(BaseCommand):
    help = "Resolve the platform's IPs from DNS, store a snapshot and report what changed."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            platform = platform_info()
        except PlatformNotConfigured as error:
            raise CommandError("No active platform facts: add them in the admin first.") from error
        result = snapshots.refresh(platform)
        if not result.stored:
            self.stderr.write(self.style.WARNING("DNS did not give a complete answer:"))
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            age = snapshots.describe_age(result.previous_at)
            self.stdout.write(f"Kept the last good snapshot ({age}); nothing stored.")
            raise CommandError("platform IPs not refreshed")
        self.stdout.write(f"Stored {len(result.ips.ranges)} ranges for {platform.name}.")
        if result.previous_at is None:
            self.stdout.write("First snapshot:")
            for cidr in result.ips.ranges:
                self.stdout.write(f"  {cidr}")
            return
        if not result.added and not result.removed:
            self.stdout.write("No change since the previous snapshot.")
            return
        for cidr in result.added:
            self.stdout.write(self.style.SUCCESS(f"  + {cidr}"))
        for cidr in result.removed:
            self.stdout.write(self.style.ERROR(f"  - {cidr}"))
        self._affected(set(result.removed), set(result.added))

    def _affected(self, removed: set[str], added: set[str]) -> None:
        profiles = profiles_affected_by_ip_change(removed=removed, added=added)
        if not profiles:
            self.stdout.write("No customer profile's instructions used the changed ranges.")
            return
        self.stdout.write(f"{len(profiles)} profile(s) whose instructions need re-sending:")
        for profile in profiles:
            self.stdout.write(f"  {profile} (id {profile.pk})")
