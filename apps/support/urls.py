from django.urls import path

from apps.support import views

app_name = "support"

urlpatterns = [
    path("", views.search, name="search"),
    path("affected/", views.affected, name="affected"),
    path("p/<slug:token>/", views.profile, name="profile"),
    path(
        "p/<slug:token>/instructions.pdf",
        views.instructions_export,
        {"ext": "pdf"},
        name="instructions_pdf",
    ),
    path(
        "p/<slug:token>/instructions.txt",
        views.instructions_export,
        {"ext": "txt"},
        name="instructions_text",
    ),
    path("p/<slug:token>/dns-recheck/", views.dns_recheck, name="dns_recheck"),
    path("p/<slug:token>/notes/", views.note_add, name="note_add"),
    path("p/<slug:token>/share-links/", views.share_link_create, name="share_link_create"),
    path(
        "p/<slug:token>/share-links/<slug:link_token>/revoke/",
        views.share_link_revoke,
        name="share_link_revoke",
    ),
]
