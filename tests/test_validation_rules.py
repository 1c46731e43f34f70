"""The datasets' validation rules, one class each: an error blocks an import, a warning does not."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Rule
from dxmonitor.intake.long_format import LongRecord
from dxmonitor.intake.planning import ImportPlan, plan_records
from dxmonitor.intake.validation import Required, RuleContext, missing_required, validate
from dxmonitor.problems import Location, Severity
from writing import check_files


def plan_of(catalogue: Catalogue, rows: list[tuple[str, str, str, str]], round_code: str = "2023-01") -> ImportPlan:
    """A plan from (unit, indicator, category, value) rows, as a file would give them."""
    records = [
        LongRecord(
            Location(file="t.csv", row=n), {"value": "D"}, unit, indicator, value, category, "31/01/2023", "", ""
        )
        for n, (unit, indicator, category, value) in enumerate(rows, start=2)
    ]
    plan = plan_records(records, round_code, catalogue)
    assert plan.ok, plan.errors
    return plan


def findings(plan: ImportPlan) -> list[tuple[Severity, int | None, str]]:
    return [(p.severity, p.location.row, p.message_en) for p in plan.problems]


def with_rules(catalogue: Catalogue, dataset: str, *rules: Rule) -> Catalogue:
    """The catalogue with one dataset's rules replaced, so each test sees only the rule it is about."""
    others = {code: ds.model_copy(update={"rules": []}) for code, ds in catalogue.datasets.items()}
    others[dataset] = catalogue.datasets[dataset].model_copy(update={"rules": list(rules)})
    return Catalogue(catalogue.indicators, others, catalogue.units)


def test_the_shipped_rules_are_well_formed(catalogue: Catalogue) -> None:
    counted = {code: [r.rule for r in ds.rules] for code, ds in catalogue.datasets.items() if ds.rules}
    assert counted["security_scan"] == ["not_above", "not_below", "parts_total", "required"]
    assert counted["hotline"] == ["not_above"]


def test_a_rule_without_what_it_needs_is_refused() -> None:
    with pytest.raises(ValueError, match="rule 'not_above' needs limit"):
        Rule(rule="not_above", indicator="hotline.processed")
    with pytest.raises(ValueError, match="rule 'rate' needs numerator, denominator"):
        Rule(rule="rate", indicator="office.signed_document_rate")


def test_more_vulnerable_computers_than_computers_is_an_error(catalogue: Catalogue) -> None:
    cat = with_rules(
        catalogue,
        "security_scan",
        Rule(rule="not_above", indicator="security.vulnerable_computers", limit="security.computers"),
    )
    plan = plan_of(cat, [("BP.CA", "security.computers", "", "2"), ("BP.CA", "security.vulnerable_computers", "", "3")])
    validate(plan, cat)
    assert findings(plan) == [
        (
            Severity.ERROR,
            3,
            "Số máy tính có điểm yếu = 3 is above Số lượng máy tính được rà quét = 2",
        )
    ]
    assert not plan.ok


def test_a_limit_already_stored_this_round_counts(catalogue: Catalogue) -> None:
    cat = with_rules(
        catalogue, "hotline", Rule(rule="not_above", indicator="hotline.processed", limit="hotline.received")
    )
    plan = plan_of(cat, [("BP", "hotline.processed", "", "800")])
    validate(plan, cat, stored={("hotline.received", "BP", ""): Decimal(752)})
    assert findings(plan) == [
        (
            Severity.ERROR,
            2,
            "Tổng đài 1022: số tin phản ánh đã xử lý = 800 is above Tổng đài 1022: số tin phản ánh tiếp nhận = 752",
        )
    ]


def test_more_community_teams_than_communes_is_an_error(catalogue: Catalogue) -> None:
    cat = with_rules(catalogue, "cnscd", Rule(rule="not_above", indicator="cnscd.commune_teams", limit="unit.communes"))
    plan = plan_of(cat, [("Lộc Ninh", "cnscd.commune_teams", "", "17"), ("Bù Đốp", "cnscd.commune_teams", "", "7")])
    validate(plan, cat)
    assert findings(plan) == [
        (Severity.ERROR, 2, "Số Tổ công nghệ số cộng đồng cấp xã = 17 is above the unit's number of communes = 16")
    ]


