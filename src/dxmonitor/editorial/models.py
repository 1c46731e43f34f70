"""A round's written sections: every save is a new version (drafts kept, with who and when), and the pictures the
texts name. Written only through `store.py`."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from dxmonitor.catalogue.models import Round


class SectionVersion(models.Model):
    """One saved text of one section of a round; the latest version is the one the report prints."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="section_versions")
    key = models.CharField(max_length=60)  # the section's key in the outline's `written` list
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    saved_by = models.CharField(max_length=150)
    saved_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, default="web")  # web, import

    class Meta:
        ordering = ["round", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key", "version"], name="one_number_per_section_version")
        ]

    def __str__(self) -> str:
        return f"{self.round.code} {self.key} v{self.version}"


class SectionPicture(models.Model):
    """A picture a round's texts name (`![caption](name)`); saving one of the same name replaces it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="section_pictures")
    name = models.CharField(max_length=200)
    data = models.BinaryField()
    saved_by = models.CharField(max_length=150)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="one_picture_per_name")]

    def __str__(self) -> str:
        return f"{self.round.code} {self.name}"
