"""Every indicator computed from dossier records, against answers worked out by hand (docs/dossier-indicators.md).

June 2022 on the tree of 30/6/2022. Đồng Phú has dossiers received in May and completed in June, received in June and
completed in July, open and overdue, open and in time, withdrawn; Lộc Ninh offers procedures but received no dossier;
Sở Tư pháp has an open dossier without a time limit and one received in July. The province adds them all up."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier_data import DOSSIER_HEADER, PROCEDURE_HEADER, figures_of, run
from dxmonitor.analytics.compute import Outcome

PROCEDURES = [
    ["P1", "BP.DONG_PHU", "Cấp giấy phép", "full", "true"],
    ["P2", "BP.DONG_PHU", "Đăng ký", "partial", "false"],
    ["P3", "BP.DONG_PHU", "Xác nhận", "none", "true"],
    ["Q1", "BP.LOC_NINH", "Cấp giấy phép", "full", "false"],
    ["Q2", "BP.LOC_NINH", "Xác nhận", "none", "false"],
    ["T1", "BP.SO_TP", "Chứng thực", "full", "true"],
]
# id, procedure, unit, channel, received, due, completed, status, digitized, result, paid, complaint, satisfaction
DOSSIERS = [
    ["D1", "P1", "BP.DONG_PHU", "online", "2022-06-01 08:00", "2022-06-05 17:00", "2022-06-04 10:00", "completed",
     "true", "true", "true", "false", "5"],
    ["D2", "P1", "BP.DONG_PHU", "in_person", "2022-06-10 08:00", "2022-06-12 17:00", "2022-06-15 09:00", "completed",
     "true", "false", "false", "false", "2"],  # late
    ["D3", "P2", "BP.DONG_PHU", "online", "2022-06-20 08:00", "2022-07-10 17:00", "", "processing",
     "false", "false", "false", "false", ""],  # open, still in time
    ["D4", "P3", "BP.DONG_PHU", "in_person", "2022-06-25 08:00", "2022-06-28 17:00", "", "processing",
     "true", "false", "false", "false", ""],  # open and overdue at the end of June
    ["D5", "P1", "BP.DONG_PHU", "online", "2022-06-28 08:00", "2022-07-03 17:00", "2022-07-02 10:00", "completed",
     "true", "true", "true", "false", "4"],  # received in June, completed in July: open at the end of June
    ["D6", "P2", "BP.DONG_PHU", "in_person", "2022-05-20 08:00", "2022-06-03 17:00", "2022-06-02 10:00", "completed",
     "true", "true", "false", "true", ""],  # received in May, completed in June, with a complaint
    ["D7", "P1", "BP.DONG_PHU", "in_person", "2022-05-25 08:00", "2022-06-01 17:00", "2022-05-31 10:00", "completed",
     "true", "true", "false", "false", "5"],  # all in May: not June's
    ["D8", "P3", "BP.DONG_PHU", "in_person", "2022-06-05 08:00", "2022-06-10 17:00", "", "withdrawn",
     "false", "false", "false", "false", ""],  # withdrawn: counted nowhere
    ["S1", "T1", "BP.SO_TP", "online", "2022-06-15 08:00", "2022-06-20 17:00", "2022-06-18 10:00", "completed",
     "true", "true", "true", "false", "5"],
    ["S2", "T1", "BP.SO_TP", "online", "2022-07-02 08:00", "2022-07-10 17:00", "", "processing",
     "true", "false", "false", "false", ""],  # July's
    ["S3", "T1", "BP.SO_TP", "in_person", "2022-06-03 08:00", "", "", "processing",
     "false", "false", "false", "false", ""],  # no time limit: never overdue
]  # fmt: skip


@pytest.fixture(scope="module")
def june(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    outcome = run(tmp_path_factory.mktemp("june"), PROCEDURES, DOSSIERS)
    assert outcome.problems == []
    return outcome


def test_a_district_gets_every_rate_and_the_groups_its_records_measure(june: Outcome) -> None:
    # received 5 (D1-D5), online 3; handled 6 (D1-D6), overdue 2 (D2 late, D4 open past due); completed 3 (D1 D2 D6)
    # with 2 electronic results; digitised 4 of 5; fee dossiers 4 (D1 D2 D4 D5), paid online 2; online-capable
    # procedures P1 P2, both with an online dossier; dissatisfied 2 of 3 completed (D2 rated 2 and late, D6 complaint)
    assert figures_of(june.figures, "BP.DONG_PHU") == {
        "dvc.online_service_rate": "100.0000",
        "dvc.online_dossier_rate": "60.0000",
        "dvc.overdue_rate": "33.3333",
        "dvc.on_time_rate": "66.6667",
        "dvc.digitization_rate": "80.0000",
        "dvc.electronic_result_rate": "66.6667",
        "dvc.online_payment_rate": "50.0000",
        "dvc766.progress_points": "13.33",  # 20 × 4/6
        "dvc766.online_service_points": "11.67",  # min(2, 2 × (2/3) / 0.8) + 4 × 1 + min(6, 6 × 0.6 / 0.5)
        "dvc766.online_payment_points": "5.00",  # 10 × 2/4
        "dvc766.digitization_points": "15.84",  # (6 × 2/3 + 4 × 4/5) on the 10 points measured, scaled to 22
        "dvc766.satisfaction_points": "6.67",  # 6 × (1/3) / 0.9 on the 6 points measured, scaled to 18
    }


def test_a_dossier_received_in_june_and_completed_in_july_is_open_at_the_end_of_june(june: Outcome) -> None:
    # D5 is handled in June and in time (due 3/7); were it counted as completed, June would have 4 completed
    electronic = figures_of(june.figures, "BP.DONG_PHU")["dvc.electronic_result_rate"]
    assert electronic == "66.6667"  # 2 of 3 completed in June, D5 not among them


def test_a_unit_without_dossiers_gets_only_what_its_procedures_measure(june: Outcome) -> None:
    # Lộc Ninh: one online-capable procedure of two, and no online dossier; no rate has a denominator but that one
    assert figures_of(june.figures, "BP.LOC_NINH") == {
        "dvc.online_service_rate": "0.0000",
        "dvc766.online_service_points": "2.50",  # (min(2, 2 × 0.5 / 0.8) + 4 × 0) on 6 measured points, scaled to 12
    }


def test_an_open_dossier_without_a_time_limit_is_never_overdue(june: Outcome) -> None:
    assert figures_of(june.figures, "BP.SO_TP") == {
        "dvc.online_service_rate": "100.0000",
        "dvc.online_dossier_rate": "50.0000",
        "dvc.overdue_rate": "0.0000",
        "dvc.on_time_rate": "100.0000",
        "dvc.digitization_rate": "50.0000",
        "dvc.electronic_result_rate": "100.0000",
        "dvc.online_payment_rate": "50.0000",
        "dvc766.progress_points": "20.00",
        "dvc766.online_service_points": "12.00",
        "dvc766.online_payment_points": "5.00",
        "dvc766.digitization_points": "17.60",
        "dvc766.satisfaction_points": "18.00",
    }


def test_the_province_adds_up_the_records_of_every_unit_below_it_and_averages_nothing(june: Outcome) -> None:
    # received 7, online 4; handled 8, overdue 2; completed 4, electronic 3; digitised 5; fee 6, paid 3;
    # procedures 6, online-capable 4, used online 3; satisfied 2 of 4. The mean of the units' online dossier rates
    # would be 55%, the records say 57,14%.
    assert figures_of(june.figures, "BP") == {
        "dvc.online_service_rate": "75.0000",
        "dvc.online_dossier_rate": "57.1429",
        "dvc.overdue_rate": "25.0000",
        "dvc.on_time_rate": "75.0000",
        "dvc.digitization_rate": "71.4286",
        "dvc.electronic_result_rate": "75.0000",
        "dvc.online_payment_rate": "50.0000",
        "dvc766.progress_points": "15.00",
        "dvc766.online_service_points": "10.67",
        "dvc766.online_payment_points": "5.00",
        "dvc766.digitization_points": "16.19",
        "dvc766.satisfaction_points": "10.00",
    }


def test_units_without_procedures_or_dossiers_get_no_figure(june: Outcome) -> None:
    assert sorted({f.unit for f in june.figures}) == ["BP", "BP.DONG_PHU", "BP.LOC_NINH", "BP.SO_TP"]


def test_a_group_scored_on_part_of_its_criteria_says_so_in_its_note(june: Outcome) -> None:
    notes = {f.indicator: f.note for f in june.figures if f.unit == "BP.DONG_PHU" and f.note}
    assert list(notes) == ["dvc766.digitization_points", "dvc766.satisfaction_points"]
    assert notes["dvc766.digitization_points"].startswith("Chấm trên 10/22 điểm đo được từ hồ sơ")


def test_with_the_optional_columns_all_six_groups_and_the_total_are_computed(tmp_path: Path) -> None:
    procedures = [
        ["X1", "BP.SO_XD", "Cấp phép xây dựng", "full", "true", "true", "true", "false"],
        ["X2", "BP.SO_XD", "Xác nhận", "none", "false", "true", "false", "true"],
    ]
    dossiers = [
        ["E1", "X1", "BP.SO_XD", "online", "2022-06-10 08:00", "2022-06-20 17:00", "2022-06-12 10:00", "completed",
         "true", "true", "true", "false", "5", "true", "false", "true"],
        ["E2", "X1", "BP.SO_XD", "in_person", "2022-06-11 08:00", "2022-06-20 17:00", "2022-06-25 10:00", "completed",
         "false", "false", "false", "false", "", "false", "true", "true"],
    ]  # fmt: skip
    outcome = run(
        tmp_path,
        procedures,
        dossiers,
        [*PROCEDURE_HEADER, "published_on_time", "updated_on_time", "content_complete"],
        [*DOSSIER_HEADER, "synced", "data_reused", "citizen_data"],
    )
    assert outcome.problems == []
    found = figures_of(outcome.figures, "BP.SO_XD")
    assert {k: v for k, v in found.items() if k.startswith("dvc766.")} == {
        "dvc766.disclosure_points": "12.00",  # 6 × 2/2 + 4 × 1/2 + 2 × 1/2 + 6 × 1/2
        "dvc766.progress_points": "10.00",
        "dvc766.online_service_points": "11.25",  # min(2, 2 × 0.5 / 0.8) + 4 + min(6, 6 × 0.5 / 0.5)
        "dvc766.online_payment_points": "5.00",
        "dvc766.digitization_points": "12.96",  # (6 × 1/2 + 4 × 1/2 + 2 × 0.5/0.8 + 2 × 2/2) on 14, scaled to 22
        "dvc766.satisfaction_points": "10.00",
        "dvc766.total_points": "61.21",
    }
    total = next(f for f in outcome.figures if f.unit == "BP.SO_XD" and f.indicator == "dvc766.total_points")
    assert total.note.endswith("Số hóa hồ sơ, Mức độ hài lòng")
