"""`make run`: migrate, make sure the local staff user exists, print the address, serve.

All in one process before the server: a separate `local_staff_user` process before `runserver`
cost one more Django start-up (and its exit) on every `make run` (bench/README.md).
"""

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils import autoreload


class Command(BaseCommand):
    help = (
        "Local development only: apply pending migrations, create the staff user once, print the "
        "site's address, then run the development server (with its autoreloader)."
    )
    # The development server runs the checks itself, in the process that serves (and again after
    # every code reload); checking here as well would only pay for them twice.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", help="ipaddr:port, e.g. 127.0.0.1:8000")

    def handle(self, *args: object, **options: Any) -> None:
        addrport = options["addrport"]
        # The autoreloader starts this command again in a child process that serves (and again
        # after each code change); only the first process prepares and announces the site.
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true":
            url = f"http://{addrport}/"
            call_command(
                "local_staff_user",
                migrate=True,
                url=url,
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
            self.stdout.write(f"Safelist is running at {url}")
            connections.close_all()  # this process only waits for the server from here on
        call_command("runserver", addrport, skip_checks=False)
