from django.contrib import admin

from dxmonitor.intake.models import PrintedFigure, Value, ValueChange


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ("round", "indicator", "unit", "category", "window", "value", "source", "updated_at")
    list_filter = ("round", "indicator")
    search_fields = ("unit__name", "indicator__code")


@admin.register(ValueChange)
class ValueChangeAdmin(admin.ModelAdmin):
    list_display = ("round", "indicator", "unit", "category", "old_value", "new_value", "source", "changed_at")
    list_filter = ("round",)


@admin.register(PrintedFigure)
class PrintedFigureAdmin(admin.ModelAdmin):
    list_display = ("round", "indicator", "unit", "category", "measure", "value")
    list_filter = ("round", "measure")
