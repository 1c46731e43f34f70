"""Bad dossier records, counted by kind with their rows, a rule per kind; vendors' exports through a mapping file."""

from __future__ import annotations

from pathlib import Path

from dossier_data import DOSSIER_HEADER, JUNE, figures_of, run, write_csv
from dxmonitor.analytics.compute import Outcome, compute
from dxmonitor.analytics.engine import connect
from dxmonitor.analytics.quality import Example
from dxmonitor.analytics.tree import round_tree
from dxmonitor.catalogue.loading import load_catalogue

PROCEDURES = [
    ["P1", "BP.DONG_PHU", "Cấp giấy phép", "full", "true"],  # row 2
    ["P2", "BP.DONG_PHU", "Đăng ký", "partial", "false"],  # row 3
    ["P2", "BP.DONG_PHU", "Đăng ký (bản sao)", "partial", "false"],  # row 4: the same procedure again
    ["Z1", "BP.KHONG_CO", "Thủ tục lạ", "full", "false"],  # row 5: no such unit
]


def dossier(number: int, **changes: str) -> list[str]:
    """A clean dossier of P1, received online on 1/6/2022 and completed in time, with some fields changed."""
    row = {
        "dossier_id": f"H{number}",
        "procedure_code": "P1",
        "unit_code": "BP.DONG_PHU",
        "channel": "online",
        "received_at": "2022-06-01 08:00",
        "due_at": "2022-06-05 17:00",
        "completed_at": "2022-06-03 10:00",
        "status": "completed",
        "digitized": "true",
        "result_digitized": "true",
        "paid_online": "true",
        "complaint": "false",
        "satisfaction": "5",
    } | changes
    return [row[name] for name in DOSSIER_HEADER]


DOSSIERS = [
    dossier(1),  # row 2
    dossier(2, unit_code=""),  # row 3: missing value
    dossier(3, received_at="31/02/2022"),  # row 4: no such day
    dossier(4, channel="fax"),  # row 5: a channel nobody mapped
    dossier(1),  # row 6: H1 again
    dossier(6, unit_code="BP.KHONG_CO"),  # row 7
    dossier(7, procedure_code="P9"),  # row 8
    dossier(8, completed_at="2022-05-30 10:00"),  # row 9
    dossier(9, due_at="2022-05-30 17:00"),  # row 10
    dossier(10, status="processing"),  # row 11: processing, yet completed
    dossier(11, satisfaction="7"),  # row 12: a rating out of 1-5
    dossier(12, channel="in_person", paid_online="false"),  # row 13
]


def kinds(outcome: Outcome) -> list[tuple[str, str, int, str, list[Example]]]:
    return [(b.table, b.kind, b.count, b.rule, b.examples) for b in outcome.bad]


def test_each_kind_of_bad_record_is_counted_and_shown_with_its_file_row_and_value(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS)
    f, p = "ho-so.csv", "thu-tuc.csv"
    assert kinds(outcome) == [
        ("procedures", "duplicated_procedure", 1, "leave_out", [Example(p, 4, "procedure_code", "P2 @ BP.DONG_PHU")]),
        ("procedures", "unknown_unit", 1, "leave_out", [Example(p, 5, "unit_code", "BP.KHONG_CO")]),
        ("dossiers", "missing_value", 1, "leave_out", [Example(f, 3, "unit_code", "")]),
        (
            "dossiers",
            "unreadable_value",
            3,
            "leave_out",
            [
                Example(f, 4, "received_at", "31/02/2022"),
                Example(f, 5, "channel", "fax"),
                Example(f, 12, "satisfaction", "7"),
            ],
        ),
        ("dossiers", "duplicated_dossier_id", 1, "leave_out", [Example(f, 6, "dossier_id", "H1")]),
        ("dossiers", "unknown_unit", 1, "leave_out", [Example(f, 7, "unit_code", "BP.KHONG_CO")]),
        ("dossiers", "unknown_procedure", 1, "leave_out", [Example(f, 8, "procedure_code", "P9 @ BP.DONG_PHU")]),
        (
            "dossiers",
            "completed_before_received",
            1,
            "leave_out",
            [Example(f, 9, "completed_at", "2022-05-30 10:00:00")],
        ),
        ("dossiers", "due_before_received", 1, "leave_out", [Example(f, 10, "due_at", "2022-05-30 17:00:00")]),
        ("dossiers", "status_mismatch", 1, "leave_out", [Example(f, 11, "status", "processing / 2022-06-03 10:00:00")]),
    ]


def test_bad_records_are_left_out_listed_as_warnings_and_the_rest_is_computed(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS)
    assert outcome.ok
    assert [p.severity.value for p in outcome.problems] == ["warning"] * 10
    # H1 (row 2) and H12 (row 13) are the clean records: one online dossier of two
    assert figures_of(outcome.figures, "BP.DONG_PHU")["dvc.online_dossier_rate"] == "50.0000"


