"""A page's table as a file to download: CSV or XLSX, built from the very dict the page shows (and answers as JSON),
so a download holds what the page holds and no more — the same rows for the same member, filter and sort.

Figures are plain numbers (92.36, not "92,36%"; the measure is in the header: "Kết quả (%)"), times are the local
date and time, words (headers, verdicts, statuses) are in the page's language. CSV is UTF-8 with a byte-order mark,
so that Excel reads its Vietnamese; XLSX keeps numbers as numbers, its header bold and its columns wide enough."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dxmonitor.web.presenters import Data

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MEASURE = {"percent": "%", "amount": "đồng", "points": "điểm"}  # a count needs none
WIDEST = 60  # characters: a longer text wraps in its cell rather than widening the column further
Cell = Any  # a str, int, float, datetime or None, as the page's data holds it


@dataclass(frozen=True)
class Table:
    """What a download holds: a name that says what it is (without extension), a header row, the rows."""

    name: str
    header: list[str]
    rows: list[list[Cell]]


# --- what each page's table is ---------------------------------------------------------------------------------------
def _items(value: object) -> list[Data]:
    return list(value) if isinstance(value, list) else []


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _get(data: Data, *path: str) -> object:
    """data["a"]["b"]…, or None where a step is missing."""
    found: object = data
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    return found


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _said(value: object) -> str:
    """A word the data keeps in Vietnamese ("Đạt", "Đã nộp"), in the page's language."""
    return _(str(value)) if value else ""


def _measured(label: str, kind: object) -> str:
    measure = MEASURE.get(str(kind), "")
    return f"{label} ({measure})" if measure else label


def _when(iso: object) -> datetime | None:
    """An ISO date-time of the data, as the local date and time (XLSX cells cannot hold a time zone)."""
    if not iso:
        return None
    return timezone.localtime(datetime.fromisoformat(str(iso))).replace(tzinfo=None)


def unit_table(name: str, data: Data) -> Table:
    """A round's units × indicators (a dataset's page, an indicator's page): a row per unit then the total row;
    per column its figure, its change and its verdict where the page shows them."""
    columns = _items(data.get("columns"))
    header = [_("Mã đơn vị"), pgettext("column", "Đơn vị")]
    for c in columns:
        label = str(c["label"])
        header.append(_measured(f"{label} — {_('Kết quả')}", c["kind"]))
        if c.get("has_change"):
            header.append(_measured(f"{label} — {_('Thay đổi')}", c["kind"]))
        if c.get("target"):
            header.append(f"{label} — " + _("Chỉ tiêu %(target)s") % {"target": _get(c, "target", "text")})

    def line(unit: object, unit_name: object, cells: list[Data]) -> list[Cell]:
        out: list[Cell] = [_text(unit), _text(unit_name)]
        for c, cell in zip(columns, cells, strict=True):
            out.append(cell["value"])
            if c.get("has_change"):
                out.append(cell["change"])
            if c.get("target"):
                out.append(_said(cell["verdict"]))
        return out

    rows = [line(r["unit"], r["unit_name"], _items(r["cells"])) for r in _items(data.get("rows"))]
    total = data.get("total")
    if isinstance(total, dict):
        rows.append(line(total["unit"], total["unit_name"], _items(total["cells"])))
    return Table(name, header, rows)


def dataset_table(data: Data) -> Table:
    return unit_table(f"dataset-{_get(data, 'dataset', 'code')}-{_get(data, 'round', 'code')}", data)


def indicator_table(data: Data) -> Table:
    return unit_table(f"indicator-{_get(data, 'indicator', 'code')}-{_get(data, 'round', 'code')}", data)


def datasets_table(data: Data) -> Table:
    header = [
        _("Mã"),
        pgettext("column", "Bộ số liệu"),
        pgettext("column", "Chỉ tiêu"),
        _("Số đơn vị"),
        _("Thời điểm số liệu"),
    ]
    rows: list[list[Cell]] = [
        [d["code"], d["name"], "; ".join(str(i["name"]) for i in _items(d["indicators"])), d["units"], d["window_note"]]
        for d in _items(data.get("datasets"))
    ]
    return Table("datasets", header, rows)


