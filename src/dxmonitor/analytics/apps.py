from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.analytics"
    label = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
