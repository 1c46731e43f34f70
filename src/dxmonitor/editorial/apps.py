from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.editorial"
    label = "editorial"
    default_auto_field = "django.db.models.BigAutoField"
