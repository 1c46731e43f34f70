from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy tiến trình xử lý công việc nền (lập báo cáo) / run the background job worker (report generation)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="chạy hết việc đang chờ rồi dừng / run what is queued, then stop"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="giây chờ giữa hai lần xem hàng đợi / seconds between looks"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASKS_BACKEND == "redis":
            # RQ's worker, with django-tasks-rq's job class so that it runs django-tasks' tasks.
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=options["batch"])
            return
        call_command(
            "db_worker",
            batch=options["batch"],
            interval=options["interval"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
        )
