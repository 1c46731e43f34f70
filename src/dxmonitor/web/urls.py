from django.urls import path

from dxmonitor.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<str:name>", views.report_file, name="report-file"),
]
