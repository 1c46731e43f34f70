"""The facts the seeds print beside their tables: the dated series of a rate within the period and its last step,
"tăng từ" from the period's first figure, the province's national rank out of the provinces of its day, a monthly
count against the month before, findings said for some rounds only, and "-" where a unit sent no figure.

Pure functions over hand-built facts and the real catalogue and outline; no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.schema import Indicator
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import Fact, RoundFacts
from dxmonitor.intake.windows import Window
from dxmonitor.reports.findings import finding_text
from dxmonitor.reports.notes import month_before_notes
from dxmonitor.reports.outline import FiguresBlock, Finding, UnitTableBlock, load_outline
from dxmonitor.reports.tables import fmt, unit_table

RATE = "dvc.online_service_rate"


def to(day: date, indicator: str = RATE, unit: str = "BP", value: str = "0") -> Fact:
    return Fact(indicator, unit, "", Window(day), Decimal(value))


def month(year: int, number: int, value: str, indicator: str = "portal.visits") -> Fact:
    days = round_days(f"{year}-{number:02d}")
    assert days is not None
    return Fact(indicator, "BP", "", Window(days[1], days[0]), Decimal(value))


def june(catalogue: Catalogue, facts: list[Fact], may: list[Fact] | None = None) -> RoundContext:
    baseline = RoundFacts("2022-05", "tháng 5/2022", may) if may is not None else None
    return RoundContext.build(catalogue, RoundFacts("2022-06", "tháng 6/2022", facts), baseline)


# Số 02's series of the province's rate, and Số 01's two figures of it (31/5 and its table's 16/6).
SO_02 = [
    to(date(2022, 5, 31), value="91.0"),
    to(date(2022, 6, 16), value="94.5"),
    to(date(2022, 6, 22), value="95.57"),
    to(date(2022, 7, 1), value="98.1"),
    to(date(2022, 7, 8), value="98.56"),
    to(date(2022, 7, 15), value="97.87"),
    to(date(2022, 7, 16), value="97.87"),
]
SO_01 = [to(date(2022, 6, 16), value="94.5"), to(date(2022, 5, 31), value="91.0")]


def test_the_series_runs_from_the_day_before_the_month_and_keeps_a_repeated_figure_at_its_first_day(
    catalogue: Catalogue,
) -> None:
    ctx = june(catalogue, [to(date(2022, 5, 20), value="90"), *SO_02], SO_01)

    assert [(f.window.end.isoformat(), str(f.value)) for f in ctx.series(RATE)] == [
        ("2022-05-31", "91.0"),
        ("2022-06-16", "94.5"),
        ("2022-06-22", "95.57"),
        ("2022-07-01", "98.1"),
        ("2022-07-08", "98.56"),
        ("2022-07-15", "97.87"),
    ]


def test_the_series_takes_the_baseline_s_figures_within_the_period(catalogue: Catalogue) -> None:
    ctx = june(
        catalogue,
        [to(date(2022, 7, 16), "dvc.online_dossier_rate", value="90.18")],
        [
            to(date(2022, 6, 16), "dvc.online_dossier_rate", value="90.18"),
            to(date(2022, 5, 31), "dvc.online_dossier_rate", value="80.47"),
            to(date(2022, 5, 30), "dvc.online_dossier_rate", value="79"),
        ],
    )

    assert [(f.window.end.isoformat(), str(f.value)) for f in ctx.series("dvc.online_dossier_rate")] == [
        ("2022-05-31", "80.47"),
        ("2022-06-16", "90.18"),
    ]


def test_the_series_is_said_with_its_last_step(catalogue: Catalogue) -> None:
    text = finding_text(Finding(kind="series", indicator=RATE), "dvc_rates", june(catalogue, SO_02, SO_01))

    assert text == (
        "Diễn biến tỷ lệ DVCTT phát sinh hồ sơ trực tuyến toàn tỉnh trong kỳ: 91% (đến ngày 31/5/2022), "
        "94,5% (đến ngày 16/6/2022), 95,57% (đến ngày 22/6/2022), 98,1% (đến ngày 01/7/2022), "
        "98,56% (đến ngày 08/7/2022), 97,87% (đến ngày 15/7/2022); mốc cuối giảm 0,69% so với mốc trước (08/7/2022)."
    )


def test_a_start_and_an_end_are_no_series(catalogue: Catalogue) -> None:
    ctx = june(catalogue, [to(date(2022, 5, 31), value="91"), to(date(2022, 7, 16), value="97.87")])

    assert finding_text(Finding(kind="series", indicator=RATE), "dvc_rates", ctx) is None


def test_the_trend_rises_from_the_period_s_first_figure_not_the_baseline_s_last(catalogue: Catalogue) -> None:
    text = finding_text(Finding(kind="trend", indicator=RATE), "dvc_rates", june(catalogue, SO_02, SO_01))

    assert text == (
        "Toàn tỉnh, tỷ lệ DVCTT phát sinh hồ sơ trực tuyến tăng từ 91% (đến ngày 31/5/2022) "
        "lên 97,87% (đến ngày 16/7/2022)."
    )


def test_without_an_earlier_figure_in_the_period_the_trend_is_against_the_baseline(catalogue: Catalogue) -> None:
    ctx = june(catalogue, [to(date(2022, 7, 16), value="97.87")], [to(date(2022, 5, 20), value="99")])

    assert finding_text(Finding(kind="trend", indicator=RATE), "dvc_rates", ctx) == (
        "Toàn tỉnh, tỷ lệ DVCTT phát sinh hồ sơ trực tuyến giảm từ 99% (đến ngày 20/5/2022) "
        "xuống 97,87% (đến ngày 16/7/2022)."
    )


def test_the_rank_is_printed_out_of_the_provinces_in_force_on_its_day(catalogue: Catalogue) -> None:
    rank = catalogue.indicators["dvc.national_rank"]

    assert fmt(rank, Decimal(1), Window(date(2022, 7, 16))) == "01/63 tỉnh, thành phố"
    assert fmt(rank, Decimal(5), Window(date(2025, 8, 15))) == "05/34 tỉnh, thành phố"
    assert fmt(rank, Decimal(5)) == "5"  # no day, no count to say it out of


def test_only_a_whole_lower_is_better_count_can_be_ranked(catalogue: Catalogue) -> None:
    fields = catalogue.indicators["dvc.national_rank"].model_dump()

    with pytest.raises(ValidationError, match="ranked_among is for a rank"):
        Indicator(**{**fields, "kind": "percent"})


def test_a_monthly_count_is_compared_with_the_month_before_that_its_round_holds(catalogue: Catalogue) -> None:
    may = RoundFacts("2022-05", "tháng 5/2022", [month(2022, 5, "4978615"), month(2022, 4, "4567343")])
    block = FiguresBlock(kind="figures", dataset="portal", rows=["portal.visits"], show=["value", "change_pct"])

    assert month_before_notes(block, RoundContext.build(catalogue, may, None)) == [
        "Tổng số lượt truy cập Cổng TTĐT tỉnh trong tháng (từ 01/5/2022 đến 31/5/2022): 4.978.615, "
        "tăng 9% so với tháng 4/2022 (4.567.343)."
    ]


def test_no_month_before_line_where_the_table_already_compares_with_that_month(catalogue: Catalogue) -> None:
    ctx = june(catalogue, [month(2022, 6, "6156783"), month(2022, 5, "4978615")], [month(2022, 5, "4978615")])
    block = FiguresBlock(kind="figures", dataset="portal", rows=["portal.visits"], show=["value", "change_pct"])

    assert month_before_notes(block, ctx) == []


@pytest.mark.parametrize(("code", "size"), [("2022-05", 3), ("2022-06", 5), ("2025-06", 5)])
def test_the_outline_names_the_top_3_of_signing_in_may_2022_and_the_top_5_after(code: str, size: int) -> None:
    findings = [
        f
        for section in load_outline("monthly").sections
        for block in section.blocks
        if isinstance(block, UnitTableBlock)
        for f in block.findings
        if f.indicator == "office.signed_document_rate" and f.in_force(round_days(code))
    ]

    assert [(f.kind, f.n) for f in findings] == [("top", size)]


def test_a_unit_without_a_figure_in_a_column_shows_a_dash_there(catalogue: Catalogue) -> None:
    facts = [
        to(date(2022, 7, 16), RATE, "BP.SO_TC", "100"),
        to(date(2022, 7, 16), RATE, "BP.SO_CT", "100"),
        to(date(2022, 7, 16), "dvc.online_dossier_rate", "BP.SO_CT", "98"),
    ]
    block = UnitTableBlock.model_validate(
        {
            "kind": "unit_table",
            "dataset": "dvc_rates",
            "columns": [
                {"indicator": RATE, "show": ["value", "verdict"]},
                {"indicator": "dvc.online_dossier_rate", "show": ["value", "verdict"]},
            ],
        }
    )
    table = unit_table(block, june(catalogue, facts))

    assert table is not None
    assert [[c.text for c in row.cells] for row in table.body] == [
        ["1", "Sở Công Thương", "100%", "Đạt", "98%", "Đạt"],
        ["2", "Sở Tài chính", "100%", "Đạt", "-", "-"],
    ]