def test_parts_that_do_not_add_up_to_their_total_are_an_error(catalogue: Catalogue) -> None:
    cat = with_rules(catalogue, "e_auth", Rule(rule="parts_total", indicator="e_auth.dossiers"))
    statuses = [
        ("status=cho_ky", "152"),
        ("status=cho_dong_dau", "260"),
        ("status=hoan_thanh", "12.920"),
        ("status=huy", "72"),
        ("status=tu_choi", "385"),
    ]
    rows = [("BP", "e_auth.dossiers", c, v) for c, v in statuses]
    good = plan_of(cat, [*rows, ("BP", "e_auth.dossiers", "", "13.789")])
    validate(good, cat)
    bad = plan_of(cat, [*rows, ("BP", "e_auth.dossiers", "", "13.798")])
    validate(bad, cat)
    assert (findings(good), findings(bad)) == (
        [],
        [
            (
                Severity.ERROR,
                7,
                "total 13798 of Số hồ sơ chứng thực điện tử (Tỉnh Bình Phước) differs from the sum of its categories "
                "13789",
            )
        ],
    )


def test_a_rate_must_match_its_numerator_and_denominator(catalogue: Catalogue) -> None:
    cat = with_rules(
        catalogue,
        "security_scan",
        Rule(
            rule="rate",
            indicator="security.computers",
            numerator="security.vulnerable_computers",
            denominator="security.computers",
            scale=Decimal(1),
            tolerance=Decimal(0),
        ),
    )
    plan = plan_of(cat, [("BP.CA", "security.computers", "", "2"), ("BP.CA", "security.vulnerable_computers", "", "1")])
    validate(plan, cat)
    assert findings(plan) == [
        (
            Severity.ERROR,
            2,
            "rate 2 differs from Số máy tính có điểm yếu / Số lượng máy tính được rà quét = 0.5",
        )
    ]


def test_a_running_total_that_falls_is_a_warning_that_does_not_block(catalogue: Catalogue) -> None:
    cat = with_rules(catalogue, "app_users", Rule(rule="cumulative", indicator="app.users", severity="warning"))
    plan = plan_of(cat, [("Đồng Xoài", "app.users", "", "2.000")])
    validate(plan, cat, previous={("app.users", "BP.DONG_XOAI", ""): Decimal(2140)})
    assert findings(plan) == [
        (
            Severity.WARNING,
            2,
            "running total Số người sử dụng ứng dụng Bình Phước Today fell from 2140 (last round) to 2000",
        )
    ]
    assert plan.ok


def test_required_indicators_wait_for_the_submission_not_the_file(catalogue: Catalogue) -> None:
    spec = Rule(rule="required", indicators=["security.computers", "security.vulnerable_computers"])
    cat = with_rules(catalogue, "security_scan", spec)
    plan = plan_of(
        cat,
        [
            ("BP.CA", "security.computers", "", "2"),
            ("BP.TU.BTC", "security.computers", "", "55"),
            ("BP.TU.BTC", "security.vulnerable_computers", "", "10"),
        ],
    )
    validate(plan, cat)
    assert findings(plan) == []  # the rest may come in another file
    ctx = RuleContext(cat, {(v.indicator, v.unit, v.category): v for v in plan.values})
    assert [p.message_en for p in Required(spec, cat.datasets["security_scan"]).check(ctx)] == [
        "Công an tỉnh lacks required indicators: Số máy tính có điểm yếu"
    ]
    assert missing_required(cat.datasets["security_scan"], "BP.CA", {"security.computers"}) == [
        "security.vulnerable_computers"
    ]


def test_a_declared_range_is_checked(catalogue: Catalogue) -> None:
    cat = with_rules(catalogue, "app_users", Rule(rule="range", indicator="app.users", max=Decimal(100000)))
    plan = plan_of(cat, [("Đồng Xoài", "app.users", "", "214.000")])
    validate(plan, cat)
    assert findings(plan) == [
        (Severity.ERROR, 2, "Số người sử dụng ứng dụng Bình Phước Today = 214000 outside […; 100000]")
    ]


@pytest.mark.django_db
def test_an_import_runs_the_rules_against_last_rounds_figures(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "t.csv"
    path.write_text("don_vi,chi_tieu,gia_tri,ngay_so_lieu\nĐồng Xoài,app.users,2.000,19/08/2022\n", encoding="utf-8")
    plan = check_files([path], "2022-07")
    assert findings(plan) == [
        (
            Severity.WARNING,
            2,
            "running total Số người sử dụng ứng dụng Bình Phước Today fell from 2140 (last round) to 2000",
        )
    ]


@pytest.mark.django_db
def test_an_import_of_the_demo_rounds_passes_every_rule(catalogue: Catalogue) -> None:
    from dxmonitor.demo.loading import demo_rounds

    for demo in demo_rounds():
        plan = check_files([demo.file], demo.code)
        rule_findings = [p.message_en for p in plan.problems if p.message_en.endswith("]")]
        assert (plan.ok, rule_findings) == (True, [])


def test_every_rule_class_is_registered() -> None:
    from dxmonitor.intake.validation import RULES

    assert set(RULES) == set(Rule.model_fields["rule"].annotation.__args__)  # type: ignore[union-attr]
