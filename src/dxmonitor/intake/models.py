"""Stored figures: values of a round, their history, and the figures an issued report printed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dxmonitor.catalogue.models import Dataset, Indicator, Round, Unit


class Source(models.TextChoices):
    FILE = "file", _("Tệp")
    FORM = "form", _("Biểu mẫu")
    API = "api", "API"
    COMPUTED = "computed", _("Tính toán")


class Value(models.Model):
    """(indicator, unit, round, category, window) → number. `window` is a Window key: "2022-07-16" or "a/b".

    Written only by the write path (`intake.service.write`), which keeps every change in ValueChange. A round that
    holds figures cannot be deleted (PROTECT): it can be closed."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="values")
    category = models.CharField(max_length=64, blank=True, default="")
    window = models.CharField(max_length=32)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FILE)
    source_ref = models.CharField(max_length=255, blank=True, default="")
    note = models.TextField(blank=True, default="")
    updated_by = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "indicator", "unit", "category", "window"], name="one_value_per_key"
            )
        ]
        indexes = [models.Index(fields=["round", "indicator"])]

    def __str__(self) -> str:
        return f"{self.round.code} {self.indicator.code} {self.unit.code} {self.category} = {self.value}"


class HistoryQuerySet(models.QuerySet["ValueChange"]):
    """The history is added to, never rewritten: a bulk update or delete of it is refused."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("the history of figures cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the history of figures cannot be deleted")


class ValueChange(models.Model):
    """One change of a value, its figure or its note: who, when, how, old and new. Rows are only ever added:
    `dxmonitor audit` checks that each one starts where the one before ended and the last ends at the stored value."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=64, blank=True, default="")
    window = models.CharField(max_length=32)
    old_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    new_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    source_ref = models.CharField(max_length=255, blank=True, default="")
    changed_by = models.CharField(max_length=150, blank=True, default="")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_note = models.TextField(
        null=True, blank=True, help_text="the note before (empty for a new figure); null: from before notes were kept"
    )
    note = models.TextField(blank=True, default="", help_text="the figure's note after this change")

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("the history of figures cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("the history of figures cannot be deleted")


class Measure(models.TextChoices):
    PRINTED = "printed", "Số đã in"
    PRINTED_CHANGE = "printed_change", "Mức thay đổi đã in"
    PRINTED_CHANGE_PCT = "printed_change_pct", "Tỷ lệ thay đổi đã in"


class PrintedFigure(models.Model):
    """A figure an issued report printed (a total, a derived rate, a change), kept to check it against ours."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="printed_figures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=64, blank=True, default="")
    window = models.CharField(max_length=32)
    measure = models.CharField(max_length=24, choices=Measure.choices)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    source_ref = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "indicator", "unit", "category", "window", "measure"],
                name="one_printed_figure_per_key",
            )
        ]


class Submission(models.Model):
    """A unit's figures of one dataset for one round, as a whole: draft → submitted → approved (locked)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=16, default="draft")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True, default="")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "dataset", "unit"], name="one_submission_per_unit")]

    def __str__(self) -> str:
        return f"{self.round.code} {self.dataset.code} {self.unit.code}: {self.status}"


class SubmissionEvent(models.Model):
    """Every move of a submission, with who, when and why: the audit trail of the workflow."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]


class Revision(models.Model):
    """One row whose token changes with every write of what the pages compute from: values, printed figures,
    rounds and the catalogue's rows. Pages keep what they computed under the token they read first, so a write
    makes every kept page stale at once, in every server process. A token rather than a counter: a rolled-back
    transaction or a restored backup brings back the token of that very state, never one reused for another."""

    token = models.CharField(max_length=32)