def units_table(data: Data) -> Table:
    header = [
        _("Loại đơn vị"),
        _("Mã"),
        pgettext("column", "Đơn vị"),
        _("Tên ngắn"),
        _("Trực thuộc"),
        _("Nhóm"),
        _("Hiệu lực đến"),
    ]
    rows: list[list[Cell]] = [
        [
            g["label"],
            u["code"],
            u["name"],
            u["short_name"],
            _text(_get(u, "parent", "name")),
            "; ".join(str(x["name"]) for x in _items(u["groups"])),
            u["valid_to"],
        ]
        for g in _items(data.get("groups"))
        for u in _items(g["units"])
    ]
    return Table("units", header, rows)


def unit_history_table(data: Data) -> Table:
    """A unit's indicators across the rounds: per round its figure, its change and its verdict."""
    rounds = _items(data.get("rounds"))
    header = [_("Mã chỉ tiêu"), _("Phân loại"), pgettext("column", "Chỉ tiêu")]
    for r in rounds:
        header += [f"{r['name']} — {_('Kết quả')}", f"{r['name']} — {_('Thay đổi')}", f"{r['name']} — {_('Đánh giá')}"]
    rows: list[list[Cell]] = []
    for row in _items(data.get("rows")):
        line: list[Cell] = [row["indicator"], row["category"], _measured(str(row["name"]), row["kind"])]
        for c in _items(row["cells"]):
            line += [c["value"], c["change"], _said(c["verdict"])]
        rows.append(line)
    return Table(f"unit-{_get(data, 'unit', 'code')}", header, rows)


def indicators_table(data: Data) -> Table:
    header = [
        _("Mã"),
        pgettext("column", "Chỉ tiêu"),
        _("Tên ngắn"),
        _("Loại"),
        _("Chiều đánh giá"),
        _("Mục tiêu"),
        pgettext("column", "Bộ số liệu"),
    ]
    rows: list[list[Cell]] = [
        [
            i["code"],
            i["name"],
            i["label"],
            i["kind_label"],
            _("càng thấp càng tốt") if i["direction"] == "lower" else _("càng cao càng tốt"),
            "; ".join(str(t["text"]) for t in _items(i["targets"])),
            ", ".join(str(d) for d in _list(i["datasets"])),
        ]
        for i in _items(data.get("indicators"))
    ]
    return Table("indicators", header, rows)


def rounds_table(data: Data) -> Table:
    header = [_("Mã"), _("Kỳ"), _("So sánh với"), _("Số báo cáo"), _("Ngày ban hành"), _("Số liệu")]
    rows: list[list[Cell]] = [
        [r["code"], r["name"], _text(_get(r, "baseline", "name")), r["report_number"], r["report_date"], r["values"]]
        for r in _items(data.get("rounds"))
    ]
    return Table("rounds", header, rows)


def submissions_table(data: Data) -> Table:
    """Each unit's submission of each dataset, as the page lists them under "Theo đơn vị"."""
    header = [
        _("Mã bộ số liệu"),
        pgettext("column", "Bộ số liệu"),
        _("Mã đơn vị"),
        pgettext("column", "Đơn vị"),
        _("Trạng thái"),
        _("Có số liệu"),
        _("Nộp lúc"),
        _("Người nộp"),
        _("Đúng hạn"),
        _("Người duyệt"),
    ]
    yes, no = _("Có"), _("Không")
    rows: list[list[Cell]] = [
        [
            d["dataset"],
            d["name"],
            u["unit"],
            u["name"],
            _said(u["status_text"]),
            yes if u["has_figures"] else no,
            _when(u["submitted_at"]),
            u["submitted_by"],
            "" if u["on_time"] is None else yes if u["on_time"] else no,
            u["approved_by"],
        ]
        for d in _items(data.get("datasets"))
        for u in _items(d["units"])
    ]
    return Table(f"submissions-{_get(data, 'round', 'code')}", header, rows)


