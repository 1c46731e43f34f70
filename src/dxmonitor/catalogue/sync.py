"""Write the YAML catalogue into the database; running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dxmonitor.catalogue import models
from dxmonitor.catalogue.loading import Catalogue


@dataclass
class SyncSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def _upsert(model: Any, code: str, fields: dict[str, Any]) -> tuple[Any, bool, bool]:
    obj = model.objects.filter(code=code).first()
    if obj is None:
        return model.objects.create(code=code, **fields), True, False
    changed = {k: v for k, v in fields.items() if getattr(obj, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.save(update_fields=list(changed))
    return obj, False, bool(changed)


@transaction.atomic
def sync_catalogue(catalogue: Catalogue) -> SyncSummary:
    summary = SyncSummary()
    for ind in catalogue.indicators.values():
        _, created, changed = _upsert(
            models.Indicator,
            ind.code,
            {
                "name": ind.name,
                "kind": ind.kind,
                "direction": ind.direction,
                "decimals": ind.decimals,
                "spec": ind.model_dump(mode="json"),
            },
        )
        summary.count(created, changed)
    units: dict[str, models.Unit] = {}
    for unit in catalogue.units.values():  # first pass without links: parents may come later in the file
        units[unit.code], created, changed = _upsert(
            models.Unit,
            unit.code,
            {
                "name": unit.name,
                "short_name": unit.short_name,
                "kind": unit.kind,
                "aliases": unit.aliases,
                "communes": unit.communes,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
                "successors": unit.successors,
            },
        )
        summary.count(created, changed)
    for unit in catalogue.units.values():
        row = units[unit.code]
        parent_id = units[unit.parent].pk if unit.parent else None
        if row.parent_id != parent_id:
            row.parent_id = parent_id
            row.save(update_fields=["parent"])
        wanted = {units[g].pk for g in unit.groups}
        if set(row.groups.values_list("pk", flat=True)) != wanted:
            row.groups.set(wanted)
    indicators = {i.code: i for i in models.Indicator.objects.all()}
    for ds in catalogue.datasets.values():
        row, created, changed = _upsert(models.Dataset, ds.code, {"name": ds.name, "spec": ds.model_dump(mode="json")})
        summary.count(created, changed)
        wanted = {indicators[c].pk for c in ds.indicators}
        if set(row.indicators.values_list("pk", flat=True)) != wanted:
            row.indicators.set(wanted)
    return summary
