from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Safelist administration"
admin.site.site_title = "Safelist admin"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.wizard.urls")),
    path("p/<str:token>/", include("apps.instructions.urls_profile")),
    path("it/<str:token>/", include("apps.instructions.urls_share")),
    path("api/v1/", include("apps.api.urls")),
    path("support/delivery/", include("apps.delivery.urls_support")),
    path("support/", include("apps.support.urls")),
    path("explain/", include("apps.delivery.urls")),
    path("admin/", admin.site.urls),
]
