"""The 2022-06 report against the issued Số 02/BC-STTTT: every figure of its tables, its findings, its files.

The seed's markdown tables are read from the seed file itself, so the comparison covers every printed cell;
the seed's known slips (/tmp/seed-slips.md A1–A4) are the only cells where the report must differ."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from dxmonitor.reports.generate import build_document, generate
from dxmonitor.reports.model import Cell, Document, Heading, Paragraph, Table

SEEDS = Path(os.environ.get("DXMONITOR_SEEDS", "/work/shared/seeds"))
SEED_02 = SEEDS / "001_a1c7fbee710efcf6.txt"

SECTION_HEADINGS = [
    "SỐ LIỆU THỐNG KÊ",
    "1. Cổng Thông tin điện tử tỉnh",
    "2. Dịch vụ công trực tuyến",
    '3. Ứng dụng "Binh Phuoc Today" và Tổng đài 1022',
    "4. Phần mềm, ứng dụng dùng chung",
    "5. Tổ công nghệ số cộng đồng",
    "6. Thanh toán trực tuyến phí, lệ phí và nghĩa vụ tài chính",
    "7. Chứng thực điện tử",
    "8. An toàn thông tin",
]
CLOSING = "Sở Thông tin và Truyền thông kính báo cáo./."

pytestmark = pytest.mark.django_db


# --- reading the seed -----------------------------------------------------------------------------------------

Grid = list[tuple[str, list[str]]]  # (row label: STT, group numeral, "Tổng" or "change"; its figure cells)


def _label(first: str, second: str = "") -> str:
    text = first or second
    if text.startswith("So với"):
        return "change"
    return "Tổng" if text.lower() == "tổng" else text


def _is_body(cells: list[str]) -> bool:
    first = cells[0] or (cells[1] if len(cells) > 1 else "")
    return bool(re.fullmatch(r"\d+|[IVX]+|TỔNG|Tổng", first)) or first.startswith("So với")


def seed_table(start: str, end: str, fix: Callable[[int, str], str] = lambda _i, text: text) -> Grid:
    """The body rows of the seed table between `start` and `end` (all its page-split parts), as
    (label, figures after the STT and unit columns); `fix(column, text)` rewrites the seed's own notation."""
    assert SEED_02.is_file(), f"the seed Số 02 is needed at {SEED_02} (set DXMONITOR_SEEDS)"
    text = SEED_02.read_text(encoding="utf-8")
    begin = text.index(start)
    rows: Grid = []
    for line in text[begin : text.index(end, begin)].splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [c.strip() for c in line[1:-1].split("|")]
        if _is_body(cells):
            rows.append((_label(cells[0], cells[1]), [fix(i, c) for i, c in enumerate(cells[2:])]))
    return rows


def report_table(table: Table) -> Grid:
    """The body rows of a document table in the same shape: spans spread out, then the figures after column 2."""
    rows: Grid = []
    for row in table.body:
        spread = [c.text for c in row.cells for _ in range(c.colspan)]
        label = "change" if row.style == "change" else spread[0]
        rows.append((label, spread[2:]))
    return rows


def with_slips(grid: Grid, slips: dict[tuple[str, int], tuple[str, str]]) -> Grid:
    """The seed's grid with each slip replaced by the recomputed figure (checking what the seed printed)."""
    out = []
    for label, figures in grid:
        figures = list(figures)
        for (slip_label, column), (printed, right) in slips.items():
            if slip_label == label:
                assert figures[column] == printed, (label, column, figures[column])
                figures[column] = right
        out.append((label, figures))
    return out


def percent_as_reported(text: str) -> str:
    """The seed writes "91,50%" and "100,00"; the report "91,5%" and "100%"."""
    digits = text.removesuffix("%")
    if "," in digits:
        digits = digits.rstrip("0").rstrip(",")
    return digits + "%"


