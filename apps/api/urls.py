from django.urls import path

from apps.api import views

app_name = "api"

urlpatterns = [
    path("plan", views.plan, name="plan"),
]
