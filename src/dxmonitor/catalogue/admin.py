from django.contrib import admin

from dxmonitor.catalogue.models import Dataset, Indicator, Round, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "kind", "parent", "communes", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "direction", "decimals")
    search_fields = ("code", "name")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "baseline", "created_at")
