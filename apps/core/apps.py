from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "Core pages"

    def ready(self) -> None:
        from apps.core import checks  # noqa: F401 (registers the deploy check)
