"""The report's charts: declared in the outline (`kind: chart`), drawn with the web pages' definitions, each a PNG
figure with its Vietnamese caption in the DOCX and the HTML; a chart with nothing to draw is left out."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import altair as alt
import docx
import pytest

from dxmonitor.catalogue.current import get_catalogue
from dxmonitor.catalogue.loading import Catalogue, CatalogueError
from dxmonitor.catalogue.rounds import round_days
from dxmonitor.catalogue.tree import units_on
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.intake.queries import round_facts
from dxmonitor.reports import charts
from dxmonitor.reports.charts import chart_figure, printed_width
from dxmonitor.reports.generate import build_document, round_and_baseline, round_context
from dxmonitor.reports.model import Document, Figure, Heading, Table
from dxmonitor.reports.outline import OUTLINES_DIR, ChartBlock, load_outline, load_outlines
from dxmonitor.reports.render_docx import render_docx
from dxmonitor.reports.render_html import render_html

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JUNE_CHARTS = [
    (
        "2. Dịch vụ công trực tuyến",
        "Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến của Tỉnh Bình Phước qua các ngày có số liệu "
        "(từ 31/5/2022 đến 16/7/2022)",
    ),
    ("2. Dịch vụ công trực tuyến", "Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến theo đơn vị (đến ngày 16/7/2022)"),
    ("2. Dịch vụ công trực tuyến", "Biểu đồ: Tỷ lệ hồ sơ xử lý trực tuyến theo đơn vị (đến ngày 16/7/2022)"),
    (
        '3. Ứng dụng "Binh Phuoc Today" và Tổng đài 1022',
        "Biểu đồ: Số người sử dụng ứng dụng Bình Phước Today theo đơn vị (đến ngày 19/7/2022)",
    ),
    ("5. Tổ công nghệ số cộng đồng", "Biểu đồ: Tỷ lệ xã có Tổ công nghệ số cộng đồng theo đơn vị (đến ngày 16/7/2022)"),
    (
        "8. An toàn thông tin",
        "Biểu đồ: Số điểm yếu an toàn thông tin theo mức độ nghiêm trọng (từ 01/7/2022 đến 20/7/2022)",
    ),
]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The Vega-Lite spec of every chart the report draws, in order, as handed to the PNG drawing."""
    specs: list[dict[str, Any]] = []
    real_png = charts.png

    def recording(chart: alt.TopLevelMixin) -> bytes:
        specs.append(chart.to_dict())
        return real_png(chart)

    monkeypatch.setattr(charts, "png", recording)
    return specs


@pytest.fixture
def june(db: None, drawn: list[dict[str, Any]]) -> Document:
    return build_document("2022-06")


def figures(doc: Document) -> list[tuple[str, Figure]]:
    """Each figure under the heading of its statistics section."""
    found, heading = [], ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Figure):
            found.append((heading, block))
    return found


def table_headed(doc: Document, words: str) -> Table:
    return next(t for t in doc.tables() if any(words in c.text for c in t.header[0]))


