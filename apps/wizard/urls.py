"""`/start/`: a new customer's first step (the home page's Start button links `wizard:start`)."""

from django.urls import path

from apps.wizard import views

app_name = "wizard"

urlpatterns = [
    path("", views.start, name="start"),
]
