"""Stored catalogue: units, indicators, datasets and rounds. The YAML files are the source; these rows mirror them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from dxmonitor.catalogue.rounds import RoundCodeError, check_round_code


def validate_round_code(code: str) -> None:
    """The model's own check of a round code, so that the Django admin and every ModelForm refuse `07/2022`."""
    try:
        check_round_code(code)
    except RoundCodeError as exc:
        raise ValidationError(str(exc), code="round_code") from exc


class Unit(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=128)
    kind = models.CharField(max_length=32)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    groups = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="members")
    aliases = models.JSONField(default=list, blank=True)
    communes = models.PositiveIntegerField(null=True, blank=True)
    valid_from = models.DateField(default=date(2000, 1, 1))
    valid_to = models.DateField(null=True, blank=True)
    successors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    direction = models.CharField(max_length=8, default="higher")
    decimals = models.PositiveSmallIntegerField(default=0)
    spec = models.JSONField(default=dict, help_text="the indicator as the catalogue YAML defines it")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Dataset(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    indicators = models.ManyToManyField(Indicator, related_name="datasets")
    spec = models.JSONField(default=dict)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """A reporting round: `2022-06` is "tháng 6/2022", reported in the following month."""

    code = models.CharField(max_length=7, unique=True, validators=[validate_round_code])
    name = models.CharField(max_length=64)
    baseline = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    report_number = models.CharField(max_length=32, blank=True, default="", help_text="e.g. 02/BC-STTTT")
    report_date = models.DateField(null=True, blank=True, help_text="the date the report is issued")
    # Who issues the round's report, taken from the issuer in force when the round is opened (catalogue/issuers.py)
    # and kept: a report regenerated later prints the header it was issued under.
    issuer_parent_agency = models.CharField(max_length=200, blank=True, default="", help_text="UBND TỈNH BÌNH PHƯỚC")
    issuer_agency = models.CharField(max_length=200, blank=True, default="", help_text="SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    issuer_agency_name = models.CharField(
        max_length=200, blank=True, default="", help_text="as running text writes it: Sở Thông tin và Truyền thông"
    )
    issuer_place = models.CharField(max_length=100, blank=True, default="", help_text="Bình Phước")
    issuer_signer_title = models.CharField(max_length=100, blank=True, default="", help_text="GIÁM ĐỐC")
    issuer_signer_name = models.CharField(max_length=100, blank=True, default="")
    issuer_series = models.CharField(max_length=24, blank=True, default="", help_text="the number's series: BC-STTTT")
    issuer_recipients = models.TextField(blank=True, default="", help_text="one a line")
    deadline = models.DateTimeField(null=True, blank=True, help_text="when units' submissions are due")
    datasets = models.ManyToManyField(
        Dataset, blank=True, related_name="rounds", help_text="the datasets collected this round"
    )
    state = models.CharField(max_length=8, choices=[("open", "open"), ("closed", "closed")], default="open")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"

    def effective_baseline(self) -> Round | None:
        """The round this one is compared with: the one chosen, else the latest before it."""
        if self.baseline_id:
            return self.baseline
        return Round.objects.filter(code__lt=self.code).order_by("-code").first()


class RoundEvent(models.Model):
    """What happened to a round and by whom: opened, edited, closed, reopened, or written by an admin while closed."""

    ACTIONS = [
        ("opened", "opened"),
        ("edited", "edited"),
        ("closed", "closed"),
        ("reopened", "reopened"),
        ("written", "written while closed"),
    ]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=ACTIONS)
    by = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round.code} {self.action} {self.by}"
