from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("dxmonitor.api.urls")),
    path("", include("dxmonitor.publishing.urls")),
    path("", include("dxmonitor.editorial.urls")),
    path("", include("dxmonitor.issuing.urls")),
    path("", include("dxmonitor.accounts.urls")),
    path("", include("dxmonitor.web.urls")),
]

# Errors in the site's layout (and in the API's JSON shape under /api/); the 500 page shows the log's reference.
handler400 = "dxmonitor.project.errors.bad_request"
handler403 = "dxmonitor.project.errors.permission_denied"
handler404 = "dxmonitor.project.errors.page_not_found"
handler500 = "dxmonitor.project.errors.server_error"
