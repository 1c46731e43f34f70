"""Unit names read on the tree of the figure's day: "Đồng Xoài" is the city in 2022 and the ward in 2025, names are
written as people write them on the new tree, and a name of an ended unit or of an old commune says what it is now."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from dxmonitor.catalogue.loading import Catalogue, CatalogueError, load_catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.intake.kept import unit_index
from dxmonitor.intake.models import Value
from dxmonitor.intake.names import Resolution, UnitIndex
from dxmonitor.intake.planning import plan_files

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "dong-nai-2025"
HEADER = ["Đơn vị", "Chỉ tiêu", "Phân loại", "Giá trị", "Ngày số liệu", "Ghi chú"]
SHEET = "Số liệu"
AUGUST_2025 = "2025-08"
NEW_TREE_ROWS = [
    ["UBND phường Bình Phước", "dvc.online_dossier_rate", "", "91,5%", "20/08/2025", ""],
    ["xã Tân Tiến", "dvc.online_dossier_rate", "", "87,25%", "20/08/2025", ""],
    ["P. Đồng Xoài", "dvc.online_dossier_rate", "", "93%", "20/08/2025", ""],
    ["Sở KH&CN", "dvc.online_dossier_rate", "", "100%", "20/08/2025", ""],
]
DONG_PHU_NOW = "Xã Đồng Phú, Xã Tân Lợi, Xã Thuận Lợi, Xã Đồng Tâm"


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def run_import(path: Path, round_code: str) -> tuple[int, str, str]:
    """`dxmonitor import PATH --round CODE`: the exit status, stdout and stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import", str(path), round=round_code, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def stored(round_code: str) -> set[tuple[str, str, str, Decimal]]:
    return {
        (v.indicator.code, v.unit.code, v.window, v.value)
        for v in Value.objects.filter(round__code=round_code).select_related("indicator", "unit")
    }


@pytest.fixture
def august_2025(personas: dict[str, User]) -> str:
    """Round 2025-08, opened by alice the admin through the API with her key, as the office opens a round."""
    out = StringIO()
    call_command("token", "create", "office", user="alice", stdout=out)
    response = Client().post(
        "/api/rounds",
        json.dumps({"code": AUGUST_2025, "deadline": "15/09/2025"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}",
    )
    assert response.status_code == 201, response.content
    return AUGUST_2025


def index_on(catalogue: Catalogue, day: date) -> UnitIndex:
    return unit_index(catalogue, (day, day))


# --- the import, end to end ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_for_august_2025_names_the_new_tree_as_people_write_it_and_lands_on_its_units(
    august_2025: str, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "so_lieu.xlsx", [HEADER, *NEW_TREE_ROWS])
    status, _, err = run_import(path, august_2025)
    assert (status, err) == (0, "")
    assert stored(august_2025) == {
        ("dvc.online_dossier_rate", "DN.25195", "2025-08-20", Decimal("91.5")),
        ("dvc.online_dossier_rate", "DN.25318", "2025-08-20", Decimal("87.25")),
        ("dvc.online_dossier_rate", "DN.25210", "2025-08-20", Decimal("93")),
        ("dvc.online_dossier_rate", "DN.SO_KHCN", "2025-08-20", Decimal("100")),
    }


@pytest.mark.django_db
def test_the_same_file_naming_huyen_dong_phu_is_refused_naming_its_successors_and_writes_nothing(
    august_2025: str, tmp_path: Path
) -> None:
    rows = [HEADER, *NEW_TREE_ROWS, ["Huyện Đồng Phú", "dvc.online_dossier_rate", "", "77,3%", "20/08/2025", ""]]
    path = write_xlsx(tmp_path / "so_lieu.xlsx", rows)
    before = Value.objects.count()
    status, _, err = run_import(path, august_2025)
    assert (status, err.splitlines()) == (
        1,
        [
            f"[Lỗi] so_lieu.xlsx, sheet '{SHEET}', dòng/row 6, cột/column A, trường/field unit: "
            f"Huyện Đồng Phú đã kết thúc ngày 30/06/2025; nay là: {DONG_PHU_NOW} / "
            f"Huyện Đồng Phú ended on 2025-06-30; now: {DONG_PHU_NOW}",
            "Không nhập gì: 1 lỗi. / Nothing imported: 1 error(s).",
        ],
    )
    assert (Value.objects.count(), stored(august_2025)) == (before, set())


