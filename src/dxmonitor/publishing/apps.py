from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"
