from django.urls import path

from apps.policies import views

app_name = "policies"

urlpatterns = [
    path("plan", views.plan, name="plan"),
]
