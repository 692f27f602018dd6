from django.apps import AppConfig


class WizardConfig(AppConfig):
    name = "apps.wizard"
    verbose_name = "Wizard"
