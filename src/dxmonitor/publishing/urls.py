from django.urls import re_path

from dxmonitor.publishing import views

urlpatterns = [
    re_path(r"^rounds/(?P<code>[0-9]{4}-[0-9]{2})/report$", views.start_report, name="report-start"),
    re_path(r"^jobs/(?P<job_id>[0-9]{1,18})\.json$", views.job_status, name="job-status"),
]
