"""Long tables and templates are planned with shortcuts for what repeats (names, codes, days, usual numbers); the
shortcuts never change a plan: every value, every problem and every place is what the full checks of each row or
figure give."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.intake.long_format import FIELDS, LongSheet, Origin, cell_text
from dxmonitor.intake.names import REMEMBERED
from dxmonitor.intake.planning import ImportPlan, Planner, plan_files
from dxmonitor.intake.reading import Sheet
from dxmonitor.intake.recurring import Memo
from dxmonitor.intake.wide_format import WideTable, read_wide_sheet
from dxmonitor.problems import Location

ROUND = "2023-01"

UNITS = [
    "Sở Tư pháp",
    "So Tu phap",  # matched without diacritics: a warning on every row
    "BP.TU",
    " UBND H.Đồng Phú ",
    "TX. Bình Long",
    "Sở Tƣ pháp",
    "Huyện Không Có",
    "Khối huyện",
    "",
    "   ",
    None,
    12.0,
]
INDICATORS = [
    "dvc.online_service_rate",  # percent
    "dvc.procedures",  # count
    "payment.tax_amount",  # amount
    "portal.posts",  # count, by channel
    "dvc.online_service_share",  # derived
    "khong.co",
    "",
    None,
]
CATEGORIES = ["", None, "channel=zalo", "Zalo", "zalo", "channel=tiktok", "level=muc_3", "Mức độ 3"]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1, 92.36, 100.0, 100.5, 1767.0, 0.1 + 0.2, 1e17, -3.0, -0.0, 1e-07, 12.1234567, 1e16]),
    st.sampled_from(["1.767", "1,767", "92,36%", "92.36", "1.903.389", "41,250,000", "-5", "1 767", "x", "", "0.000"]),
    st.text(alphabet="0123456789.,%-", max_size=10),
)
AS_OF = st.one_of(
    st.none(),
    st.dates(date(2022, 12, 1), date(2023, 2, 28)),
    st.datetimes(datetime(2023, 1, 1), datetime(2023, 1, 31)),
    st.sampled_from(["16/01/2023", "2023-01-16", "01/01/2023-16/01/2023", "31/02/2023", "", "ngày 5", "20/01/2023"]),
    st.sampled_from([45000.0, 3]),
)
NOTES = st.sampled_from(["", None, "theo Cổng DVC", "  ghi chú  "])
MEASURES = st.sampled_from([None, "", "printed", "Số in", "printed_change_pct", "thay đổi in", "bogus"])
ROW = st.tuples(
    st.sampled_from(UNITS), st.sampled_from(INDICATORS), st.sampled_from(CATEGORIES), VALUES, AS_OF, NOTES, MEASURES
)


def with_limited_units(catalogue: Catalogue) -> Catalogue:
    """The catalogue with one unit starting and one ending inside the round, so that validity is checked too."""
    units = dict(catalogue.units)
    units["BP.SO_TP"] = units["BP.SO_TP"].model_copy(update={"valid_from": date(2023, 1, 15)})
    units["BP.TU"] = units["BP.TU"].model_copy(update={"valid_to": date(2023, 1, 20)})
    return Catalogue(catalogue.indicators, catalogue.datasets, units)


def long_sheet(rows: Sequence[Sequence[object]], columns: Sequence[str]) -> LongSheet:
    """A long table whose fields are `columns`, in that order, from column A; its rows numbered from 2."""
    fields = {field: index for index, field in enumerate(columns)}
    origin = Origin("t.xlsx", "Số liệu", tuple((f, "ABCDEFG"[i]) for f, i in fields.items()))
    return LongSheet(origin, fields, iter([(number, list(cells)) for number, cells in enumerate(rows, start=2)]))


def described(plan: ImportPlan) -> tuple[list[tuple[object, ...]], list[object]]:
    """Everything a plan says, the numbers as written (so that "5.0" and "5" differ)."""
    values = [
        (*v.key, str(v.value), v.note, v.location, v.source_ref, v.at("value"), v.at("unit")) for v in plan.values
    ]
    return values, list(plan.problems)


def both_ways(catalogue: Catalogue, rows: Sequence[Sequence[object]], columns: Sequence[str]) -> tuple[int, ...]:
    """Plan the rows with the shortcuts and with the full checks of every row; assert they agree."""
    quick, full = ImportPlan(ROUND), ImportPlan(ROUND)
    planned_rows = Planner(quick, catalogue).add_sheet(long_sheet(rows, columns))
    slow = Planner(full, catalogue)
    records = list(long_sheet(rows, columns).records())
    for record in records:
        slow.add(record)
    assert described(quick) == described(full)
    assert planned_rows == len(records)
    return len(quick.values), len(quick.problems)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(ROW, max_size=25), cut=st.lists(st.integers(0, 7), max_size=25), notes=st.booleans())
def test_the_shortcuts_give_the_plan_of_the_full_checks(
    catalogue: Catalogue, rows: list[tuple[object, ...]], cut: list[int], notes: bool
) -> None:
    columns = list(FIELDS) if notes else ["unit", "indicator", "category", "value", "as_of"]
    shorter = [n if n < 3 else None for n in cut]  # some rows shorter than the header, as a CSV file has them
    shaped = [list(row[: len(columns)])[: shorter[i] if i < len(shorter) else None] for i, row in enumerate(rows)]
    both_ways(with_limited_units(catalogue), shaped, columns)


def test_usual_rows_and_their_repeats_agree_too(catalogue: Catalogue) -> None:
    rows = [
        ["Sở Tư pháp", "dvc.online_service_rate", "", 87.5, date(2023, 1, 16)],
        ["UBND H.Đồng Phú", "dvc.online_dossier_rate", "", "92.36", ""],
        ["Tỉnh Bình Phước", "dvc.procedures", "", "1.767", "16/01/2023"],
        ["Toàn tỉnh", "portal.posts", "Zalo", 12.0, "01/01/2023-16/01/2023"],
        ["Huyện Lộc Ninh", "payment.tax_amount", "", "41.250.000", "2023-01-16"],
        ["Sở Tư pháp", "dvc.online_service_rate", "", "87,5%", "16/01/2023"],  # the first row again: a duplicate
        ["So Tu phap", "dvc.procedures", "", "12", ""],  # a warning
    ]
    assert both_ways(catalogue, rows, ["unit", "indicator", "category", "value", "as_of"]) == (6, 2)


def test_the_usual_cells_are_answered_by_the_shortcuts(catalogue: Catalogue) -> None:
    recurring = Planner(ImportPlan(ROUND), catalogue).recurring
    units = [recurring.units[name] for name in ("Sở Tư pháp", "BP.TU", "UBND H.Đồng Phú", "Sở Tƣ pháp", "Toàn tỉnh")]
    assert [u.code if u else None for u in units] == ["BP.SO_TP", "BP.TU", "BP.DONG_PHU", "BP.SO_TP", "BP"]
    figure = recurring.figures["portal.posts", "Zalo", None]
    assert figure is not None
    assert (figure.indicator, figure.category, figure.number("1.903.389")) == ("portal.posts", "channel=zalo", 1903389)
    windows = [recurring.windows[cell] for cell in (date(2023, 1, 16), "16/01/2023", "2023-01-16", None, "")]
    assert [w.key if w else None for w in windows] == ["2023-01-16"] * 3 + ["2023-01-31"] * 2


def test_a_table_away_from_the_corner_keeps_its_rows_and_columns(tmp_path: Path, catalogue: Catalogue) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Số liệu"
    rows = [
        ["Đơn vị", "Chỉ tiêu", "Phân loại", "Giá trị", "Ngày số liệu"],
        ["Sở Tư pháp", "dvc.online_service_rate", None, 87.5, "16/01/2023"],
        ["Sở Tư pháp", "dvc.online_dossier_rate", None, "chín mươi", "16/01/2023"],
    ]
    for number, row in enumerate(rows, start=3):  # the table starts at C3
        for column, value in enumerate(row, start=3):
            sheet.cell(row=number, column=column, value=value)
    path = tmp_path / "lech.xlsx"
    workbook.save(path)
    plan = plan_files([path], ROUND, catalogue)
    assert [(v.indicator, v.value, v.source_ref) for v in plan.values] == [
        ("dvc.online_service_rate", Decimal("87.5"), "lech.xlsx!Số liệu:4")
    ]
    assert [(p.location, p.message_en) for p in plan.errors] == [
        (Location("lech.xlsx", "Số liệu", 5, "F", "value"), "'chín mươi' is not a number")
    ]


def test_a_file_found_damaged_halfway_gives_that_problem_alone(tmp_path: Path, catalogue: Catalogue) -> None:
    header = ["don_vi", "chi_tieu", "phan_loai", "gia_tri", "ngay_so_lieu"]
    good = tmp_path / "tot.csv"
    with good.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, ["Sở Tư pháp", "dvc.procedures", "", "12", "16/01/2023"]])
    damaged = tmp_path / "hong.csv"
    with damaged.open("w", newline="", encoding="utf-8") as handle:
        rows = [header] + [["Huyện Lộc Ninh", "dvc.procedures", "", str(n), f"{n:02d}/01/2023"] for n in range(1, 31)]
        rows.append(["Huyện Lộc Ninh", "dvc.procedures", "", "1", "x" * (csv.field_size_limit() + 1)])
        csv.writer(handle).writerows(rows)
    plan = plan_files([good, damaged], ROUND, catalogue)
    assert [(p.location, p.message_en[:14]) for p in plan.problems] == [(Location("hong.csv"), "malformed CSV:")]
    assert [v.source_ref for v in plan.values] == ["tot.csv:2"]


@pytest.mark.parametrize("round_code", ["2023-13", "tháng 1"])
def test_with_a_wrong_round_the_rows_are_still_counted(tmp_path: Path, catalogue: Catalogue, round_code: str) -> None:
    only_header = tmp_path / "trong.csv"
    only_header.write_text("don_vi,chi_tieu,gia_tri\n,,\n", encoding="utf-8")
    one_row = tmp_path / "mot.csv"
    one_row.write_text("don_vi,chi_tieu,gia_tri\nBP,dvc.procedures,12\n", encoding="utf-8")
    plan = plan_files([only_header, one_row], round_code, catalogue)
    assert [(p.location.file, p.message_en) for p in plan.problems] == [
        ("trong.csv", "there are no data rows"),
        ("", f"round code '{round_code}' must look like YYYY-MM, e.g. 2022-07"),
    ]


CODES = [
    "dvc.online_service_rate",
    "dvc.procedures",
    "payment.tax_amount",
    "portal.posts|channel=zalo",
    "portal.posts|Zalo",
    "portal.posts|channel=tiktok",
    "portal.posts",  # the total of categories: computed, but a template may have it
    "dvc.online_service_share",  # derived
    "khong.co",
    "dvc.procedures|Zalo",
]
TEMPLATE_ROW = st.tuples(st.sampled_from(UNITS), st.sampled_from(UNITS), st.lists(VALUES, max_size=8), NOTES)


def template_rows(codes: Sequence[str], as_of: object, rows: Sequence[tuple[object, ...]]) -> list[list[object]]:
    """A template sheet as `templates.py` writes it: round and as-of day above, the code row, a row per unit."""
    head: list[list[object]] = [
        ["BIỂU MẪU"],
        ["Kỳ báo cáo:", None, ROUND],
        ["Ngày số liệu:", None, as_of],
        [],
        ["STT", "Mã đơn vị", "Đơn vị", *codes, "Ghi chú"],
        ["#codes", "unit_code", "unit_name", *codes, "note"],
    ]
    body = [
        [n, code, name, *values, *[None] * (len(codes) - len(values)), note]
        for n, (code, name, values, note) in enumerate(rows, start=1)
    ]
    return [*head, *body]


def template_sheet(cells: list[list[object]]) -> Sheet:
    return Sheet("mau.xlsx", "Số liệu", enumerate(cells, start=1))


def template_both_ways(catalogue: Catalogue, table: WideTable) -> ImportPlan:
    """Plan a template's figures with the shortcuts and with the full checks of every figure; assert they agree."""
    quick, full = ImportPlan(ROUND), ImportPlan(ROUND)
    Planner(quick, catalogue).add_template(table)
    slow = Planner(full, catalogue)
    records = list(table.records())
    for record in records:
        slow.add(record)
    assert described(quick) == described(full)
    assert len(table) == len(records)
    return quick


