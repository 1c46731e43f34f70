"""Evaluation as the seeds do it by hand: verdicts, changes, the main figure, derived figures, totals, rankings.

Pure functions over hand-built facts and the real catalogue; no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Target
from dxmonitor.evaluation.derive import derive
from dxmonitor.evaluation.facts import Fact, RoundFacts, pick_main
from dxmonitor.evaluation.rules import (
    FAIL,
    PASS,
    Evaluation,
    at_best,
    below_target,
    change,
    evaluate,
    relative_change,
    top,
    total,
    verdict,
)
from dxmonitor.intake.windows import Window

D = Decimal
REPORT_DAY = Window(date(2022, 7, 16))
SCAN = Window(date(2022, 7, 20), date(2022, 7, 1))

# Số 01 (2022-05), Tổ CNSCĐ: commune teams by district; the communes come from the catalogue (111 in all).
CNSCD_TEAMS_2022_05 = {
    "BP.DONG_XOAI": 8,
    "BP.PHUOC_LONG": 7,
    "BP.DONG_PHU": 11,
    "BP.BU_DANG": 16,
    "BP.BU_DOP": 7,
    "BP.BINH_LONG": 6,
    "BP.CHON_THANH": 9,
    "BP.PHU_RIENG": 6,
    "BP.HON_QUAN": 13,
    "BP.LOC_NINH": 10,
    "BP.BU_GIA_MAP": 3,
}


def fact(indicator: str, unit: str, value: str | int, window: Window = REPORT_DAY, category: str = "") -> Fact:
    return Fact(indicator, unit, category, window, D(value))


def computed(indicator: str, unit: str, value: str | int, window: Window = REPORT_DAY, category: str = "") -> Fact:
    return Fact(indicator, unit, category, window, D(value), computed=True)


def round_of(*facts: Fact) -> RoundFacts:
    return RoundFacts("2022-06", "tháng 6/2022", list(facts))


def added_by_derive(facts: list[Fact], catalogue: Catalogue) -> list[Fact]:
    derived = derive(round_of(*facts), catalogue)
    assert derived.facts[: len(facts)] == facts, "entered facts must come through unchanged"
    return derived.facts[len(facts) :]


def evaluation(catalogue: Catalogue, indicator: str, unit: str, value: str | int | None) -> Evaluation:
    return Evaluation(catalogue.indicators[indicator], unit, "", None if value is None else D(value), REPORT_DAY)


# --- verdicts -----------------------------------------------------------------------------------------------


def test_a_rate_of_exactly_80_meets_the_at_least_80_target(catalogue: Catalogue) -> None:
    rate = catalogue.indicators["dvc.online_service_rate"]

    assert verdict(rate, D("80"), REPORT_DAY) == PASS == "Đạt"


def test_a_rate_of_79_99_misses_the_at_least_80_target(catalogue: Catalogue) -> None:
    rate = catalogue.indicators["dvc.online_service_rate"]

    assert verdict(rate, D("79.99"), REPORT_DAY) == FAIL == "Không đạt"


def test_an_at_most_target_is_met_at_the_limit_and_missed_above_it(catalogue: Catalogue) -> None:
    overdue = catalogue.indicators["dvc.overdue_rate"].model_copy(
        update={"targets": [Target(op="<=", value=D(5), source="a test target")]}
    )

    assert [verdict(overdue, D(v), REPORT_DAY) for v in ("0.82", "5", "5.01")] == [PASS, PASS, FAIL]


def test_an_indicator_without_a_target_has_no_verdict(catalogue: Catalogue) -> None:
    users = catalogue.indicators["app.users"]

    assert verdict(users, D(2140), REPORT_DAY) is None


def test_a_missing_value_has_no_verdict(catalogue: Catalogue) -> None:
    rate = catalogue.indicators["dvc.online_service_rate"]

    assert verdict(rate, None, REPORT_DAY) is None


# --- changes against the baseline ---------------------------------------------------------------------------


def test_the_change_of_a_percent_is_in_percentage_points(catalogue: Catalogue) -> None:
    dong_phu = Evaluation(
        catalogue.indicators["dvc.online_service_rate"], "BP.DONG_PHU", "", D("77.3"), REPORT_DAY, D("83.8")
    )

    assert (dong_phu.change, dong_phu.verdict, dong_phu.target.value if dong_phu.target else None) == (
        D("-6.5"),
        FAIL,
        D(80),
    )


def test_the_change_of_a_count_is_absolute(catalogue: Catalogue) -> None:
    dong_xoai = Evaluation(catalogue.indicators["app.users"], "BP.DONG_XOAI", "", D(2140), REPORT_DAY, D(885))

    assert (dong_xoai.change, dong_xoai.verdict, dong_xoai.target) == (D(1255), None, None)


def test_there_is_no_change_without_a_baseline_figure() -> None:
    assert (change(D(5), None), change(None, D(5))) == (None, None)


def test_relative_change_is_a_percentage_of_the_baseline() -> None:
    visits = relative_change(D(6156783), D(4978615))

    assert visits is not None and visits.quantize(D("0.0001")) == D("23.6646")


def test_relative_change_against_a_baseline_of_zero_is_none() -> None:
    assert relative_change(D(83), D(0)) is None


def test_evaluate_pairs_each_key_with_the_baseline_figure_of_the_same_key(catalogue: Catalogue) -> None:
    now = round_of(fact("app.users", "BP.DONG_XOAI", 2140, Window(date(2022, 7, 19))))
    before = RoundFacts("2022-05", "tháng 5/2022", [fact("app.users", "BP.DONG_XOAI", 885, Window(date(2022, 6, 14)))])

    assert evaluate(now, before, catalogue) == {
        ("app.users", "BP.DONG_XOAI", ""): Evaluation(
            catalogue.indicators["app.users"],
            "BP.DONG_XOAI",
            "",
            D(2140),
            Window(date(2022, 7, 19)),
            D(885),
            Window(date(2022, 6, 14)),
        )
    }


# --- the figure that stands for a key -----------------------------------------------------------------------


def test_the_latest_as_of_day_wins() -> None:
    series = [
        fact("dvc.online_service_rate", "BP", v, Window(date(2022, 7, d))) for v, d in [("98.56", 8), ("97.87", 15)]
    ]
    longer_but_earlier = fact("dvc.online_service_rate", "BP", "91", Window(date(2022, 7, 1), date(2022, 1, 1)))

    assert pick_main([series[0], longer_but_earlier, series[1]]) == series[1]


def test_among_windows_ending_the_same_day_the_as_of_figure_wins() -> None:
    as_of = fact("hotline.received", "BP", 752, Window(date(2022, 7, 19)))
    period = fact("hotline.received", "BP", 246, Window(date(2022, 7, 19), date(2022, 6, 8)))

    assert pick_main([period, as_of]) == as_of


def test_among_periods_ending_the_same_day_the_longest_wins() -> None:
    year_to_date = fact("hotline.received", "BP", 752, Window(date(2022, 7, 19), date(2022, 1, 1)))
    since_june = fact("hotline.received", "BP", 246, Window(date(2022, 7, 19), date(2022, 6, 8)))

    assert pick_main([since_june, year_to_date]) == year_to_date


def test_a_round_keeps_one_main_figure_per_key() -> None:
    year_to_date = fact("hotline.received", "BP", 752, Window(date(2022, 7, 19), date(2022, 1, 1)))
    since_june = fact("hotline.received", "BP", 246, Window(date(2022, 7, 19), date(2022, 6, 8)))
    processed = fact("hotline.processed", "BP", 739, Window(date(2022, 7, 19), date(2022, 1, 1)))

    assert round_of(since_june, year_to_date, processed).main() == {
        ("hotline.received", "BP", ""): year_to_date,
        ("hotline.processed", "BP", ""): processed,
    }


# --- derived figures ----------------------------------------------------------------------------------------


def test_derive_adds_the_communes_of_the_unit_and_the_commune_team_rate(catalogue: Catalogue) -> None:
    teams = fact("cnscd.commune_teams", "BP.LOC_NINH", 10)

    assert added_by_derive([teams], catalogue) == [
        computed("admin.communes", "BP.LOC_NINH", 16),
        computed("cnscd.commune_team_rate", "BP.LOC_NINH", "62.5"),
    ]


def test_the_communes_attribute_is_added_only_for_units_with_figures(catalogue: Catalogue) -> None:
    users = fact("app.users", "BP.DONG_XOAI", 2140)

    assert added_by_derive([users], catalogue) == [computed("admin.communes", "BP.DONG_XOAI", 8)]


def test_a_ratio_of_two_entered_figures_is_derived(catalogue: Catalogue) -> None:
    scanned = [
        fact("security.computers", "BP.TU.BTC", 55, SCAN),
        fact("security.vulnerable_computers", "BP.TU.BTC", 10, SCAN),
    ]

    derived = added_by_derive(scanned, catalogue)

    assert [(f.indicator, f.unit, f.category, f.window, f.computed) for f in derived] == [
        ("security.vulnerable_rate", "BP.TU.BTC", "", SCAN, True)
    ]
    assert derived[0].value == D(10) / D(55) * 100


def test_a_category_total_is_derived_when_every_category_is_present(catalogue: Catalogue) -> None:
    severities = [
        fact("security.vulnerabilities", "BP.TU.BTC", v, SCAN, f"severity={s}")
        for s, v in [("nguy_hiem", 3), ("cao", 1), ("trung_binh", 35), ("thap", 0)]
    ]

    assert added_by_derive(severities, catalogue) == [computed("security.vulnerabilities", "BP.TU.BTC", 39, SCAN)]


def test_no_category_total_is_derived_from_only_some_categories(catalogue: Catalogue) -> None:
    one_channel = fact("portal.posts", "BP", 10343, Window(date(2022, 7, 19), date(2022, 1, 1)), "channel=cong_ttdt")

    assert added_by_derive([one_channel], catalogue) == []


def test_an_entered_total_is_never_overwritten_by_the_sum_of_its_categories(catalogue: Catalogue) -> None:
    severities = [
        fact("security.vulnerabilities", "BP.TU.BTC", v, SCAN, f"severity={s}")
        for s, v in [("nguy_hiem", 3), ("cao", 1), ("trung_binh", 35), ("thap", 0)]
    ]
    entered_total = fact("security.vulnerabilities", "BP.TU.BTC", 40, SCAN)

    assert added_by_derive([*severities, entered_total], catalogue) == []
    assert (
        derive(round_of(*severities, entered_total), catalogue).main()[("security.vulnerabilities", "BP.TU.BTC", "")]
        == entered_total
    )


# --- totals -------------------------------------------------------------------------------------------------


def test_the_total_of_a_count_is_the_sum_of_the_units(catalogue: Catalogue) -> None:
    users = round_of(*(fact("app.users", u, v) for u, v in [("BP.DONG_XOAI", 2140), ("BP.LOC_NINH", 1125)])).main()

    assert total(
        catalogue.indicators["app.users"], "", ["BP.DONG_XOAI", "BP.LOC_NINH", "BP.BU_DOP"], users, catalogue, "BP"
    ) == D(3265)


def test_the_total_of_a_count_without_any_figure_is_none(catalogue: Catalogue) -> None:
    assert total(catalogue.indicators["app.users"], "", ["BP.DONG_XOAI"], {}, catalogue, "BP") is None


def test_the_total_of_an_entered_rate_is_the_whole_s_own_figure(catalogue: Catalogue) -> None:
    rates = round_of(
        fact("dvc.online_service_rate", "BP", "97.87"),
        fact("dvc.online_service_rate", "BP.DONG_PHU", "77.3"),
        fact("dvc.online_service_rate", "BP.LOC_NINH", "71.4"),
    ).main()
    rate = catalogue.indicators["dvc.online_service_rate"]

    assert total(rate, "", ["BP.DONG_PHU", "BP.LOC_NINH"], rates, catalogue, "BP") == D("97.87")
    assert total(rate, "", ["BP.DONG_PHU", "BP.LOC_NINH"], rates, catalogue, "BP.G.HUYEN") is None


def test_the_total_of_a_derived_rate_is_the_ratio_of_the_summed_parts(catalogue: Catalogue) -> None:
    teams = [fact("cnscd.commune_teams", u, n, Window(date(2022, 6, 18))) for u, n in CNSCD_TEAMS_2022_05.items()]
    main = derive(round_of(*teams), catalogue).main()
    units = list(CNSCD_TEAMS_2022_05)

    summed = total(catalogue.indicators["cnscd.commune_teams"], "", units, main, catalogue, "BP")
    communes = total(catalogue.indicators["admin.communes"], "", units, main, catalogue, "BP")
    rate = total(catalogue.indicators["cnscd.commune_team_rate"], "", units, main, catalogue, "BP")

    assert (summed, communes, rate) == (D(96), D(111), D(96) / D(111) * 100)
    assert rate is not None and rate.quantize(D("0.001")) == D("86.486")


# --- rankings and lists -------------------------------------------------------------------------------------


def test_top_ranks_the_highest_first_for_a_higher_is_better_indicator(catalogue: Catalogue) -> None:
    users = [
        evaluation(catalogue, "app.users", u, v)
        for u, v in [("BP.DONG_XOAI", 2140), ("BP.PHUOC_LONG", 602), ("BP.LOC_NINH", 1125), ("BP.CHON_THANH", 1063)]
    ]
    kinds = {code: u.kind for code, u in catalogue.units.items()}

    assert [(e.unit, e.value) for e in top(users, 3, kinds)] == [
        ("BP.DONG_XOAI", D(2140)),
        ("BP.LOC_NINH", D(1125)),
        ("BP.CHON_THANH", D(1063)),
    ]


def test_top_ranks_the_lowest_first_for_a_lower_is_better_indicator(catalogue: Catalogue) -> None:
    vulnerable = [
        evaluation(catalogue, "security.vulnerable_computers", u, v)
        for u, v in [("BP.TU.BTC", 10), ("BP.TU.BTG", 11), ("BP.CA", 2), ("BP.MTTQ", 7)]
    ]
    kinds = {code: u.kind for code, u in catalogue.units.items()}

    assert [e.unit for e in top(vulnerable, 2, kinds)] == ["BP.CA", "BP.MTTQ"]


def test_top_keeps_the_table_order_among_ties(catalogue: Catalogue) -> None:
    signed = [
        evaluation(catalogue, "office.signed_document_rate", u, v)
        for u, v in [("BP.SO_NV", "97.5"), ("BP.BU_GIA_MAP", 100), ("BP.SO_TP", "97.5"), ("BP.BAN_DT", 100)]
    ]
    kinds = {code: u.kind for code, u in catalogue.units.items()}

    assert [e.unit for e in top(signed, 4, kinds)] == ["BP.BU_GIA_MAP", "BP.BAN_DT", "BP.SO_NV", "BP.SO_TP"]


def test_top_leaves_out_the_unknown_bucket_groups_the_province_and_missing_values(catalogue: Catalogue) -> None:
    users = [
        evaluation(catalogue, "app.users", u, v)
        for u, v in [
            ("BP.UNKNOWN", 2573),
            ("BP", 9630),
            ("BP.G.HUYEN", 7057),
            ("BP.PHU_RIENG", None),
            ("BP.DONG_XOAI", 2140),
            ("BP.BU_DOP", 241),
        ]
    ]
    kinds = {code: u.kind for code, u in catalogue.units.items()}

    assert [e.unit for e in top(users, 3, kinds)] == ["BP.DONG_XOAI", "BP.BU_DOP"]


def test_below_target_lists_the_units_that_miss_it_in_table_order(catalogue: Catalogue) -> None:
    rates = [
        evaluation(catalogue, "dvc.online_service_rate", u, v)
        for u, v in [
            ("BP.DONG_XOAI", "82.4"),
            ("BP.DONG_PHU", "77.3"),
            ("BP.CHON_THANH", "72.2"),
            ("BP.BINH_LONG", "80"),
            ("BP.HON_QUAN", "66.7"),
            ("BP.PHU_RIENG", None),
        ]
    ]

    assert [(e.unit, e.value) for e in below_target(rates)] == [
        ("BP.DONG_PHU", D("77.3")),
        ("BP.CHON_THANH", D("72.2")),
        ("BP.HON_QUAN", D("66.7")),
    ]


def test_at_best_gives_the_best_value_and_every_unit_that_reached_it(catalogue: Catalogue) -> None:
    email = [
        evaluation(catalogue, "office.official_email_rate", u, v)
        for u, v in [("BP.SO_GDDT", "52.08"), ("BP.SO_CT", 100), ("BP.SO_GTVT", 100), ("BP.SO_KHDT", "97.73")]
    ]
    kinds = {code: u.kind for code, u in catalogue.units.items()}

    best, reached = at_best(email, kinds)

    assert (best, [e.unit for e in reached]) == (D(100), ["BP.SO_CT", "BP.SO_GTVT"])


def test_at_best_of_nothing_is_none(catalogue: Catalogue) -> None:
    assert at_best([], {}) == (None, [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [("100", PASS), ("99.99", FAIL)],
)
def test_the_commune_team_rate_must_reach_100(catalogue: Catalogue, value: str, expected: str) -> None:
    assert verdict(catalogue.indicators["cnscd.commune_team_rate"], D(value), REPORT_DAY) == expected
