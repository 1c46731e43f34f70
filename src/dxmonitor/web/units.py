"""Units as page data: what a unit is, where it sits in the tree, and the labels of the kinds of units."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import get_args

from django.utils.translation import gettext as _

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Unit, UnitKind
from dxmonitor.catalogue.tree import predecessors
from dxmonitor.evaluation.formats import short_date
from dxmonitor.web.language import page_language
from dxmonitor.web.presenters import Data, day

SINCE_EVER = date(2000, 1, 1)  # the catalogue's valid_from when a unit's beginning is not recorded
KIND_ORDER: list[str] = list(get_args(UnitKind))  # the order the catalogue schema lists them in


def kind_label(kind: str) -> str:
    labels = {
        "province": _("Tỉnh"),
        "department": _("Sở, ban, ngành"),
        "district": _("Huyện, thị xã, thành phố"),
        "commune": _("Xã, phường, thị trấn"),
        "hamlet": _("Thôn, ấp, khu phố"),
        "branch": _("Chi nhánh Văn phòng đăng ký đất đai"),
        "party": _("Cơ quan Đảng"),
        "mass_org": _("Mặt trận, đoàn thể"),
        "armed": _("Lực lượng vũ trang"),
        "company": _("Doanh nghiệp"),
        "group": _("Nhóm đơn vị"),
        "other": _("Khác"),
    }
    return labels.get(kind, kind)


def _named(code: str, catalogue: Catalogue) -> Data:
    unit = catalogue.units.get(code)
    return {"code": code, "name": unit.name if unit else code}


def unit_data(unit: Unit, catalogue: Catalogue, children: Callable[[Iterable[str]], list[str]] | None = None) -> Data:
    """A unit's catalogue entry; with `children` (a reader's filter), the units right below it it lets through."""
    data: Data = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "kind_label": kind_label(unit.kind),
        "parent": _named(unit.parent, catalogue) if unit.parent else None,
        "groups": [_named(g, catalogue) for g in unit.groups],
        "aliases": list(unit.aliases),
        "communes": unit.communes,
        "valid_from": day(unit.valid_from),
        "valid_to": day(unit.valid_to),
        "valid_from_text": short_date(unit.valid_from, page_language()) if unit.valid_from > SINCE_EVER else "",
        "valid_to_text": short_date(unit.valid_to, page_language()) if unit.valid_to else "",
        "successors": [_named(s, catalogue) for s in unit.successors],
        "predecessors": [_named(p, catalogue) for p in predecessors(catalogue, unit.code)],
        "formerly": list(unit.formerly),
    }
    if children is not None:
        below = [c for c, u in catalogue.units.items() if u.parent == unit.code]
        below += [c for c, u in catalogue.units.items() if unit.code in u.groups]
        data["children"] = [_named(c, catalogue) for c in children(below)]
    return data
