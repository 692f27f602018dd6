from django.urls import path

from apps.delivery import support_views

app_name = "delivery_support"

urlpatterns = [
    path("<str:domain>/", support_views.domain_figures, name="domain"),
]
