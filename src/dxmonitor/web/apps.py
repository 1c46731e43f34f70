from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
