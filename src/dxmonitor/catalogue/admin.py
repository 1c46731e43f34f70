from django.contrib import admin
from django.http import HttpRequest

from dxmonitor.catalogue.forms import RoundForm
from dxmonitor.catalogue.models import Dataset, Indicator, Round, RoundEvent, Unit
from dxmonitor.catalogue.round_store import record


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


class RoundEventInline(admin.TabularInline):
    model = RoundEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "by", "reason")

    def has_add_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        return False  # the record is written by the pages that act on the round


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """The same form as the rounds page (codes checked, dd/mm/yyyy dates); state changes stay on the rounds page,
    which asks why."""

    form = RoundForm
    list_display = ("code", "name", "baseline", "state", "deadline", "created_at")
    readonly_fields = ("state", "closed_at", "closed_by")
    inlines = [RoundEventInline]

    def save_model(self, request: HttpRequest, obj: Round, form: RoundForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        by = request.user.get_username()
        if not change:
            record(obj, "opened", by, "Django admin")
        elif form.changes():
            record(obj, "edited", by, form.changes())
