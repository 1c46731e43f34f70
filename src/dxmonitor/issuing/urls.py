from django.urls import path, re_path

from dxmonitor.issuing import views

ROUND = r"^rounds/(?P<code>[0-9]{4}-[0-9]{2})"

urlpatterns = [
    re_path(ROUND + r"/issued(?P<fmt>\.json)?$", views.issued_list, name="issued-list"),
    re_path(ROUND + r"/issued/changes(?P<fmt>\.json)?$", views.issued_changes, name="issued-changes"),
    re_path(ROUND + r"/issue$", views.start_issue, name="issue-start"),
    path("rounds/<str:code>/issued/v<int:version>/<str:name>", views.issued_file, name="issued-file"),
]
