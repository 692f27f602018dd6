import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

USERNAME = "support"


def _unapplied_migrations() -> bool:
    """Whether `migrate` has anything to do (a second `make run` then says nothing about it)."""
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Local development only: create a staff user for the support console, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The site's address.")
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply migrations first, in this process (`make run`: one start-up, not two).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "local_staff_user only runs with DJANGO_DEBUG=1 (local development)."
            )
        if options["migrate"] and _unapplied_migrations():
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        console = f"{options['url'].rstrip('/')}/support/"
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Support console: {console} — sign in as '{USERNAME}' "
                "(password shown when it was created; reset it with "
                f"`.venv/bin/python manage.py changepassword {USERNAME}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_user(USERNAME, password=password, is_staff=True, is_superuser=True)
        self.stdout.write(
            f"Support console: {console} — sign in as '{USERNAME}' with "
            f"password {password} (shown once)."
        )
