from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.catalogue"
    label = "catalogue"
    default_auto_field = "django.db.models.BigAutoField"