def checks_table(data: Data) -> Table:
    header = [
        _("Mức độ"),
        pgettext("column", "Bộ số liệu"),
        _("Mã đơn vị"),
        pgettext("column", "Đơn vị"),
        pgettext("column", "Chỉ tiêu"),
        _("Nhận xét"),
        _("Số liệu"),
    ]
    rows: list[list[Cell]] = [
        [
            _said(g["severity_text"]),
            f.get("dataset_name") or "",
            f["unit"] or "",
            f.get("unit_full_name") or "",
            " ".join(str(x) for x in (f["indicator"], f["category"]) if x),
            f["message"],
            f["figures"],
        ]
        for g in _items(data.get("groups"))
        for f in _items(g["findings"])
    ]
    return Table(f"checks-{_get(data, 'round', 'code')}", header, rows)


def value_history_table(data: Data) -> Table:
    """A value's changes, newest first, as the page lists them."""
    header = [
        _("Lúc"),
        _("Người thay đổi"),
        _("Cách nhập"),
        _("Phân loại"),
        _("Ngày số liệu"),
        _measured(_("Số cũ"), _get(data, "indicator", "kind")),
        _measured(_("Số mới"), _get(data, "indicator", "kind")),
        _("Ghi chú"),
        _("Nguồn"),
    ]
    rows: list[list[Cell]] = [
        [
            _when(c["at"]),
            c["by"],
            _said(c["source_text"]),
            c["category_text"],
            c["as_of"],
            c["old_value"],
            c["new_value"],
            c["note"],
            c["source_ref"],
        ]
        for c in _items(data.get("changes"))
    ]
    name = "-".join(str(_get(data, *k)) for k in (("round", "code"), ("unit", "code"), ("indicator", "code")))
    return Table(f"value-history-{name}", header, rows)


# Each page with a table, by its template: how its data becomes the table to download.
TABLES: dict[str, Callable[[Data], Table]] = {
    "web/datasets.html": datasets_table,
    "web/dataset.html": dataset_table,
    "web/units.html": units_table,
    "web/unit.html": unit_history_table,
    "web/indicators.html": indicators_table,
    "web/indicator.html": indicator_table,
    "web/rounds.html": rounds_table,
    "web/intake_submissions.html": submissions_table,
    "web/intake_checks.html": checks_table,
    "web/intake_history.html": value_history_table,
}


def table_of(template: str, data: Data) -> Table | None:
    """The table of the page drawn by `template` (None for a page without one)."""
    build = TABLES.get(template)
    return build(data) if build else None


# --- the files -------------------------------------------------------------------------------------------------------
def _plain(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_plain(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _width(values: Iterable[Cell]) -> int:
    longest = max((len(_text(_plain(v))) for v in values), default=0)
    return min(max(longest, 6) + 2, WIDEST)


def xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = table.name[:31]  # Excel's limit for a sheet's name
    sheet.append(table.header)
    for row in table.rows:
        sheet.append(list(row))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for i, header in enumerate(table.header, start=1):
        column = get_column_letter(i)
        sheet.column_dimensions[column].width = _width([header, *(r[i - 1] for r in table.rows)])
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(table: Table, fmt: str) -> HttpResponse:
    """The table as an attachment named after what it is: `dataset-app_users-2022-06.xlsx`."""
    content = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response


def links(path: str, query: QueryDict) -> list[Data]:
    """The page's own address asking for each file, its query (round, filter, sort) kept."""
    out: list[Data] = []
    for fmt, label in (("csv", _("Tải CSV")), ("xlsx", _("Tải Excel"))):
        asked = query.copy()
        asked["format"] = fmt
        out.append({"format": fmt, "label": label, "url": f"{path}?{asked.urlencode()}"})
    return out
