"""An issued report: a numbered, dated, signed version of a round's report whose files never change."""

from __future__ import annotations

from typing import Any

from django.db import models


class Immutable(Exception):
    """An issued version is a record: once its files are stored it is never edited."""


class IssuedReport(models.Model):
    """One issued version of a round's report (v1, v2, … per round), numbered in its series and year."""

    class State(models.TextChoices):
        RESERVED = "reserved"  # the number is taken, the files are being made
        ISSUED = "issued"
        # The files could not be made after the number was taken and a later number was taken meanwhile: the number
        # stays, recorded with why, so the series has no silent gap (service.py `_fail`).
        FAILED = "failed"

    round = models.ForeignKey("catalogue.Round", on_delete=models.PROTECT, related_name="issued_reports")
    version = models.PositiveIntegerField()
    number = models.CharField(max_length=64, help_text='as printed, e.g. "03/BC-SKHCN"')
    series = models.CharField(max_length=48, help_text='e.g. "BC-SKHCN"')
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.RESERVED)
    issued_at = models.DateTimeField()
    date = models.DateField(help_text="the date printed on the report")
    signer = models.CharField(max_length=200, blank=True, default="")
    issued_by = models.CharField(max_length=150)
    reason = models.TextField(blank=True, default="")
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="the version it corrects",
    )
    folder = models.CharField(max_length=255, blank=True, default="", help_text="under the reports directory")
    files = models.JSONField(default=list, help_text='[{"name", "format", "sha256", "bytes"}]')
    snapshot = models.JSONField(default=list, help_text="the round's exported rows the report was made from")
    certificate = models.TextField(blank=True, default="", help_text="PEM of the certificate the PDF was signed with")
    statements = models.JSONField(
        default=list, blank=True, help_text='the sentences the report printed: [{"section", "text"}] (findings, lists)'
    )
    missing_units = models.JSONField(default=list, blank=True, help_text="units that had not reported when issued")
    error = models.TextField(blank=True, default="", help_text="why the files could not be made (state failed)")

    RECORDS = (State.ISSUED, State.FAILED)  # never changed nor deleted once stored

    class Meta:
        ordering = ["round__code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="issued_number_unique"),
            models.UniqueConstraint(fields=["round", "version"], name="issued_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.round_id} v{self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and IssuedReport.objects.filter(pk=self.pk, state__in=self.RECORDS).exists():
            raise Immutable(f"issued version {self} is a record and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.state in self.RECORDS:
            raise Immutable(f"issued version {self} is a record and cannot be deleted")
        return super().delete(*args, **kwargs)
