from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "apps.support"
    verbose_name = "Support console"
