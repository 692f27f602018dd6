from django.apps import AppConfig


class SendingConfig(AppConfig):
    name = "apps.sending"
    verbose_name = "Sending platform"
