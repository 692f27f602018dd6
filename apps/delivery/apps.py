from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "apps.delivery"
    verbose_name = "Delivery evidence"
    default_auto_field = "django.db.models.BigAutoField"
