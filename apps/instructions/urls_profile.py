"""`/p/<token>/…`: everything a customer reaches through their private resume link."""

from django.urls import path

from apps.instructions import views
from apps.wizard.views import recipients, steps

app_name = "customer"

urlpatterns = [
    path("", steps.resume, name="resume"),
    path("about/", steps.about, name="about"),
    path("sending/", steps.sending, name="sending"),
    path("sending/preview/", steps.sending_preview, name="sending_preview"),
    path("sending/check/", steps.sending_check, name="sending_check"),
    path("recipients/", recipients.recipients, name="recipients"),
    path("recipients/add/", recipients.recipient_add, name="recipient_add"),
    path("recipients/check/", recipients.domain_check, name="domain_check"),
    path("recipients/<str:ref>/edit/", recipients.recipient_edit, name="recipient_edit"),
    path("recipients/<str:ref>/remove/", recipients.recipient_remove, name="recipient_remove"),
    path("options/", steps.options, name="options"),
    path("review/", steps.review, name="review"),
    path("instructions/", views.instructions, name="instructions"),
    path("instructions.pdf", views.instructions_export, {"ext": "pdf"}, name="instructions_pdf"),
    path("instructions.txt", views.instructions_export, {"ext": "txt"}, name="instructions_txt"),
    path("instructions.json", views.instructions_export, {"ext": "json"}, name="instructions_json"),
    path("recheck/", views.recheck, name="recheck"),
    path("share/", views.share_create, name="share_create"),
    path("share/revoke/", views.share_revoke, name="share_revoke"),
]
