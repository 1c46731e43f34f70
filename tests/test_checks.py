"""Data-quality checks: each check on a small hand-built round, then the demo rounds and the `check` command."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.models import Round
from dxmonitor.evaluation.checks import QualityFinding, run_checks
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.evaluation.facts import Fact, PrintedFact, RoundFacts
from dxmonitor.intake.models import Value
from dxmonitor.intake.windows import Window
from dxmonitor.problems import Severity
from dxmonitor.reports.generate import round_context

D = Decimal
ERROR, WARNING = Severity.ERROR, Severity.WARNING
JULY = Window(date(2022, 7, 16))
JUNE = Window(date(2022, 6, 16))
YEAR_TO_JULY = Window(date(2022, 7, 16), date(2022, 1, 1))


def fact(indicator: str, unit: str, value: str | int, window: Window = JULY, category: str = "") -> Fact:
    return Fact(indicator, unit, category, window, D(value))


def june_round(*facts: Fact, printed: tuple[PrintedFact, ...] = ()) -> RoundFacts:
    return RoundFacts("2022-06", "tháng 6/2022", list(facts), list(printed))


def may_round(*facts: Fact) -> RoundFacts:
    return RoundFacts("2022-05", "tháng 5/2022", list(facts))


def checks(catalogue: Catalogue, current: RoundFacts, baseline: RoundFacts | None = None) -> list[QualityFinding]:
    return run_checks(RoundContext.build(catalogue, current, baseline))


# --- each check on its own ----------------------------------------------------------------------------------


def test_parts_that_do_not_add_up_to_the_entered_total_are_an_error(catalogue: Catalogue) -> None:
    statuses = [("cho_ky", 152), ("cho_dong_dau", 260), ("hoan_thanh", 12920), ("huy", 72), ("tu_choi", 385)]
    dossiers = [fact("e_auth.dossiers", "BP", n, YEAR_TO_JULY, f"status={s}") for s, n in statuses]

    assert checks(catalogue, june_round(*dossiers, fact("e_auth.dossiers", "BP", 13790, YEAR_TO_JULY))) == [
        QualityFinding(
            ERROR,
            "parts_total",
            "e_auth",
            "BP",
            "e_auth.dossiers",
            "",
            "tổng: 13.790; cộng các phần: 13.789",
            "tổng các phân loại không bằng số tổng đã báo cáo",
        )
    ]


def test_parts_that_add_up_to_the_entered_total_are_fine(catalogue: Catalogue) -> None:
    statuses = [("cho_ky", 152), ("cho_dong_dau", 260), ("hoan_thanh", 12920), ("huy", 72), ("tu_choi", 385)]
    dossiers = [fact("e_auth.dossiers", "BP", n, YEAR_TO_JULY, f"status={s}") for s, n in statuses]

    assert checks(catalogue, june_round(*dossiers, fact("e_auth.dossiers", "BP", 13789, YEAR_TO_JULY))) == []


def test_a_rate_above_100_and_a_negative_count_are_out_of_range(catalogue: Catalogue) -> None:
    current = june_round(
        fact("dvc.online_service_rate", "BP.SO_TP", "100.5"),
        fact("app.users", "BP.DONG_XOAI", -3),
        fact("dvc.online_service_rate", "BP.SO_CT", 100),
    )
    message = "số liệu nằm ngoài khoảng hợp lệ (tỷ lệ 0–100%, số đếm không âm)"

    assert checks(catalogue, current) == [
        QualityFinding(ERROR, "range", "dvc_rates", "BP.SO_TP", "dvc.online_service_rate", "", "100,5%", message),
        QualityFinding(ERROR, "range", "app_users", "BP.DONG_XOAI", "app.users", "", "-3", message),
    ]


def test_a_cumulative_figure_that_decreases_is_a_warning(catalogue: Catalogue) -> None:
    current = june_round(fact("app.users", "BP.DONG_XOAI", 885, Window(date(2022, 7, 19))))
    baseline = may_round(fact("app.users", "BP.DONG_XOAI", 900, Window(date(2022, 6, 14))))

    assert checks(catalogue, current, baseline) == [
        QualityFinding(
            WARNING,
            "cumulative_decrease",
            "app_users",
            "BP.DONG_XOAI",
            "app.users",
            "",
            "900 → 885",
            "số lũy kế giảm so với kỳ trước",
        )
    ]


def test_a_pending_status_that_drains_is_not_a_cumulative_decrease(catalogue: Catalogue) -> None:
    current = june_round(
        fact("e_auth.dossiers", "BP", 152, YEAR_TO_JULY, "status=cho_ky"),
        fact("e_auth.dossiers", "BP", 12920, YEAR_TO_JULY, "status=hoan_thanh"),
    )
    baseline = may_round(
        fact("e_auth.dossiers", "BP", 301, Window(date(2022, 6, 15), date(2022, 1, 1)), "status=cho_ky"),
        fact("e_auth.dossiers", "BP", 9341, Window(date(2022, 6, 15), date(2022, 1, 1)), "status=hoan_thanh"),
    )

    assert checks(catalogue, current, baseline) == []


def test_an_unchanged_figure_of_an_indicator_that_moves_monthly_is_a_warning(catalogue: Catalogue) -> None:
    current = june_round(fact("dvc.online_service_rate", "BP.DONG_PHU", "77.3"))
    baseline = may_round(fact("dvc.online_service_rate", "BP.DONG_PHU", "77.3", JUNE))

    assert checks(catalogue, current, baseline) == [
        QualityFinding(
            WARNING,
            "unchanged",
            "dvc_rates",
            "BP.DONG_PHU",
            "dvc.online_service_rate",
            "",
            "77,3%",
            "số liệu giống hệt kỳ trước dù chỉ tiêu này thay đổi hằng tháng: có thể chép từ báo cáo cũ",
        )
    ]


def test_a_rate_that_stays_at_100_percent_is_fine(catalogue: Catalogue) -> None:
    current = june_round(fact("dvc.online_service_rate", "BP.SO_CT", 100))
    baseline = may_round(fact("dvc.online_service_rate", "BP.SO_CT", 100, JUNE))

    assert checks(catalogue, current, baseline) == []


def test_an_unchanged_figure_of_an_indicator_that_need_not_move_is_fine(catalogue: Catalogue) -> None:
    current = june_round(fact("dvc.procedures", "BP", 1767))
    baseline = may_round(fact("dvc.procedures", "BP", 1767, JUNE))

    assert checks(catalogue, current, baseline) == []


def test_two_units_with_identical_rows_are_suspected_copies(catalogue: Catalogue) -> None:
    row = [("cnscd.commune_teams", 7), ("cnscd.commune_members", 66), ("cnscd.hamlet_teams", 42)]
    current = june_round(*(fact(i, u, v) for u in ("BP.BU_DOP", "BP.PHUOC_LONG") for i, v in row))
    names = "Thị xã Phước Long, Huyện Bù Đốp"

    assert checks(catalogue, current) == [
        QualityFinding(
            WARNING,
            "identical_rows",
            "cnscd",
            "BP.PHUOC_LONG",
            "",
            "",
            names,
            f"các đơn vị {names} có toàn bộ số liệu của dòng trùng nhau: nghi sao chép",
        )
    ]


def test_two_units_that_differ_in_one_figure_are_not_copies(catalogue: Catalogue) -> None:
    row = [("cnscd.commune_teams", 7), ("cnscd.commune_members", 66), ("cnscd.hamlet_teams", 42)]
    current = june_round(
        *(fact(i, "BP.BU_DOP", v) for i, v in row),
        *(fact(i, "BP.PHUOC_LONG", v + (i == "cnscd.hamlet_teams")) for i, v in row),
    )

    assert checks(catalogue, current) == []


def test_a_unit_present_last_round_and_missing_now_is_named(catalogue: Catalogue) -> None:
    current = june_round(fact("dvc.online_service_rate", "BP.SO_CT", "92.3"))
    baseline = may_round(
        fact("dvc.online_service_rate", "BP.SO_CT", "95.7", JUNE),
        fact("dvc.online_service_rate", "BP.SO_TC", 100, JUNE),
    )

    assert checks(catalogue, current, baseline) == [
        QualityFinding(
            WARNING,
            "missing_unit",
            "dvc_rates",
            "BP.SO_TC",
            "",
            "",
            "kỳ trước có số liệu",
            "đơn vị có số liệu ở kỳ trước nhưng kỳ này không có",
        )
    ]


def test_a_printed_total_that_differs_from_the_recomputed_sum_is_an_error(catalogue: Catalogue) -> None:
    day = Window(date(2022, 7, 19))
    users = [fact("app.users", u, n, day) for u, n in [("BP.DONG_XOAI", 2140), ("BP.LOC_NINH", 1125)]]
    printed = PrintedFact("app.users", "BP", "", day, "printed", D(3625), "Số 02, mục 3")

    assert checks(catalogue, june_round(*users, printed=(printed,))) == [
        QualityFinding(
            ERROR,
            "printed_differs",
            "app_users",
            "BP",
            "app.users",
            "",
            "in: 3.625; tính lại: 3.265",
            "báo cáo đã in «3.625» (đến ngày 19/7/2022), số tính lại từ số liệu gốc là «3.265»",
        )
    ]


def test_a_printed_total_equal_to_the_recomputed_sum_is_fine(catalogue: Catalogue) -> None:
    day = Window(date(2022, 7, 19))
    users = [fact("app.users", u, n, day) for u, n in [("BP.DONG_XOAI", 2140), ("BP.LOC_NINH", 1125)]]
    printed = PrintedFact("app.users", "BP", "", day, "printed", D(3265), "Số 02, mục 3")

    assert checks(catalogue, june_round(*users, printed=(printed,))) == []


def test_a_printed_change_is_checked_against_the_baseline_round(catalogue: Catalogue) -> None:
    printed = PrintedFact("dvc.online_dossier_rate", "BP.HON_QUAN", "", JULY, "printed_change", D("12.6"), "Số 02")
    current = june_round(fact("dvc.online_dossier_rate", "BP.HON_QUAN", "47.1"), printed=(printed,))
    baseline = may_round(fact("dvc.online_dossier_rate", "BP.HON_QUAN", "28.50", JUNE))

    assert checks(catalogue, current, baseline) == [
        QualityFinding(
            ERROR,
            "printed_differs",
            "dvc_rates",
            "BP.HON_QUAN",
            "dvc.online_dossier_rate",
            "",
            "in: Tăng 12,6%; tính lại: Tăng 18,6%",
            "báo cáo đã in «Tăng 12,6%» (đến ngày 16/7/2022), số tính lại từ số liệu gốc là «Tăng 18,6%»",
        )
    ]


def test_a_province_figure_below_the_sum_of_its_units_is_an_error(catalogue: Catalogue) -> None:
    units = [
        fact("office.paperless_meetings", u, n, Window(date(2022, 6, 18)))
        for u, n in [("BP.SO_TTTT", 120), ("BP.VP_UBND", 568)]
    ]
    province = fact("office.paperless_meetings", "BP", 182, Window(date(2022, 6, 20)))

    assert checks(catalogue, june_round(*units, province)) == [
        QualityFinding(
            ERROR,
            "parts_exceed_whole",
            "office_software",
            "BP",
            "office.paperless_meetings",
            "",
            "toàn tỉnh: 182 (đến ngày 20/6/2022); cộng 2 đơn vị: 688",
            "số liệu toàn tỉnh nhỏ hơn tổng số liệu các đơn vị tính đến ngày sớm hơn: một trong hai bị sai",
        )
    ]


def test_a_province_figure_at_or_above_the_sum_of_its_units_is_fine(catalogue: Catalogue) -> None:
    units = [
        fact("office.paperless_meetings", u, n, Window(date(2022, 6, 18)))
        for u, n in [("BP.SO_TTTT", 120), ("BP.VP_UBND", 568)]
    ]
    province = fact("office.paperless_meetings", "BP", 688, Window(date(2022, 6, 20)))

    assert checks(catalogue, june_round(*units, province)) == []


def _hotline(period: int) -> tuple[RoundFacts, RoundFacts]:
    current = june_round(
        fact("hotline.received", "BP", 752, Window(date(2022, 7, 19), date(2022, 1, 1))),
        fact("hotline.received", "BP", period, Window(date(2022, 7, 19), date(2022, 6, 8))),
    )
    baseline = may_round(fact("hotline.received", "BP", 551, Window(date(2022, 6, 8), date(2022, 1, 1))))
    return current, baseline


def test_a_period_figure_far_from_the_difference_of_the_running_totals_is_a_warning(catalogue: Catalogue) -> None:
    assert checks(catalogue, *_hotline(246)) == [
        QualityFinding(
            WARNING,
            "period_against_running_totals",
            "hotline",
            "BP",
            "hotline.received",
            "",
            "từ 08/6/2022 đến 19/7/2022: 246; 752 − 551 = 201",
            "số liệu trong kỳ không khớp với hiệu của hai số lũy kế từ đầu năm",
        )
    ]


def test_a_period_figure_near_the_difference_of_the_running_totals_is_fine(catalogue: Catalogue) -> None:
    # The two windows share 8/6, so the period may hold one day's messages more than the difference.
    assert checks(catalogue, *_hotline(205)) == []


def _portal(before_day: date, now_day: date) -> tuple[RoundFacts, RoundFacts]:
    current = june_round(
        fact("portal.visits", "BP", 6156783, Window(date(2022, 6, 30), date(2022, 6, 1))),
        fact("portal.visits_cumulative", "BP", 97085752, Window(now_day)),
    )
    baseline = may_round(fact("portal.visits_cumulative", "BP", 90928969, Window(before_day)))
    return current, baseline


def test_a_running_total_grown_by_the_month_but_dated_otherwise_is_a_warning(catalogue: Catalogue) -> None:
    assert checks(catalogue, *_portal(date(2022, 6, 8), date(2022, 7, 19))) == [
        QualityFinding(
            WARNING,
            "running_total_dates",
            "portal",
            "BP",
            "portal.visits_cumulative",
            "",
            "90.928.969 (đến ngày 08/6/2022) + 6.156.783 (từ 01/6/2022 đến 30/6/2022) "
            "= 97.085.752 (đến ngày 19/7/2022)",
            "số lũy kế bằng đúng số kỳ trước cộng số của tháng, nhưng ngày số liệu không khớp: "
            "có thể cộng dồn theo tháng rồi ghi nhầm ngày",
        )
    ]


def test_a_running_total_grown_by_the_month_it_covers_is_fine(catalogue: Catalogue) -> None:
    assert checks(catalogue, *_portal(date(2022, 5, 31), date(2022, 6, 30))) == []


def test_findings_come_errors_first(catalogue: Catalogue) -> None:
    current = june_round(fact("dvc.online_service_rate", "BP.DONG_PHU", "77.3"), fact("app.users", "BP.BU_DOP", -1))
    baseline = may_round(fact("dvc.online_service_rate", "BP.DONG_PHU", "77.3", JUNE))

    assert [(f.severity, f.check) for f in checks(catalogue, current, baseline)] == [
        (ERROR, "range"),
        (WARNING, "unchanged"),
    ]


# --- the demo rounds ----------------------------------------------------------------------------------------


def _demo_checks(code: str) -> list[QualityFinding]:
    round_ = Round.objects.get(code=code)
    return run_checks(round_context(round_, round_.effective_baseline()))


def where(f: QualityFinding) -> tuple[Severity, str, str, str, str, str]:
    return f.severity, f.check, f.dataset, f.unit, f.indicator, f.category


@pytest.mark.django_db
def test_the_june_round_has_exactly_the_seed_s_slips_and_suspicions() -> None:
    found = _demo_checks("2022-06")

    assert [where(f) for f in found] == [
        (ERROR, "printed_differs", "portal", "BP", "portal.visits", ""),  # A8: 23,66% printed as 23,6%
        (ERROR, "printed_change_without_baseline", "dvc_rates", "BP.CA", "dvc.online_service_rate", ""),  # A4
        (ERROR, "printed_change_without_baseline", "dvc_rates", "BP.CA", "dvc.online_dossier_rate", ""),  # A4
        (ERROR, "printed_differs", "dvc_rates", "BP.HON_QUAN", "dvc.online_dossier_rate", ""),  # A1
        (ERROR, "printed_differs", "dvc_rates", "BP", "dvc.online_service_rate", ""),  # A2
        (ERROR, "printed_differs", "dvc_rates", "BP", "dvc.online_dossier_rate", ""),  # A3
        (WARNING, "period_against_running_totals", "hotline", "BP", "hotline.received", ""),  # A6
        (WARNING, "period_against_running_totals", "hotline", "BP", "hotline.processed", ""),  # A7
        (WARNING, "running_total_dates", "portal", "BP", "portal.visits_cumulative", ""),  # B1
        (WARNING, "unchanged", "dvc_rates", "BP", "dvc.online_dossier_rate", ""),  # C1
        (WARNING, "column_unchanged", "office_software", "", "office.official_email_rate", ""),  # C3
        (WARNING, "identical_rows", "security_scan", "BP.CTY_CS.DONG_PHU", "security.vulnerabilities", ""),  # C2
        (WARNING, "missing_unit", "dvc_rates", "BP.SO_TC", "", ""),  # D: dropped from the DVC table
        (WARNING, "missing_unit", "dvc_rates", "BP.SO_NGV", "", ""),
        (WARNING, "dataset_missing", "network", "", "", ""),
        (WARNING, "dataset_missing", "tax_payments", "", "", ""),
        # E: fewer weaknesses than computers with a weakness (the catalogue's not_below rule)
        (WARNING, "not_below", "security_scan", "BP.TU", "security.vulnerabilities", ""),
        (WARNING, "not_below", "security_scan", "BP.TU.UBKT", "security.vulnerabilities", ""),
        (WARNING, "not_below", "security_scan", "BP.TRUONG_CT", "security.vulnerabilities", ""),
    ]
    hon_quan = next(f for f in found if f.unit == "BP.HON_QUAN")
    assert hon_quan.figures == "in: Tăng 12,6%; tính lại: Tăng 18,6%"


@pytest.mark.django_db
def test_the_may_round_has_only_the_ecabinet_total_slip() -> None:
    # Seed slip A5: Số 01 gives 182 paperless meetings for the province, its table's units add up to 1.982.
    assert [(where(f), f.figures) for f in _demo_checks("2022-05")] == [
        (
            (ERROR, "parts_exceed_whole", "office_software", "BP", "office.paperless_meetings", ""),
            "toàn tỉnh: 182 (từ 01/01/2022 đến 20/6/2022); cộng 33 đơn vị: 1.982",
        )
    ]


@pytest.mark.django_db
def test_the_check_command_names_the_hon_quan_slip_and_exits_1() -> None:
    out = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("check", "--round", "2022-06", stdout=out)

    lines = out.getvalue().splitlines()
    assert exit_.value.code == 1
    assert (
        "[Lỗi] dvc_rates · Huyện Hớn Quản · dvc.online_dossier_rate: báo cáo đã in «Tăng 12,6%» (đến ngày 16/7/2022), "
        "số tính lại từ số liệu gốc là «Tăng 18,6%» — in: Tăng 12,6%; tính lại: Tăng 18,6% (printed_differs)"
    ) in lines
    assert lines[-1] == "19 phát hiện / findings, 6 lỗi / errors"


@pytest.mark.django_db
def test_the_check_command_on_the_may_round_names_the_ecabinet_slip_and_exits_1() -> None:
    out = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("check", "--round", "2022-05", stdout=out)

    assert exit_.value.code == 1
    assert out.getvalue().splitlines() == [
        "[Lỗi] office_software · Tỉnh Bình Phước · office.paperless_meetings: số liệu toàn tỉnh nhỏ hơn tổng số liệu "
        "các đơn vị tính đến ngày sớm hơn: một trong hai bị sai — toàn tỉnh: 182 (từ 01/01/2022 đến 20/6/2022); "
        "cộng 33 đơn vị: 1.982 (parts_exceed_whole)",
        "1 phát hiện / findings, 1 lỗi / errors",
    ]


@pytest.mark.django_db
def test_the_check_command_exits_0_once_the_slip_is_corrected() -> None:
    corrected = Value.objects.filter(
        round__code="2022-05", indicator__code="office.paperless_meetings", unit__code="BP"
    ).update(value=D(1982))
    out = StringIO()

    call_command("check", "--round", "2022-05", stdout=out)

    assert corrected == 1
    assert out.getvalue().splitlines() == ["0 phát hiện / findings, 0 lỗi / errors"]


@pytest.mark.django_db
def test_the_check_command_refuses_an_unknown_round_in_vietnamese() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("check", "--round", "2030-01", stdout=StringIO())

    assert str(refused.value) == "Không có kỳ báo cáo '2030-01' / no round '2030-01'"


# --- outliers against a unit's own history ------------------------------------------------------------------


def history(*values: int) -> list[RoundFacts]:
    return [
        RoundFacts(f"2021-{m:02d}", f"tháng {m}/2021", [fact("app.users", "BP.DONG_XOAI", v)])
        for m, v in enumerate(values, start=1)
    ]


def outliers(catalogue: Catalogue, value: int, past: list[RoundFacts]) -> list[tuple[str, str, str]]:
    ctx = RoundContext.build(catalogue, june_round(fact("app.users", "BP.DONG_XOAI", value)), None)
    return [(f.check, f.unit, f.figures) for f in run_checks(ctx, past) if f.check == "outlier"]


def test_a_figure_far_from_the_units_own_history_is_an_outlier(catalogue: Catalogue) -> None:
    assert outliers(catalogue, 21400, history(2000, 2100, 2140)) == [
        ("outlier", "BP.DONG_XOAI", "21.400; trung vị 3 kỳ trước: 2.100")
    ]


def test_a_figure_close_to_its_history_is_no_outlier(catalogue: Catalogue) -> None:
    assert outliers(catalogue, 2300, history(2000, 2100, 2140)) == []


def test_two_earlier_rounds_are_too_few_to_judge(catalogue: Catalogue) -> None:
    assert outliers(catalogue, 21400, history(2100, 2140)) == []
