"""The customer's wizard: `/start/` (the home page's Start button links `wizard:start`) and the
steps under `/p/<token>/`, the customer's private resume link."""

from django.urls import include, path

from apps.wizard.views import link, recipients, steps

app_name = "wizard"

profile_patterns = [
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
    path("link/replace/", link.link_replace, name="link_replace"),
]

urlpatterns = [
    path("start/", steps.start, name="start"),
    path("p/<str:token>/", include(profile_patterns)),
]