def amount_as_reported(text: str) -> str:
    """The seed writes "130,970,001" (and "29,76 2" where the PDF split a cell); "-" for none, as the report does."""
    return text.replace(" ", "").replace(",", ".")


# --- the document -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def june(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Document:
    """The 2022-06 document, built once (reading only) for the whole module."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return build_document("2022-06")


@pytest.fixture(scope="module")
def may(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Document:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return build_document("2022-05")


def table_headed(doc: Document, heading: str) -> Table:
    found = [t for t in doc.tables() if any(c.text.startswith(heading) for row in t.header for c in row)]
    assert len(found) == 1, f"{len(found)} tables headed {heading!r}"
    return found[0]


def blocks_after(doc: Document, table: Table) -> list[str]:
    """The paragraphs that follow `table`, up to the next table or heading."""
    index = next(i for i, b in enumerate(doc.blocks) if b is table)
    texts = []
    for block in doc.blocks[index + 1 :]:
        if not isinstance(block, Paragraph):
            break
        texts.append(block.text)
    return texts


def spread(rows: list[list[Cell]], columns: int) -> list[list[str]]:
    """A table's rows as the full grid of texts, every slot of a span holding the spanning cell's text."""
    grid: list[list[str | None]] = [[None] * columns for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while grid[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[r + dr][c + dc] = cell.text
            c += cell.colspan
    return [[text or "" for text in row] for row in grid]


# --- the tables against Số 02 --------------------------------------------------------------------------------


def test_the_dvc_rate_table_prints_every_figure_of_so_02_except_its_slips(june: Document) -> None:
    seed = seed_table("- Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến và tỷ lệ hồ sơ", "Từ bảng trên cho thấy")
    expected = with_slips(
        seed,
        {
            ("15", 1): ("Bằng", ""),  # A4: Công an tỉnh is not in Số 01, so there is nothing to compare with
            ("15", 4): ("Bằng", ""),
            ("22", 4): ("Tăng 12,6%", "Tăng 18,6%"),  # A1: Hớn Quản 47,1% − 28,5%
            ("Tổng", 1): ("Tăng 6,87%", "Tăng 3,37%"),  # A2: 97,87% − 94,5% (Số 01 at 16/6)
            ("Tổng", 4): ("Tăng 9,71%", "Bằng"),  # A3: 90,18% − 90,18%
        },
    )

    assert len(seed) == 28
    assert report_table(table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ")) == expected


def test_the_dvc_rate_table_is_headed_by_its_target_and_the_baseline_round(june: Document) -> None:
    table = table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ")

    assert [[c.text for c in row] for row in table.header] == [
        [
            "STT",
            "Đơn vị",
            "Tỷ lệ DVCTT phát sinh hồ sơ (đến ngày 16/7/2022)",
            "Tỷ lệ hồ sơ xử lý trực tuyến (đến ngày 16/7/2022)",
        ],
        [
            "Kết quả",
            "So với tháng 5/2022",
            "So với chỉ tiêu (≥ 80%)",
            "Kết quả",
            "So với tháng 5/2022",
            "So với chỉ tiêu (≥ 50%)",
        ],
    ]


def test_the_app_users_table_prints_every_figure_of_so_02(june: Document) -> None:
    # Số 02's second column is "số người dùng tăng thêm"; the report writes the same figure as a change.
    seed = seed_table("Ứng dụng “Binh Phuoc Today”", "- Tổng đài 1022", lambda i, t: f"Tăng {t}" if i == 1 else t)

    assert len(seed) == 13
    assert report_table(table_headed(june, "Số người dùng")) == seed


def test_the_other_software_table_prints_every_figure_of_so_02(june: Document) -> None:
    seed = seed_table(
        "- Các phần mềm, ứng dụng khác",
        "Từ bảng trên cho thấy",
        lambda i, t: t if i == 0 else percent_as_reported(t),
    )

    assert len(seed) == 33
    assert report_table(table_headed(june, "Họp không giấy qua eCabinet")) == seed


def test_the_cnscd_table_prints_every_figure_total_and_change_of_so_02(june: Document) -> None:
    seed = seed_table("4. Tổ Công nghệ số cộng đồng", "5. Kết quả thanh toán")

    assert [label for label, _ in seed][-2:] == ["Tổng", "change"]
    assert report_table(table_headed(june, "Số lượng tổ cấp xã")) == seed


def test_the_payments_table_prints_every_unit_subtotal_and_total_of_so_02(june: Document) -> None:
    seed = seed_table("5. Kết quả thanh toán thuế", "6. Chứng thực điện tử", lambda _i, t: amount_as_reported(t))

    assert [label for label, _ in seed].count("Tổng") == 1 and len(seed) == 42
    assert report_table(table_headed(june, "Thanh toán phí, lệ phí trực tuyến")) == seed


def test_the_e_authentication_table_prints_the_figures_and_changes_of_so_02(june: Document) -> None:
    seed = seed_table("6. Chứng thực điện tử", "7. An toàn thông tin")

    assert (
        report_table(table_headed(june, "Số lượng hồ sơ"))
        == seed
        == [
            ("1", ["152", "260", "12.920", "72", "385", "13.789"]),
            ("change", ["Giảm 149", "Giảm 35", "Tăng 3.579", "Tăng 27", "Tăng 138", "Tăng 3.560"]),
        ]
    )


def test_the_security_table_prints_every_row_and_the_total_of_so_02(june: Document) -> None:
    seed = seed_table("7. An toàn thông tin", CLOSING)

    assert len(seed) == 37
    assert report_table(table_headed(june, "Số lượng máy tính")) == seed


def test_the_payment_amounts_are_written_with_dots(june: Document) -> None:
    grid = report_table(table_headed(june, "Thanh toán phí, lệ phí trực tuyến"))

    assert grid[0] == ("I", ["190", "130.970.001", "", "", "59", "35.581.000", "", ""])
    assert grid[-1] == (
        "Tổng",
        ["489", "155.780.001", "30.437", "196.861.354.364", "945", "165.633.010", "10.538", "117.510.588.301"],
    )


# --- findings -----------------------------------------------------------------------------------------------


def test_the_dvc_findings_name_the_units_below_target_in_table_order(june: Document) -> None:
    # Số 02's table has no row of the two departments that Số 01's had: the dataset still expects them.
    assert blocks_after(june, table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ")) == [
        "Số liệu của 27/29 đơn vị đã báo cáo; chưa có số liệu của: Sở Tài chính, Sở Ngoại vụ.",
        "Nhận xét:",
        "- Toàn tỉnh, tỷ lệ DVCTT phát sinh hồ sơ trực tuyến tăng từ 91% (đến ngày 31/5/2022) "
        "lên 97,87% (đến ngày 16/7/2022).",
        "- Diễn biến tỷ lệ DVCTT phát sinh hồ sơ trực tuyến toàn tỉnh trong kỳ: 91% (đến ngày 31/5/2022), "
        "94,5% (đến ngày 16/6/2022), 95,57% (đến ngày 22/6/2022), 98,1% (đến ngày 01/7/2022), "
        "98,56% (đến ngày 08/7/2022), 97,87% (đến ngày 15/7/2022); mốc cuối giảm 0,69% so với mốc trước (08/7/2022).",
        "- 06/27 đơn vị đã báo cáo chưa đạt chỉ tiêu tỷ lệ DVCTT phát sinh hồ sơ trực tuyến (≥ 80%), cần tập trung "
        "rà soát, khắc phục: Đồng Phú (77,3%), Chơn Thành (72,2%), Hớn Quản (66,7%), Bù Đốp (58,3%), "
        "Bù Gia Mập (75%), Lộc Ninh (71,4%); mới có 27/29 đơn vị đã báo cáo.",
        # from the period's first figure (Số 01's of 31/5), as Số 02 says it; the table compares with Số 01's 16/6
        "- Toàn tỉnh, tỷ lệ hồ sơ xử lý trực tuyến tăng từ 80,47% (đến ngày 31/5/2022) "
        "lên 90,18% (đến ngày 16/7/2022).",
        "- 06/27 đơn vị đã báo cáo chưa đạt chỉ tiêu tỷ lệ hồ sơ xử lý trực tuyến (≥ 50%), cần tập trung rà soát, "
        "khắc phục: Đồng Phú (25,2%), Hớn Quản (47,1%), Phú Riềng (14,9%), Bù Gia Mập (26,7%), Lộc Ninh (33,3%), "
        "Bù Đăng (37,8%); mới có 27/29 đơn vị đã báo cáo.",
    ]


def test_the_app_users_finding_names_the_top_three_without_the_unknown_bucket(june: Document) -> None:
    assert blocks_after(june, table_headed(june, "Số người dùng")) == [
        "Nhận xét:",
        "- 03 đơn vị có số người sử dụng ứng dụng Bình Phước Today cao nhất: "
        "Đồng Xoài (2.140), Lộc Ninh (1.125), Chơn Thành (1.063).",
    ]


def test_the_first_round_has_no_change_columns_and_no_change_rows(may: Document) -> None:
    headers = [c.text for t in may.tables() for row in t.header for c in row]
    dvc = table_headed(may, "Tỷ lệ DVCTT phát sinh hồ sơ")

    assert [h for h in headers if h.startswith(("So với tháng", "Kỳ trước", "Tỷ lệ thay đổi"))] == []
    assert [row.style for t in may.tables() for row in t.body if row.style == "change"] == []
    assert [c.text for c in dvc.header[1]] == [
        "Kết quả",
        "So với chỉ tiêu (≥ 80%)",
        "Kết quả",
        "So với chỉ tiêu (≥ 50%)",
    ]
    assert dvc.body[-1].style == "total" and [c.text for c in dvc.body[-1].cells] == [
        "Tổng",
        "94,5%",
        "Đạt",
        "90,18%",
        "Đạt",
    ]


def test_the_document_carries_the_number_and_date_of_so_02(june: Document) -> None:
    assert (june.number, june.issued_on.isoformat(), june.subtitle) == (
        "02/BC-STTTT",
        "2022-07-20",
        "Số liệu chuyển đổi số tháng 6/2022",
    )
    assert [b.text for b in june.blocks if isinstance(b, Heading)] == SECTION_HEADINGS


# --- the DOCX, read back ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def june_docx(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> docx.document.Document:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        paths = generate("2022-06", ["docx"], tmp_path_factory.mktemp("docx"))
    assert [p.name for p in paths] == ["bao-cao-2022-06.docx"]
    return docx.Document(str(paths[0]))


def docx_table_headed(doc: docx.document.Document, heading: str) -> DocxTable:
    found = [t for t in doc.tables if any(c.text.startswith(heading) for c in t.rows[0].cells)]
    assert len(found) == 1
    return found[0]


def test_the_docx_opens_with_the_bulletin_s_cover_as_the_monthly_outline_says(
    june_docx: docx.document.Document,
) -> None:
    cover = [p.text for p in june_docx.paragraphs[: [p.text for p in june_docx.paragraphs].index("MỤC LỤC")]]

    assert [text for text in cover if text] == [
        "UBND TỈNH BÌNH PHƯỚC",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "BÁO CÁO CHUYÊN ĐỀ",
        "Tháng 6/2022",
        "Tài liệu tham khảo phục vụ Ban Chỉ đạo về chuyển đổi số tỉnh",
        "Số: 02/BC-STTTT",
        "Ngày 20/7/2022",
        "LƯU HÀNH NỘI BỘ",
        "Sở Thông tin và Truyền thông (Cơ quan Thường trực Ban Chỉ đạo về chuyển đổi số tỉnh) tổng hợp số liệu "
        "chuyển đổi số tháng 6/2022 của các cơ quan, đơn vị, đối chiếu với chỉ tiêu được giao và với kỳ báo cáo "
        "trước như sau.",  # the opening, on the cover as the seeds print it
    ]


def test_the_administrative_layout_gives_the_number_place_and_date_in_the_masthead(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        path = generate("2022-06", ["docx"], tmp_path, layout="administrative")[0]
    written = docx.Document(str(path))
    masthead = written.tables[0]

    assert [c.text for c in masthead.rows[1].cells] == ["Số: 02/BC-STTTT", "Bình Phước, ngày 20 tháng 7 năm 2022"]
    assert "MỤC LỤC" not in [p.text for p in written.paragraphs]
    headings = [p.text for p in written.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert headings == SECTION_HEADINGS  # the same content in the other layout


def test_the_docx_has_the_section_headings_in_order(june_docx: docx.document.Document) -> None:
    headings = [p.text for p in june_docx.paragraphs if p.style is not None and p.style.name.startswith("Heading")]

    assert headings == SECTION_HEADINGS


def test_the_docx_dvc_table_reads_back_as_the_document_s_table(
    june: Document, june_docx: docx.document.Document
) -> None:
    table = table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ")
    written = docx_table_headed(june_docx, "Tỷ lệ DVCTT phát sinh hồ sơ")

    expected = spread([*table.header, *(row.cells for row in table.body)], table.column_count)
    assert [[c.text for c in row.cells] for row in written.rows] == expected
    assert expected[-1] == ["Tổng", "Tổng", "97,87%", "Tăng 3,37%", "Đạt", "90,18%", "Bằng", "Đạt"]


def test_the_docx_findings_follow_their_table(june: Document, june_docx: docx.document.Document) -> None:
    written = docx_table_headed(june_docx, "Tỷ lệ DVCTT phát sinh hồ sơ")
    content = list(june_docx.iter_inner_content())
    index = next(i for i, block in enumerate(content) if isinstance(block, DocxTable) and block._tbl is written._tbl)
    after = []
    for block in content[index + 1 :]:
        if not isinstance(block, DocxParagraph) or (block.style is not None and block.style.name.startswith("Heading")):
            break
        after.append(block.text)

    assert after == blocks_after(june, table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ"))


def test_the_docx_ends_with_the_closing_line(june_docx: docx.document.Document) -> None:
    body = [p.text for p in june_docx.paragraphs if p.text]

    assert body[-1] == CLOSING


# --- the HTML -----------------------------------------------------------------------------------------------


class GridTables(HTMLParser):
    """Every `<table class="grid …">` as rows of (text, colspan, rowspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.inside = False
        self.cell: list[str] | None = None
        self.spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and "grid" in (found.get("class") or "").split():
            self.inside = True
            self.tables.append([])
        elif self.inside and tag == "tr":
            self.tables[-1].append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
            self.spans = (int(found.get("colspan") or 1), int(found.get("rowspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(("".join(self.cell).strip(), *self.spans))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_the_html_holds_the_same_tables_as_the_document(june: Document, tmp_path: Path) -> None:
    [path] = generate("2022-06", ["html"], tmp_path)
    html = path.read_text(encoding="utf-8")
    parser = GridTables()
    parser.feed(html)

    assert parser.tables == [
        [[(c.text, c.colspan, c.rowspan) for c in row] for row in [*t.header, *(r.cells for r in t.body)]]
        for t in june.tables()
    ]
    assert "Số: 02/BC-STTTT<br>Ngày 20/7/2022" in html  # the bulletin's cover, as the monthly outline says
    [administrative] = generate("2022-06", ["html"], tmp_path / "administrative", layout="administrative")
    assert "Bình Phước, ngày 20 tháng 7 năm 2022" in administrative.read_text(encoding="utf-8")
