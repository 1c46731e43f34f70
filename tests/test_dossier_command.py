"""`dxmonitor dossiers generate|compute`: generated files, stored values of source "computed", their history."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from dossier_data import DOSSIER_HEADER, PROCEDURE_HEADER, write_csv
from dxmonitor.accounts.scope import Role
from dxmonitor.analytics import generate as generating
from dxmonitor.analytics.columns import DOSSIERS, PROCEDURES
from dxmonitor.analytics.generate import Plan, demo_online_shares, generate
from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.tree import in_force, on
from dxmonitor.intake.models import Source, Value, ValueChange
from personas import make_user
from test_dossier_indicators import DOSSIERS as JUNE_DOSSIERS
from test_dossier_indicators import PROCEDURES as JUNE_PROCEDURES

WINDOW = "2022-06-01/2022-06-30"


def dossiers_command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("dossiers", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def compute_june(tmp_path: Path, dossiers: Sequence[Sequence[object]], *extra: str) -> tuple[int, str, str]:
    """Compute June as "vanphong", an admin of the standing office (`--user` must name a real user)."""
    if not User.objects.filter(username="vanphong").exists():
        make_user("vanphong", Role.ADMIN)
    procs = write_csv(tmp_path / "thu-tuc.csv", PROCEDURE_HEADER, JUNE_PROCEDURES)
    doss = write_csv(tmp_path / "ho-so.csv", DOSSIER_HEADER, dossiers)
    args = ["--procedures", str(procs), "--dossiers", str(doss), "--round", "2022-06", "--user", "vanphong"]
    return dossiers_command("compute", *args, *extra)


def computed(unit: str) -> dict[str, tuple[Decimal, str, str]]:
    rows = Value.objects.filter(round__code="2022-06", unit__code=unit, source=Source.COMPUTED)
    return {v.indicator.code: (v.value.normalize(), v.window, v.updated_by) for v in rows}


@pytest.mark.django_db
def test_compute_stores_every_figure_as_a_computed_value_of_the_round(tmp_path: Path) -> None:
    code, out, err = compute_june(tmp_path, JUNE_DOSSIERS)
    assert (code, err) == (0, "")
    assert "Đã ghi / stored — kỳ 2022-06: mới/new 38, thay đổi/changed 0" in out
    assert computed("BP.SO_TP")["dvc.overdue_rate"] == (Decimal(0), WINDOW, "vanphong")
    assert computed("BP.DONG_PHU")["dvc766.digitization_points"] == (Decimal("15.84"), WINDOW, "vanphong")
    note = Value.objects.get(
        round__code="2022-06", unit__code="BP.DONG_PHU", indicator__code="dvc766.digitization_points"
    )
    assert note.note.startswith("Chấm trên 10/22 điểm đo được từ hồ sơ")
    assert note.source_ref.startswith("dossiers duckdb: ho-so.csv:")


@pytest.mark.django_db
def test_export_shows_the_computed_values_like_any_other(tmp_path: Path) -> None:
    compute_june(tmp_path, JUNE_DOSSIERS)
    out = io.StringIO()
    call_command("export", round="2022-06", format="csv", stdout=out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["unit_code"] == "BP.DONG_PHU"]
    computed_rows = [r for r in rows if r["as_of"] == WINDOW]
    assert [(r["dataset"], r["indicator"], r["value"], r["target"], r["verdict"]) for r in computed_rows[:4]] == [
        ("dvc_rates", "dvc.online_service_rate", "100", "80", "Đạt"),
        ("dvc_rates", "dvc.online_dossier_rate", "60", "50", "Đạt"),
        ("dossier_indicators", "dvc.overdue_rate", "33.3333", "", ""),
        ("dossier_indicators", "dvc.on_time_rate", "66.6667", "", ""),
    ]


@pytest.mark.django_db
def test_a_recomputation_replaces_the_values_and_keeps_the_old_ones_in_history(tmp_path: Path) -> None:
    compute_june(tmp_path, JUNE_DOSSIERS)
    late = [[*row[:6], "2022-06-30 17:00", *row[7:]] if row[0] == "S1" else row for row in JUNE_DOSSIERS]
    code, _, _ = compute_june(tmp_path, late)  # S1 now completed after its due day
    assert code == 0
    assert computed("BP.SO_TP")["dvc.overdue_rate"] == (Decimal(50), WINDOW, "vanphong")
    history = ValueChange.objects.filter(
        round__code="2022-06", unit__code="BP.SO_TP", indicator__code="dvc.overdue_rate"
    ).order_by("id")
    assert [(h.old_value, h.new_value, h.source, h.changed_by) for h in history] == [
        (None, Decimal("0.000000"), "computed", "vanphong"),
        (Decimal("0.000000"), Decimal("50.000000"), "computed", "vanphong"),
    ]


@pytest.mark.django_db
def test_a_dry_run_says_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    code, out, _ = compute_june(tmp_path, JUNE_DOSSIERS, "--dry-run")
    assert code == 0 and "Thử (không ghi) / dry run — kỳ 2022-06: mới/new 38" in out
    assert not Value.objects.filter(source=Source.COMPUTED).exists()


@pytest.mark.django_db
def test_a_missing_column_exits_1_names_it_and_writes_nothing(tmp_path: Path) -> None:
    procs = write_csv(tmp_path / "thu-tuc.csv", PROCEDURE_HEADER[:-1], [r[:-1] for r in JUNE_PROCEDURES])
    doss = write_csv(tmp_path / "ho-so.csv", DOSSIER_HEADER, JUNE_DOSSIERS)
    code, _, err = dossiers_command(
        "compute", "--procedures", str(procs), "--dossiers", str(doss), "--round", "2022-06"
    )
    assert code == 1
    assert "thu-tuc.csv, dòng/row 1, trường/field has_fee: thiếu cột 'has_fee'" in err
    assert "Không ghi gì / nothing written." in err
    assert not Value.objects.filter(source=Source.COMPUTED).exists()


@pytest.mark.django_db
def test_bad_records_are_listed_on_stderr_and_the_clean_ones_stored(tmp_path: Path) -> None:
    code, _, err = compute_june(tmp_path, [*JUNE_DOSSIERS, JUNE_DOSSIERS[0]])  # D1 twice: row 13 is a copy
    assert code == 0
    assert (
        "1 bản ghi dossiers: trùng mã hồ sơ (giữ bản ghi đầu tiên) — đã loại khỏi tính toán; ví dụ: ho-so.csv " in err
    )
    assert "dòng/row 13 dossier_id='D1'" in err
    assert computed("BP.DONG_PHU")["dvc.online_dossier_rate"][0] == Decimal(60)


@pytest.mark.django_db
def test_an_unknown_round_code_or_file_is_a_clear_error(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="'2022-13' phải có dạng YYYY-MM, ví dụ 2022-07 / round code"):
        compute_june(tmp_path, JUNE_DOSSIERS[:1], "--round", "2022-13")
    with pytest.raises(CommandError, match="Không có tệp / no such file"):
        dossiers_command("compute", "--procedures", "nope.csv", "--dossiers", "nope.csv", "--round", "2022-06")


def test_generate_writes_both_files_in_the_canonical_schema(tmp_path: Path, catalogue: Catalogue) -> None:
    code, out, _ = dossiers_command("generate", "--rows", "5000", "--out", str(tmp_path), "--start", "2022-03")
    assert code == 0 and "dossiers.parquet" in out
    procedures, dossiers = pq.read_table(tmp_path / "procedures.parquet"), pq.read_table(tmp_path / "dossiers.parquet")
    assert procedures.column_names == list(PROCEDURES.names)
    assert dossiers.column_names == list(DOSSIERS.names)
    assert dossiers.num_rows == 5000
    received = dossiers.column("received_at")
    first, last = pc.min(received).as_py(), pc.max(received).as_py()
    assert date(2022, 3, 1) <= first.date() and last.date() <= date(2023, 2, 28)
    units = set(procedures.column("unit_code").to_pylist())
    assert set(dossiers.column("unit_code").to_pylist()) <= units
    assert {"BP.DONG_PHU", "BP.SO_TP"} <= units  # the tree of 30/6/2022, the default --tree
    assert all(in_force(catalogue.units[u], on(date(2022, 6, 30))) for u in units)


def test_generate_writes_chunk_by_chunk_the_same_records_as_at_once(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generating, "CHUNK", 1000)
    generate(catalogue, Plan(rows=3500), tmp_path)
    assert pq.ParquetFile(tmp_path / "dossiers.parquet").metadata.num_row_groups == 4  # 1000, 1000, 1000, 500
    assert pq.read_table(tmp_path / "dossiers.parquet").column("dossier_id")[3499].as_py() == "HS3500"


def test_generated_units_send_online_shares_near_the_demo_figures(tmp_path: Path, catalogue: Catalogue) -> None:
    from dossier_data import JUNE
    from dxmonitor.analytics.compute import compute
    from dxmonitor.analytics.engine import connect
    from dxmonitor.analytics.tree import round_tree

    procedures, dossiers = generate(catalogue, Plan(rows=120_000), tmp_path)
    outcome = compute(
        connect("duckdb"), procedures, [dossiers], round_tree(catalogue, date(2022, 6, 30)), JUNE, tmp_path
    )
    demo = demo_online_shares(catalogue)
    generated = {f.unit: f.value for f in outcome.figures if f.indicator == "dvc.online_dossier_rate"}
    far = {u: (generated[u], demo[u] * 100) for u in ("BP.DONG_PHU", "BP.PHU_RIENG", "BP.BU_DOP", "BP.SO_TP")}
    assert all(abs(float(g) - d) < 6 for g, d in far.values()), far
    assert [b.kind for b in outcome.bad] == []
