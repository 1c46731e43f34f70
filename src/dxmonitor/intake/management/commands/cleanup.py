from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from dxmonitor.intake.staging import remove_stale


class Command(BaseCommand):
    help = (
        "Xóa các tệp đã kiểm tra trên trang nộp số liệu mà không được xác nhận / "
        "delete files checked on the upload page and never confirmed"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=None,
            help=f"xóa những gì cũ hơn số giờ này / older than this many hours (mặc định/default: "
            f"DXMONITOR_UPLOAD_KEEP_HOURS = {settings.UPLOAD_KEEP_HOURS:g})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = settings.UPLOAD_KEEP_HOURS if options["hours"] is None else options["hours"]
        folder = Path(settings.VAR_DIR) / "uploads"
        removed = remove_stale(folder, hours)
        for ticket in removed:
            self.stdout.write(f"  {ticket.folder.name}: {', '.join(ticket.files) or '-'} ({ticket.hours:.0f} h)")
        self.stdout.write(
            f"Đã xóa {len(removed)} lượt nộp chưa xác nhận cũ hơn {hours:g} giờ trong {folder} / "
            f"removed {len(removed)} unconfirmed upload(s) older than {hours:g} h from {folder}"
        )
