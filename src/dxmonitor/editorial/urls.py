from django.urls import re_path

from dxmonitor.editorial import views

ROUND = r"^rounds/(?P<code>[0-9]{4}-[0-9]{2})/sections/"
KEY = r"(?P<key>[a-z0-9][a-z0-9-]*)/"

urlpatterns = [
    re_path(ROUND + r"$", views.index, name="editorial"),
    re_path(ROUND + r"pictures$", views.upload_picture, name="editorial-picture"),
    re_path(ROUND + KEY + r"$", views.edit, name="editorial-edit"),
    re_path(ROUND + KEY + r"preview$", views.preview, name="editorial-preview"),
]
