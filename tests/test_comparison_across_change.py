"""A round after the 2025 reform compared with one before it: a unit of Đồng Nai's tree against its Bình Phước
predecessors only where that is sound, else no change and a note saying why (evaluation, tables, findings, export,
API, checks). The figures are illustrative, written here for the test; the demo holds none of them."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_name
from dxmonitor.evaluation.checks import run_checks
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import Fact, RoundFacts
from dxmonitor.evaluation.succession import Note
from dxmonitor.intake.models import Round
from dxmonitor.intake.windows import Window
from dxmonitor.reports.findings import finding_text
from dxmonitor.reports.generate import round_context
from dxmonitor.reports.outline import Column, Finding, UnitTableBlock
from dxmonitor.reports.tables import comparison_notes, unit_table
from personas import signed_in

JUNE, AUGUST = "2025-06", "2025-08"
JUNE_DAY, AUGUST_DAY = date(2025, 6, 30), date(2025, 8, 31)

# (unit, indicator, value): June on Bình Phước's tree, August on Đồng Nai's.
JUNE_FIGURES = [
    ("BP", "security.computers", "900"),
    ("BP", "security.vulnerable_computers", "90"),
    ("BP.SO_KHCN", "security.computers", "40"),
    ("BP.SO_KHCN", "security.vulnerable_computers", "4"),
    ("BP.SO_TTTT", "security.computers", "60"),
    ("BP.SO_TTTT", "security.vulnerable_computers", "16"),
    ("BP.SO_TC", "security.computers", "50"),
    ("BP.SO_TC", "security.vulnerable_computers", "5"),
    ("BP.DONG_XOAI", "security.computers", "80"),
    ("BP.DONG_XOAI", "security.vulnerable_computers", "8"),
    ("BP.SO_YT", "security.computers", "20"),
    ("BP.SO_YT", "security.vulnerable_computers", "2"),
    ("BP.CTY_CS.DONG_PHU", "security.computers", "30"),
    ("BP.CTY_CS.DONG_PHU", "security.vulnerable_computers", "3"),
    ("BP.SO_KHCN", "dvc.online_dossier_rate", "60"),
    ("BP.SO_TTTT", "dvc.online_dossier_rate", "90"),
    ("BP.SO_TP", "dvc.online_dossier_rate", "70"),
    ("BP.DONG_XOAI", "dvc.online_dossier_rate", "85"),
]
AUGUST_FIGURES = [
    ("DN", "security.computers", "2500"),
    ("DN", "security.vulnerable_computers", "200"),
    ("DN.SO_KHCN", "security.computers", "120"),
    ("DN.SO_KHCN", "security.vulnerable_computers", "12"),
    ("DN.SO_TC", "security.computers", "70"),
    ("DN.SO_TC", "security.vulnerable_computers", "7"),
    ("DN.25195", "security.computers", "45"),
    ("DN.25195", "security.vulnerable_computers", "9"),
    ("BP.CTY_CS.DONG_PHU", "security.computers", "35"),
    ("BP.CTY_CS.DONG_PHU", "security.vulnerable_computers", "3"),
    ("DN.SO_KHCN", "dvc.online_dossier_rate", "80"),
    ("DN.SO_TP", "dvc.online_dossier_rate", "75"),
]

PROVINCE_VI = "có tiền thân ngoài danh mục: Tỉnh Đồng Nai (trước 1/7/2025)"
PROVINCE_NOTE = Note(PROVINCE_VI, "predecessors outside the catalogue: Tỉnh Đồng Nai (trước 1/7/2025)")
KHCN_FORMERLY = "Sở Khoa học và Công nghệ tỉnh Đồng Nai (cũ); Sở Thông tin và Truyền thông tỉnh Đồng Nai (cũ)"
DONG_XOAI_SPLIT = Note(
    "đơn vị cũ được chia cho nhiều đơn vị mới (số đơn vị mới trong ngoặc): Thành phố Đồng Xoài (2)",
    "a former unit was split among several new units (their number in brackets): Thành phố Đồng Xoài (2)",
)


def round_of(code: str, day: date, figures: list[tuple[str, str, str]]) -> RoundFacts:
    facts = [Fact(ind, unit, "", Window(day), Decimal(value)) for unit, ind, value in figures]
    return RoundFacts(code, round_name(code), facts)


def as_if_whole(catalogue: Catalogue, *codes: str) -> Catalogue:
    """The catalogue with `codes` formed of their Bình Phước predecessors alone (no former Đồng Nai body joined):
    the shipped tree has no such department, so the sound cases are shown on this variant."""
    units = {**catalogue.units, **{c: catalogue.units[c].model_copy(update={"formerly": []}) for c in codes}}
    return dataclasses.replace(catalogue, units=units)


@pytest.fixture(scope="module")
def august(catalogue: Catalogue) -> RoundContext:
    """August 2025 against June 2025 on the shipped catalogue."""
    return RoundContext.build(
        catalogue, round_of(AUGUST, AUGUST_DAY, AUGUST_FIGURES), round_of(JUNE, JUNE_DAY, JUNE_FIGURES)
    )


@pytest.fixture(scope="module")
def august_whole(catalogue: Catalogue) -> RoundContext:
    """The same rounds on the variant where three departments are the whole of their predecessors."""
    variant = as_if_whole(catalogue, "DN.SO_KHCN", "DN.SO_TC", "DN.SO_TP")
    return RoundContext.build(
        variant, round_of(AUGUST, AUGUST_DAY, AUGUST_FIGURES), round_of(JUNE, JUNE_DAY, JUNE_FIGURES)
    )


def compared(ctx: RoundContext, unit: str, indicator: str) -> tuple[Decimal | None, Decimal | None, Note | None]:
    ev = ctx.evaluations[(indicator, unit, "")]
    return ev.baseline, ev.change, ev.note


# --- the rule, on plain figures -------------------------------------------------------------------------------


def test_counts_sum_over_the_predecessors_of_a_whole_merger(august_whole: RoundContext) -> None:
    # Sở KH&CN = Sở KH&CN (40) + Sở TT&TT (60) of Bình Phước
    assert compared(august_whole, "DN.SO_KHCN", "security.computers") == (Decimal(100), Decimal(20), None)


def test_a_derived_rate_is_recomputed_from_the_summed_numerators_and_denominators(august_whole: RoundContext) -> None:
    # (4 + 16) / (40 + 60) = 20 %, not the mean of 10 % and 26,67 %; August: 12 / 120 = 10 %
    assert compared(august_whole, "DN.SO_KHCN", "security.vulnerable_rate") == (Decimal(20), Decimal(-10), None)


def test_a_reported_rate_compares_one_to_one(august_whole: RoundContext) -> None:
    assert compared(august_whole, "DN.SO_TP", "dvc.online_dossier_rate") == (Decimal(70), Decimal(5), None)


def test_a_reported_rate_does_not_compare_across_a_merger(august_whole: RoundContext) -> None:
    names = "Sở Khoa học và Công nghệ, Sở Thông tin và Truyền thông"
    assert compared(august_whole, "DN.SO_KHCN", "dvc.online_dossier_rate") == (
        None,
        None,
        Note(
            f"tỷ lệ do đơn vị báo cáo không gộp được qua sáp nhập ({names})",
            f"a reported rate cannot be carried across a merger ({names})",
        ),
    )


def test_a_share_of_a_split_unit_is_not_comparable(august: RoundContext) -> None:
    assert compared(august, "DN.25195", "security.computers") == (None, None, DONG_XOAI_SPLIT)


def test_a_merger_with_a_predecessor_that_did_not_report_is_not_comparable(august_whole: RoundContext) -> None:
    # Sở Tài chính = Sở Tài chính (50) + Sở Kế hoạch và Đầu tư (no figure in June)
    assert compared(august_whole, "DN.SO_TC", "security.computers") == (
        None,
        None,
        Note(
            "tiền thân chưa báo cáo ở kỳ gốc: Sở Kế hoạch và Đầu tư",
            "a predecessor did not report: Sở Kế hoạch và Đầu tư",
        ),
    )


def test_predecessors_outside_the_catalogue_make_the_shipped_departments_not_comparable(
    august: RoundContext,
) -> None:
    note = Note(f"có tiền thân ngoài danh mục: {KHCN_FORMERLY}", f"predecessors outside the catalogue: {KHCN_FORMERLY}")
    assert compared(august, "DN.SO_KHCN", "security.computers") == (None, None, note)


def test_the_province_does_not_compare_with_binh_phuoc(august: RoundContext) -> None:
    assert compared(august, "DN", "security.computers") == (None, None, PROVINCE_NOTE)
    assert august.whole_note("security.computers") == PROVINCE_NOTE
    assert PROVINCE_NOTE.text == (
        "không so sánh được: có tiền thân ngoài danh mục: Tỉnh Đồng Nai (trước 1/7/2025) / "
        "not comparable: predecessors outside the catalogue: Tỉnh Đồng Nai (trước 1/7/2025)"
    )


def test_a_unit_on_both_trees_compares_as_before(august: RoundContext) -> None:
    assert compared(august, "BP.CTY_CS.DONG_PHU", "security.computers") == (Decimal(30), Decimal(5), None)


# --- the report: table cells, the note under the table, the province's sentence ------------------------------

BLOCK = UnitTableBlock(
    kind="unit_table",
    dataset="security_scan",
    columns=[Column(indicator="security.computers", show=["value", "change"])],
    total=True,
    findings=[Finding(kind="trend", indicator="security.computers")],
)


def test_the_table_says_not_comparable_and_why_under_it(august: RoundContext) -> None:
    table = unit_table(BLOCK, august)
    assert table is not None
    rows = [[c.text for c in row.cells] for row in table.body]
    assert rows == [
        ["1", "Công ty Cao su Đồng Phú", "35", "Tăng 5"],
        ["2", "Sở Tài chính", "70", "Không so sánh được"],
        ["3", "Sở Khoa học và Công nghệ", "120", "Không so sánh được"],
        ["4", "Phường Bình Phước", "45", "Không so sánh được"],
        ["Tổng", "2.500", "Không so sánh được"],
    ]
    assert comparison_notes(BLOCK, august) == [
        "Không so sánh được với tháng 6/2025 (Sở TC): có tiền thân ngoài danh mục: Sở Tài chính tỉnh Đồng Nai (cũ); "
        "Sở Kế hoạch và Đầu tư tỉnh Đồng Nai (cũ).",
        f"Không so sánh được với tháng 6/2025 (Sở KH&CN): có tiền thân ngoài danh mục: {KHCN_FORMERLY}.",
        f"Không so sánh được với tháng 6/2025 (P. Bình Phước): {DONG_XOAI_SPLIT.vi}.",
        f"Không so sánh được với tháng 6/2025 (Toàn tỉnh): {PROVINCE_VI}.",
    ]


def test_the_province_s_sentence_says_no_rise_or_fall_against_another_province(august: RoundContext) -> None:
    assert finding_text(BLOCK.findings[0], "security_scan", august) == (
        f"Toàn tỉnh, số lượng máy tính được rà quét đạt 2.500 (đến ngày 31/8/2025); "
        f"không so sánh được với tháng 6/2025: {PROVINCE_VI}."
    )


# --- the stored rounds: export, API, checks (SQLite and PostgreSQL) -------------------------------------------


def import_round(tmp_path: Path, code: str, day: date, figures: list[tuple[str, str, str]]) -> None:
    path = tmp_path / f"{code}.csv"
    lines = ["don_vi,chi_tieu,gia_tri,ngay_so_lieu"]
    lines += [f"{unit},{ind},{value},{day:%d/%m/%Y}" for unit, ind, value in figures]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import", str(path), round=code, stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def stored_rounds(db: None, tmp_path: Path) -> None:
    import_round(tmp_path, JUNE, JUNE_DAY, JUNE_FIGURES)
    import_round(tmp_path, AUGUST, AUGUST_DAY, AUGUST_FIGURES)


def exported(code: str) -> tuple[list[str], list[dict[str, str]]]:
    out = StringIO()
    call_command("export", round=code, stdout=out)
    reader = csv.DictReader(StringIO(out.getvalue()))
    return list(reader.fieldnames or []), list(reader)


def test_the_export_adds_the_comparison_note_after_change_where_the_baseline_is_on_the_old_tree(
    stored_rounds: None,
) -> None:
    header, rows = exported(AUGUST)
    assert header[-2:] == ["change", "comparison_note"]
    computers = {r["unit_code"]: r for r in rows if r["indicator"] == "security.computers"}
    assert computers["DN"] == {
        "round": AUGUST,
        "dataset": "security_scan",
        "indicator": "security.computers",
        "unit_code": "DN",
        "unit_name": "Tỉnh Đồng Nai",
        "category": "",
        "value": "2500",
        "as_of": "2025-08-31",
        "target": "",
        "verdict": "",
        "baseline_value": "",
        "change": "",
        "comparison_note": PROVINCE_NOTE.text,
    }
    assert (computers["DN.25195"]["change"], computers["DN.25195"]["comparison_note"]) == ("", DONG_XOAI_SPLIT.text)
    company = computers["BP.CTY_CS.DONG_PHU"]
    assert (company["baseline_value"], company["change"], company["comparison_note"]) == ("30", "5", "")


def test_a_round_on_one_tree_keeps_the_export_columns_of_the_product_brief(stored_rounds: None) -> None:
    header, _ = exported(JUNE)
    assert header == [
        "round",
        "dataset",
        "indicator",
        "unit_code",
        "unit_name",
        "category",
        "value",
        "as_of",
        "target",
        "verdict",
        "baseline_value",
        "change",
    ]


def test_the_api_gives_the_comparison_note(stored_rounds: None, personas: dict[str, User]) -> None:
    client = signed_in(personas["viewer"])
    response = client.get(f"/api/rounds/{AUGUST}/values", {"unit": "DN.25195", "indicator": "security.computers"})
    assert response.status_code == 200, response.content
    [row] = response.json()["items"]
    assert (row["baseline_value"], row["change"], row["comparison_note"]) == (None, None, DONG_XOAI_SPLIT.text)
    response = client.get(
        f"/api/rounds/{AUGUST}/values", {"unit": "BP.CTY_CS.DONG_PHU", "indicator": "security.computers"}
    )
    [row] = response.json()["items"]
    assert (row["baseline_value"], row["change"], row["comparison_note"]) == ("30", "5", None)


def test_checks_name_the_succession_and_the_new_units_that_did_not_report(stored_rounds: None) -> None:
    august = Round.objects.get(code=AUGUST)
    assert august.baseline is not None and august.baseline.code == JUNE
    ctx = round_context(august, august.baseline)
    wanted = ("succeeded_unit", "successor_missing", "missing_unit", "dataset_missing")
    found = [(f.severity.value, f.check, f.dataset, f.unit, f.message) for f in run_checks(ctx) if f.check in wanted]
    ended = "đã kết thúc ngày 30/06/2025, không còn báo cáo; đơn vị kế thừa"
    khcn, tttt = "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông"
    new = "đơn vị mới chưa báo cáo, trong khi đơn vị tiền thân đã báo cáo ở kỳ trước"
    # Bình Phước's departments and districts are members of dvc_rates; in security_scan (the party bloc, the forces,
    # companies) they reported without being members, so no finding names them there, but their successors are due.
    xoai = "Thành phố Đồng Xoài"
    assert sorted(found) == sorted(
        [
            ("info", "succeeded_unit", "dvc_rates", "BP.SO_KHCN", f"{khcn} {ended}: {khcn}"),
            ("info", "succeeded_unit", "dvc_rates", "BP.SO_TTTT", f"{tttt} {ended}: {khcn}"),
            ("info", "succeeded_unit", "dvc_rates", "BP.SO_TP", f"Sở Tư pháp {ended}: Sở Tư pháp"),
            (
                "info",
                "succeeded_unit",
                "dvc_rates",
                "BP.DONG_XOAI",
                f"{xoai} {ended}: Phường Bình Phước, Phường Đồng Xoài",
            ),
            ("warning", "successor_missing", "dvc_rates", "DN.25195", f"{new} ({xoai})"),
            ("warning", "successor_missing", "dvc_rates", "DN.25210", f"{new} ({xoai})"),
            ("warning", "successor_missing", "security_scan", "DN.SO_YT", f"{new} (Sở Y tế)"),
            ("warning", "successor_missing", "security_scan", "DN.25210", f"{new} ({xoai})"),
        ]
    )


def test_the_dataset_page_says_not_comparable_and_why(stored_rounds: None, personas: dict[str, User]) -> None:
    client = signed_in(personas["viewer"])
    body = client.get("/datasets/security_scan.json", {"round": AUGUST}).json()
    cells = {r["unit"]: c for r in body["rows"] for c in r["cells"] if c["indicator"] == "security.computers"}

    assert (cells["DN.25195"]["change_text"], cells["DN.25195"]["note"]) == ("Không so sánh được", DONG_XOAI_SPLIT.vi)
    assert "note" not in cells["BP.CTY_CS.DONG_PHU"]  # on both trees: it compares as before
    client.cookies["django_language"] = "en"
    html = client.get("/datasets/security_scan", {"round": AUGUST}).content.decode()
    assert f'title="{DONG_XOAI_SPLIT.en}"' in html and "Not comparable" in html