@settings(max_examples=300, deadline=None)
@given(
    codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=8),
    as_of=AS_OF,
    rows=st.lists(TEMPLATE_ROW, max_size=8),
)
def test_the_shortcuts_give_the_plan_of_the_full_checks_for_a_template(
    catalogue: Catalogue, codes: list[str], as_of: object, rows: list[tuple[object, ...]]
) -> None:
    cells = template_rows(codes, as_of, rows)
    wide = read_wide_sheet(template_sheet(cells))
    assert wide is not None
    template_both_ways(with_limited_units(catalogue), wide.table)
    filled = [
        (number, place, row[column.index])
        for number, row in enumerate(cells[6:], start=7)
        for place, column in enumerate(wide.table.columns)
        if column.index < len(row) and cell_text(row[column.index])
    ]
    assert [(number, place, cell) for number, _, _, figures in wide.table.rows for place, cell in figures] == filled


def test_usual_template_figures_and_their_repeats_agree_too(catalogue: Catalogue) -> None:
    codes = ["dvc.online_service_rate", "dvc.procedures", "portal.posts|channel=zalo", "dvc.procedures"]
    rows = [
        ("BP.SO_TP", "Sở Tư pháp", [87.5, 12, "1.767", 3], ""),  # the same figure twice: a duplicate
        ("", "So Tu phap", [None, "", "92,5", None], "ghi chú"),  # a guessed name and a wrong number
        ("BP.DONG_PHU", None, ["100", 5.0, "1.903.389", None], "  theo Cổng DVC "),
        ("", "", [1, 2, 3, 4], ""),  # no unit
        ("BP.LOC_NINH", "", [None, None, None, None], "nothing to report"),
    ]
    wide = read_wide_sheet(template_sheet(template_rows(codes, "16/01/2023", rows)))
    assert wide is not None
    plan = template_both_ways(catalogue, wide.table)
    assert [(v.unit, v.at("value").row, v.at("value").column, v.note) for v in plan.values] == [
        ("BP.SO_TP", 7, "D", ""),
        ("BP.SO_TP", 7, "E", ""),
        ("BP.SO_TP", 7, "F", ""),
        ("BP.DONG_PHU", 9, "D", "theo Cổng DVC"),
        ("BP.DONG_PHU", 9, "E", "theo Cổng DVC"),
        ("BP.DONG_PHU", 9, "F", "theo Cổng DVC"),
    ]
    assert [(p.location.row, p.location.column, p.is_error, p.message_en) for p in plan.problems] == [
        (7, "", True, "duplicates row 7 of mau.xlsx"),
        (8, "B", False, "'So Tu phap' read as 'Sở Tư pháp' (matched ignoring diacritics)"),
        (8, "F", True, "'92,5': counts and amounts must be whole numbers"),
        *[(10, "B", True, "the unit is missing")] * 4,
    ]


def test_the_answers_are_kept_for_a_catalogue_and_a_round(catalogue: Catalogue) -> None:
    kept = Planner(ImportPlan(ROUND), catalogue)
    assert Planner(ImportPlan(ROUND), catalogue).recurring is kept.recurring
    assert Planner(ImportPlan("2023-02"), catalogue).recurring is not kept.recurring
    renamed = catalogue.indicators["dvc.procedures"].model_copy(update={"name": "Số thủ tục"})
    changed = Catalogue({**catalogue.indicators, "dvc.procedures": renamed}, catalogue.datasets, catalogue.units)
    assert Planner(ImportPlan(ROUND), changed).recurring is not kept.recurring
    changed.indicators.pop("dvc.procedures")  # changed in place: the answers are made again
    assert Planner(ImportPlan(ROUND), changed).recurring.figures["dvc.procedures", None, None] is None


def test_kept_answers_are_forgotten_rather_than_grow_without_end() -> None:
    answers: Memo[int, int] = Memo(lambda n: n * 2)
    for number in range(REMEMBERED + 10):
        assert answers[number] == number * 2
    assert len(answers) <= REMEMBERED
