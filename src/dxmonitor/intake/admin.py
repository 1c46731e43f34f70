"""The admin shows stored figures, their history and printed figures, and changes none of them: figures are written
only through the write path (upload, entry form, API, `dxmonitor import`), which holds the locks, checks approval,
scope and rules, and keeps the history; the history itself is never rewritten."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dxmonitor.intake.models import PrintedFigure, Value, ValueChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Value)
class ValueAdmin(ReadOnlyAdmin):
    list_display = ("round", "indicator", "unit", "category", "window", "value", "source", "updated_at")
    list_filter = ("round", "indicator")
    search_fields = ("unit__name", "indicator__code")


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = ("round", "indicator", "unit", "category", "old_value", "new_value", "source", "changed_at")
    list_filter = ("round",)


@admin.register(PrintedFigure)
class PrintedFigureAdmin(ReadOnlyAdmin):
    list_display = ("round", "indicator", "unit", "category", "measure", "value")
    list_filter = ("round", "measure")
