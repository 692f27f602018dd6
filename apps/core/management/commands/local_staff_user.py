import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "support"


class Command(BaseCommand):
    help = "Local development only: create a staff user for the support console, once."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "local_staff_user only runs with DJANGO_DEBUG=1 (local development)."
            )
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Support console: http://127.0.0.1:8000/support/ — sign in as '{USERNAME}' "
                "(password shown when it was created; reset it with "
                f"`.venv/bin/python manage.py changepassword {USERNAME}`)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_user(USERNAME, password=password, is_staff=True, is_superuser=True)
        self.stdout.write(
            f"Support console: http://127.0.0.1:8000/support/ — sign in as '{USERNAME}' with "
            f"password {password} (shown once)."
        )
