"""`/it/<token>/…`: the read-only instructions an IT admin opens from a share link."""

from django.urls import path

from apps.instructions import views

app_name = "it"

urlpatterns = [
    path("", views.it_page, name="page"),
    path("tick/", views.it_tick, name="tick"),
    path("seen/", views.it_seen, name="seen"),
    path("instructions.pdf", views.it_export, {"ext": "pdf"}, name="instructions_pdf"),
    path("instructions.txt", views.it_export, {"ext": "txt"}, name="instructions_txt"),
    path("instructions.json", views.it_export, {"ext": "json"}, name="instructions_json"),
]
