from django.urls import path

from apps.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.explainer, name="explain"),
]
