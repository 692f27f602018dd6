from django.urls import path

from apps.support import views

app_name = "support"

urlpatterns = [
    path("", views.search, name="search"),
    path("affected/", views.affected, name="affected"),
    path("p/<slug:ref>/", views.profile, name="profile"),
    path(
        "p/<slug:ref>/instructions.pdf",
        views.instructions_export,
        {"ext": "pdf"},
        name="instructions_pdf",
    ),
    path(
        "p/<slug:ref>/instructions.txt",
        views.instructions_export,
        {"ext": "txt"},
        name="instructions_text",
    ),
    path("p/<slug:ref>/dns-recheck/", views.dns_recheck, name="dns_recheck"),
    path("p/<slug:ref>/notes/", views.note_add, name="note_add"),
    path("p/<slug:ref>/resume-link/", views.resume_link_send, name="resume_link_send"),
    path("p/<slug:ref>/share-links/", views.share_link_create, name="share_link_create"),
    path(
        "p/<slug:ref>/share-links/<int:link_id>/revoke/",
        views.share_link_revoke,
        name="share_link_revoke",
    ),
]
