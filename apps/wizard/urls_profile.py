"""`/p/<token>/…`: everything a customer reaches through their private resume link."""

from django.urls import path

from apps.wizard import views

app_name = "customer"

urlpatterns = [
    path("", views.resume, name="resume"),
    path("about/", views.about, name="about"),
    path("sending/", views.sending, name="sending"),
    path("sending/preview/", views.sending_preview, name="sending_preview"),
    path("sending/check/", views.sending_check, name="sending_check"),
    path("recipients/", views.recipients, name="recipients"),
    path("recipients/add/", views.recipient_add, name="recipient_add"),
    path("recipients/check/", views.domain_check, name="domain_check"),
    path("recipients/<str:ref>/edit/", views.recipient_edit, name="recipient_edit"),
    path("recipients/<str:ref>/remove/", views.recipient_remove, name="recipient_remove"),
    path("options/", views.options, name="options"),
    path("review/", views.review, name="review"),
    path("instructions/", views.instructions, name="instructions"),
    path("instructions.pdf", views.instructions_export, {"ext": "pdf"}, name="instructions_pdf"),
    path("instructions.txt", views.instructions_export, {"ext": "txt"}, name="instructions_txt"),
    path("instructions.json", views.instructions_export, {"ext": "json"}, name="instructions_json"),
    path("recheck/", views.recheck, name="recheck"),
    path("share/", views.share_create, name="share_create"),
    path("share/revoke/", views.share_revoke, name="share_revoke"),
    path("link/replace/", views.link_replace, name="link_replace"),
]