def test_the_warning_of_a_kind_names_its_rows_in_vietnamese_and_english(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS)
    duplicated = next(p for p in outcome.problems if p.location.field == "dossiers.duplicated_dossier_id")
    assert str(duplicated) == (
        "[Cảnh báo] trường/field dossiers.duplicated_dossier_id: 1 bản ghi dossiers: trùng mã hồ sơ (giữ bản ghi đầu "
        "tiên) — đã loại khỏi tính toán; ví dụ: ho-so.csv dòng/row 6 dossier_id='H1' / 1 dossiers records: duplicated "
        "dossier id (the first is kept) — left out of the computation; e.g. ho-so.csv dòng/row 6 dossier_id='H1'"
    )


def test_a_rule_of_the_mapping_file_makes_a_kind_stop_the_run(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS, mapping="rules: {duplicated_dossier_id: stop}\n")
    assert not outcome.ok
    assert outcome.figures == []
    assert [(p.severity.value, p.location.field) for p in outcome.problems if p.is_error] == [
        ("error", "dossiers.duplicated_dossier_id")
    ]


def test_a_missing_column_stops_the_run_and_names_the_file_and_the_column(tmp_path: Path) -> None:
    header = [h for h in DOSSIER_HEADER if h != "channel"]
    rows = [[c for h, c in zip(DOSSIER_HEADER, dossier(1), strict=True) if h != "channel"]]
    outcome = run(tmp_path, PROCEDURES[:1], rows, dossier_header=header)
    assert not outcome.ok and outcome.figures == []
    assert [(p.location.file, p.location.row, p.location.field) for p in outcome.problems] == [
        ("ho-so.csv", 1, "channel")
    ]
    assert outcome.problems[0].message_vi.startswith("thiếu cột 'channel' (dossiers.channel)")


VENDOR_MAPPING = """\
procedures:
  columns: {procedure_code: MaTTHC, unit_code: MaDonVi, name: TenTTHC, online_level: MucDo, has_fee: CoPhi}
  values:
    online_level: {full: [Toàn trình], partial: [Một phần], none: [Không]}
dossiers:
  delimiter: ";"
  timestamp_formats: ["%d/%m/%Y %H:%M"]
  columns:
    dossier_id: MaHoSo
    procedure_code: MaTTHC
    unit_code: MaDonVi
    channel: HinhThucNop
    received_at: NgayTiepNhan
    due_at: NgayHenTra
    completed_at: NgayTraKetQua
    status: TrangThai
    digitized: DaSoHoa
    result_digitized: KetQuaDienTu
    paid_online: ThanhToan
    complaint: PhanAnh
    satisfaction: DanhGia
  values:
    channel: {online: [Trực tuyến], in_person: [Trực tiếp], post: [Bưu chính]}
    status: {processing: [Đang xử lý], completed: [Đã trả kết quả], withdrawn: [Đã rút]}
    paid_online: {"true": [Đã thanh toán], "false": [Chưa thanh toán]}
"""


def test_a_vendors_export_maps_onto_the_canonical_schema_and_gives_the_same_figures(tmp_path: Path) -> None:
    (tmp_path / "canonical").mkdir()
    canonical = run(tmp_path / "canonical", PROCEDURES[:2], DOSSIERS[:1])
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    procs = write_csv(
        vendor / "thu-tuc.csv",
        ["MaTTHC", "MaDonVi", "TenTTHC", "MucDo", "CoPhi"],
        [
            ["P1", "BP.DONG_PHU", "Cấp giấy phép", "Toàn trình", "Có"],
            ["P2", "BP.DONG_PHU", "Đăng ký", "Một phần", "Không"],
        ],
    )
    header = "MaHoSo;MaTTHC;MaDonVi;HinhThucNop;NgayTiepNhan;NgayHenTra;NgayTraKetQua;TrangThai;DaSoHoa;KetQuaDienTu;"
    (vendor / "ho-so.csv").write_text(
        header + "ThanhToan;PhanAnh;DanhGia\n"
        "H1;P1;BP.DONG_PHU;Trực tuyến;01/06/2022 08:00;05/06/2022 17:00;03/06/2022 10:00;Đã trả kết quả;x;x;"
        "Đã thanh toán;không;5\n",
        encoding="utf-8",
    )
    mapping = vendor / "vnpt.yaml"
    mapping.write_text(VENDOR_MAPPING, encoding="utf-8")
    tree = round_tree(load_catalogue(), JUNE.end.date())
    mapped = compute(connect("duckdb"), procs, [vendor / "ho-so.csv"], tree, JUNE, vendor / "work", mapping)
    assert mapped.problems == []
    assert mapped.figures == canonical.figures != []


def test_a_broken_mapping_file_is_an_error_with_its_file_and_line(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS, mapping="dossiers:\n  columns:\n    ma_ho_so: MaHoSo\n")
    assert [(Path(p.location.file).name, p.location.row, p.is_error) for p in outcome.problems] == [
        ("mapping.yaml", 1, True)
    ]
    assert "no canonical column 'ma_ho_so'" in outcome.problems[0].message_en


def test_a_mapping_value_that_is_no_canonical_member_is_refused(tmp_path: Path) -> None:
    outcome = run(tmp_path, PROCEDURES, DOSSIERS, mapping="dossiers:\n  values:\n    channel: {fax: [Fax]}\n")
    assert not outcome.ok
    assert "'fax' is none of online, in_person, post" in outcome.problems[0].message_en
