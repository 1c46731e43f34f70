from django.urls import path

from dxmonitor.api.endpoints import api

urlpatterns = [path("", api.urls)]
