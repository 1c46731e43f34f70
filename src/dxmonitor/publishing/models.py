"""A job of our own beside the task queue's record: what the pages and the API show, whatever the queue's backend."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_noop

from dxmonitor.catalogue.models import Round

# The steps a report job goes through, stored by key and shown in the page's language (Vietnamese first).
STEPS = {
    "queued": gettext_noop("Đang chờ đến lượt"),
    "build": gettext_noop("Đang dựng nội dung báo cáo"),
    "docx": gettext_noop("Đang ghi tệp DOCX"),
    "html": gettext_noop("Đang ghi tệp HTML"),
    "pdf": gettext_noop("Đang chuyển sang PDF (LibreOffice)"),
    "sign": gettext_noop("Đang ký số và lưu bản ban hành"),
    "publish": gettext_noop("Đang đưa tệp vào thư mục báo cáo"),
    "done": gettext_noop("Đã xong"),
    "failed": gettext_noop("Không lập được báo cáo"),
}


class Job(models.Model):
    """One request for a round's report: who asked, why if the round was incomplete, how far it got, what it wrote."""

    class State(models.TextChoices):
        QUEUED = "queued", gettext_noop("Đang chờ")
        RUNNING = "running", gettext_noop("Đang chạy")
        DONE = "done", gettext_noop("Đã xong")
        FAILED = "failed", gettext_noop("Thất bại")

    class Via(models.TextChoices):
        WEB = "web", "web"
        API = "api", "api"
        CLI = "cli", "cli"

    class Kind(models.TextChoices):
        REPORT = "report", gettext_noop("Lập báo cáo")
        ISSUE = "issue", gettext_noop("Ban hành báo cáo")  # a numbered, signed version (issuing/jobs.py)

    kind = models.CharField(max_length=16, default=Kind.REPORT, choices=Kind.choices)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="jobs")
    requested_by = models.CharField(max_length=150)
    via = models.CharField(max_length=8, choices=Via.choices)
    formats = models.JSONField(default=list)
    # Set when the round was incomplete at the request: the units then missing, and the reason the admin gave.
    missing_units = models.JSONField(default=list, blank=True)
    incomplete_reason = models.TextField(blank=True, default="")
    reason = models.TextField(blank=True, default="", help_text="an issue's reason (a correction …), kept with it")
    result = models.JSONField(
        default=dict, blank=True, help_text='an issue\'s version: {"version", "number", "files": [{"name", …}]}'
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=16, default="queued")
    files = models.JSONField(default=list, blank=True, help_text="names of the files written, in the reports folder")
    error_vi = models.TextField(blank=True, default="")
    error_en = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="", help_text="the task queue's id of the run")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.round.code} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
