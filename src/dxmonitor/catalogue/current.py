"""The catalogue in force, loaded once per process from settings.CATALOGUE_DIR."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.management.base import CommandError

from dxmonitor.catalogue.loading import Catalogue, load_catalogue
from dxmonitor.catalogue.models import Indicator


@cache
def get_catalogue() -> Catalogue:
    return load_catalogue(settings.CATALOGUE_DIR)


def require_initialised() -> Catalogue:
    """The catalogue, after checking that `dxmonitor init` has loaded it into the database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import DatabaseError

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        ready = not pending and Indicator.objects.exists()
    except DatabaseError:
        ready = False
    if not ready:
        raise CommandError(
            "Cơ sở dữ liệu chưa được khởi tạo hoặc cần nâng cấp: hãy chạy `dxmonitor init`. "
            "/ The database is not initialised or needs migrating: run `dxmonitor init`."
        )
    return get_catalogue()