def values(spec: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    """The data a layer of the chart draws (Altair keeps data shared by every layer once, at the top)."""
    drawn = next(x for x in spec["layer"] if x["name"] == layer)
    return list((drawn.get("data") or spec["data"])["values"])


def png_size(image: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", image[16:24])
    return int(width), int(height)


def test_the_june_report_has_each_declared_chart_with_its_caption_in_its_section(june: Document) -> None:
    assert [(heading, f.caption) for heading, f in figures(june)] == JUNE_CHARTS


def test_each_chart_is_a_real_png_of_a_printable_size(june: Document) -> None:
    for _, figure in figures(june):
        width, height = png_size(figure.png)

        assert figure.png.startswith(PNG_SIGNATURE) and figure.media_type == "image/png"
        assert 900 <= width <= 1400, figure.caption  # 520 px of plot and the labels, drawn twice the screen size
        assert 150 <= height <= 1400, figure.caption
        assert figure.width_mm == 160.0  # none of June's charts is taller than a page at the text width


def test_the_dated_series_draws_the_province_s_readings_of_the_month_against_the_target(
    june: Document, drawn: list[dict[str, Any]]
) -> None:
    readings = [(v["day_text"], v["value"], v["text"]) for v in values(drawn[0], "line")]

    assert readings == [  # Số 02: 91,0% before 1/6 → 94,5% → 95,57% → 98,1% → 98,56% → 97,87%
        ("31/5", 91.0, "91%"),
        ("16/6", 94.5, "94,5%"),
        ("22/6", 95.57, "95,57%"),
        ("1/7", 98.1, "98,1%"),
        ("8/7", 98.56, "98,56%"),
        ("15/7", 97.87, "97,87%"),
        ("16/7", 97.87, "97,87%"),
    ]
    assert values(drawn[0], "target") == [{"value": 80.0, "text": "Chỉ tiêu ≥ 80%"}]


def test_the_bars_by_unit_are_the_figures_of_the_table_above_them(
    june: Document, drawn: list[dict[str, Any]], catalogue: Catalogue
) -> None:
    short = {u.name: u.short_name for u in units_on(catalogue, round_days("2022-06"))}
    dvc = [r.cells for r in table_headed(june, "Tỷ lệ DVCTT phát sinh hồ sơ").body if r.style == "data"]
    app = [r.cells for r in table_headed(june, "Số người dùng").body if r.style == "data"]

    assert [(v["unit"], v["text"]) for v in values(drawn[1], "bars")] == [(short[c[1].text], c[2].text) for c in dvc]
    assert [v["verdict"] for v in values(drawn[1], "bars")] == [c[4].text for c in dvc]
    assert values(drawn[1], "target") == [{"value": 80.0, "text": "Chỉ tiêu ≥ 80%"}]
    assert values(drawn[2], "target") == [{"value": 50.0, "text": "Chỉ tiêu ≥ 50%"}]
    assert [(v["unit"], v["text"]) for v in values(drawn[3], "bars")] == [(short[c[1].text], c[2].text) for c in app]
    assert len(app) == 12 and "target" not in [x["name"] for x in drawn[3]["layer"]]  # app users have no target


def test_the_vulnerabilities_by_severity_are_the_security_table_s_totals(
    june: Document, drawn: list[dict[str, Any]]
) -> None:
    total = next(r for r in table_headed(june, "Số lượng máy tính").body if r.style == "total")

    assert [(v["unit"], v["text"]) for v in values(drawn[5], "bars")] == [
        ("Nguy hiểm", "202"),
        ("Cao", "288"),
        ("Trung bình", "976"),
        ("Thấp", "320"),
    ]
    assert [v["text"] for v in values(drawn[5], "bars")] == [c.text for c in total.cells[3:7]]


def test_the_docx_and_the_html_carry_an_image_per_chart(june: Document, tmp_path: Path) -> None:
    written = docx.Document(str(render_docx(june, tmp_path / "report.docx")))
    html = render_html(june, tmp_path / "report.html").read_text(encoding="utf-8")

    assert len(written.inline_shapes) == len(JUNE_CHARTS)
    assert [round(shape.width.mm) for shape in written.inline_shapes] == [160] * len(JUNE_CHARTS)
    assert html.count('<img src="data:image/png;base64,iVBORw0KGgo') == len(JUNE_CHARTS)
    for _, caption in JUNE_CHARTS:
        assert f"<figcaption>{caption}</figcaption>" in html


def test_a_chart_with_nothing_to_draw_is_left_out(db: None) -> None:
    ctx = round_context(*round_and_baseline("2022-06"))
    no_figure = ChartBlock(
        kind="chart", draws="by_unit", dataset="dossier_indicators", indicator="dvc.digitization_rate"
    )
    one_reading = ChartBlock(
        kind="chart", draws="dated_series", dataset="dvc_rates", indicator="dvc.online_dossier_rate"
    )

    assert chart_figure(no_figure, ctx) is None
    assert chart_figure(one_reading, ctx) is None


def test_each_round_draws_its_own_readings(db: None, drawn: list[dict[str, Any]]) -> None:
    captions = [f.caption for _, f in figures(build_document("2022-05"))]

    assert captions[:2] == [
        "Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến của Tỉnh Bình Phước qua các ngày có số liệu "
        "(từ 31/5/2022 đến 16/6/2022)",
        "Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến theo đơn vị (đến ngày 16/6/2022)",
    ]
    assert [(v["day_text"], v["text"]) for v in values(drawn[0], "line")] == [("31/5", "91%"), ("16/6", "94,5%")]


def test_totals_by_category_of_fewer_units_than_expected_say_how_many_reported(db: None) -> None:
    june, may = round_and_baseline("2022-06")
    facts = round_facts(june)
    first = next(f.unit for f in facts.facts if f.indicator == "security.vulnerabilities")
    facts.facts = [f for f in facts.facts if not (f.unit == first and f.indicator.startswith("security."))]
    ctx = RoundContext.build(get_catalogue(), facts, round_facts(may) if may else None)
    block = ChartBlock(
        kind="chart", draws="by_category", dataset="security_scan", indicator="security.vulnerabilities", caption="Lỗ"
    )
    figure = chart_figure(block, ctx)

    assert figure is not None
    assert figure.caption == "Biểu đồ: Lỗ, cộng từ 35/36 đơn vị đã báo cáo (từ 01/7/2022 đến 20/7/2022)"


def test_a_tall_chart_is_printed_narrower_to_fit_a_page() -> None:
    header = PNG_SIGNATURE + struct.pack(">I4sII", 13, b"IHDR", 1000, 4000)

    assert printed_width(header) == 52.5  # 210 mm high at most
    assert printed_width(PNG_SIGNATURE + struct.pack(">I4sII", 13, b"IHDR", 1000, 500)) == 160.0


@pytest.mark.parametrize("name", ["monthly", "dong_nai_2025"])
def test_every_chart_of_an_outline_draws_an_indicator_of_its_dataset(name: str, catalogue: Catalogue) -> None:
    blocks = [b for s in load_outline(name).sections for b in s.blocks if isinstance(b, ChartBlock)]
    for block in blocks:
        assert block.indicator in catalogue.datasets[block.dataset].indicators, block
        if block.draws == "by_category":
            assert catalogue.indicators[block.indicator].disaggregation, block
    targets = {b.indicator for b in blocks if b.draws == "by_unit" and catalogue.indicators[b.indicator].targets}
    assert targets == {"dvc.online_service_rate", "dvc.online_dossier_rate", "cnscd.commune_team_rate"}


def test_an_outline_with_a_chart_of_an_unknown_kind_is_refused_naming_where(tmp_path: Path) -> None:
    text = (OUTLINES_DIR / "monthly.yaml").read_text(encoding="utf-8")
    (tmp_path / "monthly.yaml").write_text(text.replace("draws: by_category", "draws: pie", 1), encoding="utf-8")
    (tmp_path / "later.yaml").write_text(
        (OUTLINES_DIR / "dong_nai_2025.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )

    with pytest.raises(CatalogueError) as refused:
        load_outlines(tmp_path)
    [problem] = refused.value.problems
    block = text[: text.index("- kind: chart\n        draws: by_category")].count("\n") + 1
    assert (problem.location.file, problem.location.row) == (str(tmp_path / "monthly.yaml"), block)
    assert "'by_unit', 'by_category' or 'dated_series'" in problem.message_vi
