from django.apps import AppConfig


class InstructionsConfig(AppConfig):
    name = "apps.instructions"
    verbose_name = "Instructions"