@pytest.mark.django_db
def test_a_2022_file_naming_dong_xoai_still_lands_on_thanh_pho_dong_xoai(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "thang_7.xlsx", [HEADER, ["Đồng Xoài", "dvc.online_dossier_rate", "", "64,5%", "16/08/2022", ""]]
    )
    status, _, err = run_import(path, "2022-07")
    assert (status, err) == (0, "")
    assert stored("2022-07") == {("dvc.online_dossier_rate", "BP.DONG_XOAI", "2022-08-16", Decimal("64.5"))}


@pytest.mark.django_db
def test_an_old_commune_s_name_says_which_unit_it_belongs_to_now(august_2025: str, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["UBND xã Tân Lập", "dvc.online_dossier_rate", "", "80%", "20/08/2025", ""],
        ["Xã Tân Thành", "dvc.online_dossier_rate", "", "80%", "20/08/2025", ""],
    ]
    status, _, err = run_import(write_xlsx(tmp_path / "xa_cu.xlsx", rows), august_2025)
    place = f"[Lỗi] xa_cu.xlsx, sheet '{SHEET}', dòng/row"
    assert (status, err.splitlines()) == (
        1,
        [
            f"{place} 2, cột/column A, trường/field unit: 'UBND xã Tân Lập' là tên đơn vị cũ, không còn trong danh "
            "mục: Xã Tân Lập (Huyện Đồng Phú) nay thuộc Xã Đồng Phú / 'UBND xã Tân Lập' names a former unit, no "
            "longer in the catalogue: Xã Tân Lập (Huyện Đồng Phú) is now part of Xã Đồng Phú",
            f"{place} 3, cột/column A, trường/field unit: 'Xã Tân Thành' là tên đơn vị cũ, không còn trong danh mục: "
            "Xã Tân Thành (Thành phố Đồng Xoài) nay thuộc Phường Đồng Xoài; Xã Tân Thành (Huyện Bù Đốp) nay thuộc "
            "Xã Tân Tiến / 'Xã Tân Thành' names a former unit, no longer in the catalogue: Xã Tân Thành (Thành phố "
            "Đồng Xoài) is now part of Phường Đồng Xoài; Xã Tân Thành (Huyện Bù Đốp) is now part of Xã Tân Tiến",
            "Không nhập gì: 2 lỗi. / Nothing imported: 2 error(s).",
        ],
    )


# --- the plan: names read on the tree of the day ------------------------------------------------------------------


