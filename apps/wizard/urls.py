"""`/start/`: a new customer's first step (the home page's Start button links `wizard:start`)."""

from django.urls import path

from apps.wizard.views import steps

app_name = "wizard"

urlpatterns = [
    path("", steps.start, name="start"),
]
