from django.apps import AppConfig


class Config(AppConfig):
    name = "dxmonitor.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và quyền"
    default_auto_field = "django.db.models.BigAutoField"
