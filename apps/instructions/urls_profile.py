"""`/p/<token>/…`: the customer's instructions, downloads and share links, reached through their
private resume link (the wizard's steps share the prefix: apps.wizard.urls)."""

from django.urls import path

from apps.instructions import views

app_name = "customer"

urlpatterns = [
    path("instructions/", views.instructions, name="instructions"),
    path("instructions.pdf", views.instructions_export, {"ext": "pdf"}, name="instructions_pdf"),
    path("instructions.txt", views.instructions_export, {"ext": "txt"}, name="instructions_txt"),
    path("instructions.json", views.instructions_export, {"ext": "json"}, name="instructions_json"),
    path("recheck/", views.recheck, name="recheck"),
    path("share/", views.share_create, name="share_create"),
    path("share/revoke/", views.share_revoke, name="share_revoke"),
]
