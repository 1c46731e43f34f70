from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dxmonitor.catalogue.loading import CatalogueError, load_catalogue
from dxmonitor.catalogue.sync import sync_catalogue
from dxmonitor.project.settings import VAR_DIR


class Command(BaseCommand):
    help = "Tạo hoặc nâng cấp cơ sở dữ liệu và nạp danh mục / create or migrate the database and load the catalogue"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            catalogue = load_catalogue(settings.CATALOGUE_DIR)
        except CatalogueError as exc:
            raise CommandError("Danh mục có lỗi / the catalogue has errors:\n" + str(exc)) from exc
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        summary = sync_catalogue(catalogue)
        self.stdout.write(
            f"Danh mục / catalogue: {len(catalogue.indicators)} chỉ tiêu, {len(catalogue.datasets)} bộ số liệu, "
            f"{len(catalogue.units)} đơn vị — mới/new {summary.created}, cập nhật/updated {summary.updated}, "
            f"không đổi/unchanged {summary.unchanged}"
        )
