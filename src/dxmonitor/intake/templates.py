"""Write the XLSX template of a dataset for a round: one row per expected unit, one column per figure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxmonitor.catalogue.loading import Catalogue
from dxmonitor.catalogue.schema import Dataset, Indicator
from dxmonitor.intake.wide_format import CODES_MARK, NOTE, UNIT_CODE, UNIT_NAME

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
FIRST_DATA_ROW = 8


def figure_columns(dataset: Dataset, catalogue: Catalogue) -> list[tuple[Indicator, str]]:
    """The (indicator, category) pairs a unit fills in: derived figures and totals of categories are computed."""
    out: list[tuple[Indicator, str]] = []
    for code in dataset.indicators:
        ind = catalogue.indicators[code]
        if ind.derived is not None:
            continue
        if ind.disaggregation:
            out += [(ind, f"{dim}={m}") for dim, members in ind.disaggregation.items() for m in members]
        else:
            out.append((ind, ""))
    return out


def _instructions(book: Workbook, dataset: Dataset, round_name: str, columns: list[tuple[Indicator, str]]) -> None:
    sheet = book.create_sheet("Hướng dẫn")
    lines = [
        f"BIỂU MẪU SỐ LIỆU: {dataset.name.upper()}",
        f"Kỳ báo cáo: {round_name}.",
        "",
        "Cách điền:",
        "1. Điền số liệu của đơn vị vào các ô trắng của sheet 'Số liệu', mỗi đơn vị một dòng. "
        "Ô để trống là chưa có số liệu.",
        "2. Không sửa, không xóa các cột mã đơn vị và dòng mã ẩn: hệ thống đọc số liệu theo các mã đó.",
        "3. Tỷ lệ (%) ghi từ 0 đến 100, ví dụ 92,36 (không ghi 0,9236). "
        "Số đếm, số tiền ghi số nguyên, không ghi đơn vị.",
        "4. Ngày số liệu (ô C3) là ngày chốt số liệu; sửa nếu số liệu chốt vào ngày khác.",
        "5. Có thể thêm ghi chú ở cột cuối. Nộp tệp qua trang 'Nộp số liệu'.",
        "",
        "Các chỉ tiêu:",
    ]
    lines += [
        f"- {ind.name}" + (f" — {ind.category_label(cat)}" if cat else "") + f": {ind.description}"
        for ind, cat in columns
    ]
    for row, text in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = Font(bold=row == 1)
    sheet.column_dimensions["A"].width = 120


def _header(sheet: Worksheet, columns: list[tuple[Indicator, str]]) -> None:
    first = 4  # indicator columns start at D
    sheet.cell(row=5, column=1, value="STT")
    sheet.cell(row=5, column=2, value="Mã đơn vị")
    sheet.cell(row=5, column=3, value="Đơn vị")
    for col in (1, 2, 3):
        sheet.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
    col = first
    for ind, cat in columns:
        unit = " (%)" if ind.kind == "percent" else " (VNĐ)" if ind.kind == "amount" else ""
        if cat:
            sheet.cell(row=6, column=col, value=ind.category_label(cat))
        else:
            sheet.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
        sheet.cell(row=5, column=col, value=ind.label + unit)
        col += 1
    # one heading over the categories of the same indicator: merged cells, as offices draw them
    start = first
    while start < col:
        ind = columns[start - first][0]
        end = start
        while end + 1 < col and columns[end + 1 - first][0] is ind and columns[end + 1 - first][1]:
            end += 1
        if end > start:
            sheet.merge_cells(start_row=5, start_column=start, end_row=5, end_column=end)
        start = end + 1
    sheet.cell(row=5, column=col, value="Ghi chú")
    sheet.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
    for row in (5, 6):
        for c in range(1, col + 1):
            cell = sheet.cell(row=row, column=c)
            cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    codes = [CODES_MARK, UNIT_CODE, UNIT_NAME] + [f"{i.code}|{c}" if c else i.code for i, c in columns] + [NOTE]
    for c, code in enumerate(codes, start=1):
        sheet.cell(row=7, column=c, value=code)
    sheet.row_dimensions[7].hidden = True


def write_template(
    path: Path, dataset: Dataset, catalogue: Catalogue, round_code: str, round_name: str, as_of: date, units: list[str]
) -> Path:
    """The template of `dataset` for the round, with a row for each of `units` (codes) and cell validation."""
    columns = figure_columns(dataset, catalogue)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Số liệu"
    sheet["A1"] = f"BIỂU MẪU SỐ LIỆU: {dataset.name.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"], sheet["C2"] = "Kỳ báo cáo:", round_code
    sheet["D2"] = round_name
    sheet["A3"], sheet["C3"] = "Ngày số liệu:", as_of
    sheet["C3"].number_format = "dd/mm/yyyy"
    _header(sheet, columns)
    last_col = 3 + len(columns) + 1
    for n, code in enumerate(units, start=1):
        row = FIRST_DATA_ROW + n - 1
        unit = catalogue.units[code]
        for c, value in enumerate((n, code, unit.name), start=1):
            sheet.cell(row=row, column=c, value=value).border = BOX
        for c in range(4, last_col + 1):
            sheet.cell(row=row, column=c).border = BOX
    last_row = FIRST_DATA_ROW + max(len(units), 1) - 1
    for offset, (ind, _) in enumerate(columns):
        letter = get_column_letter(4 + offset)
        area = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        if ind.kind == "percent":
            rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
            rule.error = "Tỷ lệ phải từ 0 đến 100 (ví dụ 92,36)."
            number_format = "0.00"
        else:
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
            rule.error = "Nhập số nguyên không âm." if ind.kind == "count" else "Nhập số tiền (đồng), số nguyên."
            number_format = "#,##0"
        rule.errorTitle, rule.showErrorMessage, rule.allow_blank = "Số liệu không hợp lệ", True, True
        sheet.add_data_validation(rule)
        rule.add(area)
        for row in range(FIRST_DATA_ROW, last_row + 1):
            sheet[f"{letter}{row}"].number_format = number_format
        sheet.column_dimensions[letter].width = 16
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 42
    sheet.column_dimensions[get_column_letter(last_col)].width = 30
    sheet.freeze_panes = f"D{FIRST_DATA_ROW}"
    _instructions(book, dataset, round_name, columns)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
