from django.urls import path, re_path

from dxmonitor.issuing import views

urlpatterns = [
    re_path(r"^rounds/(?P<code>[0-9]{4}-[0-9]{2})/issued$", views.issued_list, name="issued-list"),
    path("rounds/<str:code>/issued/v<int:version>/<str:name>", views.issued_file, name="issued-file"),
]
