from django.apps import AppConfig


class DnscheckConfig(AppConfig):
    name = "apps.dnscheck"
    verbose_name = "DNS checks"
