from django.urls import path

from apps.support import views

app_name = "support"

urlpatterns = [
    path("", views.search, name="search"),
]
