from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.issuing"
    label = "issuing"
    default_auto_field = "django.db.models.BigAutoField"