def test_a_name_of_the_new_tree_in_a_2022_round_says_from_when_it_exists_and_what_it_was_part_of(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_xlsx(tmp_path / "t6.xlsx", [HEADER, ["P. Đồng Xoài", "dvc.online_dossier_rate", "", "90%", "", ""]])
    plan = plan_files([path], "2022-06", catalogue)
    assert [(p.location.row, p.location.column, p.message_vi, p.message_en) for p in plan.errors] == [
        (
            2,
            "A",
            "'P. Đồng Xoài' (Phường Đồng Xoài) chỉ có từ ngày 01/07/2025; trước đó thuộc: Thành phố Đồng Xoài",
            "'P. Đồng Xoài' (Phường Đồng Xoài) exists only from 2025-07-01; before, part of: Thành phố Đồng Xoài",
        )
    ]


def test_a_figure_of_30_june_2025_in_the_july_round_takes_the_old_tree_s_unit(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = [
        HEADER,
        ["Huyện Đồng Phú", "dvc.online_dossier_rate", "", "77,3%", "30/06/2025", ""],
        ["Huyện Đồng Phú", "dvc.online_dossier_rate", "", "78%", "31/07/2025", ""],
    ]
    plan = plan_files([write_xlsx(tmp_path / "t7.xlsx", rows)], "2025-07", catalogue)
    assert [(v.unit, v.window) for v in plan.values] == [("BP.DONG_PHU", "2025-06-30")]
    assert [(p.location.row, p.message_en) for p in plan.errors] == [
        (3, f"Huyện Đồng Phú ended on 2025-06-30; now: {DONG_PHU_NOW}")
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Đồng Xoài", "DN.25210"),
        ("UBND phường Bình Phước", "DN.25195"),
        ("Phường Bình Phước", "DN.25195"),
        ("P. Bình Phước", "DN.25195"),
        ("P.Bình Phước", "DN.25195"),
        ("Bình Phước", "DN.25195"),
        ("xã Tân Tiến", "DN.25318"),
        ("X. Tân Tiến", "DN.25318"),
        ("UBND xã Tân Tiến", "DN.25318"),
        ("Ủy ban nhân dân xã Tân Tiến", "DN.25318"),
        ("Xã Đồng Phú", "DN.25363"),
        ("Sở KH&CN", "DN.SO_KHCN"),
        ("Sở Khoa học và Công nghệ", "DN.SO_KHCN"),
        ("Sở Khoa học & Công nghệ", "DN.SO_KHCN"),
        ("Sở KHCN", "DN.SO_KHCN"),
        ("Sở KH - CN", "DN.SO_KHCN"),
        ("Sở NV", "DN.SO_NV"),
        ("Sở NgV", "DN.SO_NGV"),
        ("Sở TC", "DN.SO_TC"),
        ("Sở NN&MT", "DN.SO_NNMT"),
        ("Sở NNMT", "DN.SO_NNMT"),
        ("Sở VHTTDL", "DN.SO_VHTTDL"),
        ("Sở VH-TT&DL", "DN.SO_VHTTDL"),
        ("Sở GD&ĐT", "DN.SO_GDDT"),
        ("Sở GDĐT", "DN.SO_GDDT"),
        ("Sở DT&TG", "DN.SO_DTTG"),
        ("Văn phòng UBND tỉnh", "DN.VP_UBND"),
        ("VPUBND tỉnh", "DN.VP_UBND"),
        ("Tỉnh Đồng Nai", "DN"),
        ("UBND tỉnh Đồng Nai", "DN"),
    ],
)
def test_on_the_new_tree_names_resolve_as_people_write_them(catalogue: Catalogue, text: str, code: str) -> None:
    assert index_on(catalogue, date(2025, 8, 1)).resolve(text) == Resolution(code, "exact")


@pytest.mark.parametrize(
    ("text", "day", "code"),
    [
        ("Đồng Xoài", date(2022, 6, 30), "BP.DONG_XOAI"),
        ("Đồng Xoài", date(2025, 6, 30), "BP.DONG_XOAI"),
        ("Đồng Xoài", date(2025, 7, 1), "DN.25210"),
        ("UBND TP.Đồng Xoài", date(2022, 6, 30), "BP.DONG_XOAI"),
        ("Bình Long", date(2022, 6, 30), "BP.BINH_LONG"),
        ("Bình Long", date(2025, 8, 1), "DN.25326"),
        ("Sở KH&CN", date(2022, 6, 30), "BP.SO_KHCN"),
        ("Sở Tư pháp", date(2022, 6, 30), "BP.SO_TP"),
        ("Sở Tư pháp", date(2025, 8, 1), "DN.SO_TP"),
    ],
)
def test_a_name_means_the_unit_of_its_day_without_ambiguity(
    catalogue: Catalogue, text: str, day: date, code: str
) -> None:
    assert index_on(catalogue, day).resolve(text) == Resolution(code, "exact")


def test_a_title_of_another_kind_names_no_unit_of_this_tree(catalogue: Catalogue) -> None:
    """ "Huyện Đồng Phú" is not "Xã Đồng Phú", nor "Thị trấn Tân Phú" a "Xã Tân Phú": the new tree has both kinds."""
    august = index_on(catalogue, date(2025, 8, 1))
    assert [(r.how, r.codes) for r in map(august.resolve, ["Huyện Đồng Phú", "H. Đồng Phú", "Huyen Dong Phu"])] == [
        ("elsewhere", ("BP.DONG_PHU",))
    ] * 3
    assert august.resolve("Thị trấn Tân Phú").how == "former"


def test_every_old_commune_of_the_crosswalk_names_the_unit_it_belongs_to_now(catalogue: Catalogue) -> None:
    with (REFERENCE / "crosswalk_old_to_new_2025.csv").open(encoding="utf-8", newline="") as f:
        crosswalk = list(csv.DictReader(f))
    august = index_on(catalogue, date(2025, 8, 1))
    wrong = []
    for row in crosswalk:
        old = f"{row['old_name']} ({row['old_district']})"
        resolution = august.resolve(old)
        if (resolution.how, f"DN.{row['new_code']}") not in {("former", c) for c in resolution.codes}:
            wrong.append((old, resolution))
    assert (len(crosswalk), wrong) == (271, [])


def test_a_round_reads_names_on_the_tree_of_its_days(catalogue: Catalogue) -> None:
    days = round_days(AUGUST_2025)
    assert days is not None
    assert unit_index(catalogue, days).resolve("Đồng Xoài") == Resolution("DN.25210", "exact")


# --- the catalogue: a name is unique among the units of one day -------------------------------------------------

INDICATORS = """\
indicators:
  - code: portal.visits
    name: Lượt truy cập
    label: Lượt truy cập
    description: Số lượt truy cập trong tháng báo cáo.
    kind: count
    decimals: 0
"""
DATASETS = """\
datasets:
  - code: portal
    name: Cổng Thông tin điện tử tỉnh
    indicators: [portal.visits]
    units: [BP]
    window: month
"""
UNITS = """\
units:
  - code: BP
    name: Tỉnh Bình Phước
    short_name: Bình Phước
    kind: province
    valid_to: 2025-06-30
    successors: [DN]
  - code: BP.DONG_XOAI
    name: Thành phố Đồng Xoài
    short_name: Đồng Xoài
    kind: district
    parent: BP
    valid_to: 2025-06-30
    successors: [DN.25210]
  - code: DN
    name: Tỉnh Đồng Nai
    short_name: Đồng Nai
    kind: province
    valid_from: 2025-07-01
  - code: DN.25210
    name: Phường Đồng Xoài
    short_name: Đồng Xoài
    kind: commune
    parent: DN
    valid_from: {ward_from}
"""


def catalogue_folder(folder: Path, ward_from: str) -> Path:
    for name, text in {
        "indicators/core.yaml": INDICATORS,
        "datasets/main.yaml": DATASETS,
        "units/main.yaml": UNITS.format(ward_from=ward_from),
    }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_two_trees_may_share_a_name(tmp_path: Path) -> None:
    catalogue = load_catalogue(catalogue_folder(tmp_path, "2025-07-01"))
    assert sorted(catalogue.units) == ["BP", "BP.DONG_XOAI", "DN", "DN.25210"]


def test_two_units_in_force_on_one_day_may_not_share_a_name(tmp_path: Path) -> None:
    folder = catalogue_folder(tmp_path, "2025-06-01")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(folder)
    assert [(p.location.file, p.location.row, p.location.field, p.message_en) for p in caught.value.problems] == [
        (
            str(folder / "units/main.yaml"),
            20,
            "DN.25210",
            "the name 'đồng xoài' names several units in force on 2025-06-01: "
            "Thành phố Đồng Xoài (BP.DONG_XOAI), Phường Đồng Xoài (DN.25210)",
        )
    ]


def test_the_shipped_catalogue_has_no_clash_on_either_tree(catalogue: Catalogue) -> None:
    assert index_on(catalogue, date(2022, 6, 30)).clashes() == index_on(catalogue, date(2025, 8, 1)).clashes() == {}


def test_every_unit_of_the_new_tree_is_found_by_its_name_its_short_name_and_with_ubnd(catalogue: Catalogue) -> None:
    august = index_on(catalogue, date(2025, 8, 1))
    units = [u for u in catalogue.units.values() if u.valid_from == date(2025, 7, 1) and u.kind != "group"]
    wrong = [
        (text, u.code, august.resolve(text))
        for u in units
        for text in (u.name, u.short_name, f"UBND {u.name.lower()}", f"Ủy ban nhân dân {u.name}", u.code.lower())
        if august.resolve(text) != Resolution(u.code, "exact")
    ]
    assert (len(units), wrong) == (110, [])
