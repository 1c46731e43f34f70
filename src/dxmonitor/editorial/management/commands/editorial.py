from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dxmonitor.accounts.cli import command_line_principal
from dxmonitor.catalogue.current import require_initialised
from dxmonitor.catalogue.models import Round
from dxmonitor.catalogue.rounds import round_argument
from dxmonitor.editorial.store import current_texts, history, import_folder, slots_of


class Command(BaseCommand):
    help = "Các mục viết của báo cáo (Markdown) / the report's written sections (Markdown): import, history"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imports = sub.add_parser("import", help="lưu các mục từ một thư mục / store the sections of a folder")
        imports.add_argument("--round", required=True, type=round_argument)
        imports.add_argument("folder", type=Path, help="thư mục các tệp .md (01-goc-chia-se.md, …) và ảnh")
        imports.add_argument("--user", default=None, help="người thực hiện (quản trị) / acting user (an admin)")
        shown = sub.add_parser("history", help="các phiên bản đã lưu / the saved versions")
        shown.add_argument("--round", required=True, type=round_argument)

    def handle(self, *args: Any, **options: Any) -> None:
        require_initialised()
        code = options["round"]
        round_ = Round.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(f"Không có kỳ báo cáo '{code}' / no round '{code}'")
        if options["action"] == "history":
            self._history(round_)
            return
        principal = command_line_principal(options["user"])
        if not principal.is_admin:
            raise CommandError("Chỉ quản trị lưu các mục viết của báo cáo / only an admin stores the written sections")
        result = import_folder(round_, options["folder"], principal.name)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Không lưu gì: {len(result.problems)} lỗi / nothing stored: {len(result.problems)} error(s)"
            )
        for version in result.saved:
            self.stdout.write(f"Đã lưu / saved {version.key} v{version.version}")
        for key in result.unchanged:
            self.stdout.write(f"Không đổi / unchanged {key}")

    def _history(self, round_: Round) -> None:
        latest = current_texts(round_)
        for slot in slots_of(round_):
            if slot.key not in latest:
                self.stdout.write(f"{slot.file}: chưa viết / not written")
                continue
            for v in history(round_, slot.key):
                at = timezone.localtime(v.saved_at).strftime("%d/%m/%Y %H:%M")
                self.stdout.write(f"{slot.file} v{v.version} {at} {v.saved_by} ({v.via}) {len(v.text)} ký tự/chars")
