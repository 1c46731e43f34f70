"""Chart definitions (Altair specs from plain data), their SVG and PNG drawings, and the report's figure."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import docx
import pytest

from dxmonitor.catalogue.models import Round
from dxmonitor.charts.data import by_unit_chart, unit_bars
from dxmonitor.charts.render import png, svg
from dxmonitor.charts.specs import Bar, Point, Target, indicator_by_unit, trend
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.reports.generate import build_document, round_context
from dxmonitor.reports.model import Figure, Paragraph, Table
from dxmonitor.reports.render_docx import render_docx
from dxmonitor.reports.render_html import render_html

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BARS = [
    Bar("Đồng Xoài", 82.4, "82,4%", "Đạt"),
    Bar("Đồng Phú", 77.3, "77,3%", "Không đạt"),
    Bar("Bình Long", 80, "80%", "Đạt"),
]
POINTS = [
    Point("tháng 5/2022", 0, "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến", 94.5, "94,5%"),
    Point("tháng 6/2022", 1, "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến", 97.87, "97,87%"),
]


def layers(chart: alt.TopLevelMixin) -> dict[str, dict]:
    return {layer["name"]: layer for layer in chart.to_dict()["layer"]}


def test_the_bar_chart_has_a_bar_per_unit_coloured_by_verdict_and_the_target_as_a_rule() -> None:
    chart = indicator_by_unit(BARS, title="Tỷ lệ DVCTT", target=Target(80, "Chỉ tiêu ≥ 80%"), percent=True)
    spec = layers(chart)

    assert list(spec) == ["bars", "bar_labels", "target", "target_label"]
    assert spec["bars"]["data"]["values"] == [
        {"unit": "Đồng Xoài", "value": 82.4, "text": "82,4%", "verdict": "Đạt"},
        {"unit": "Đồng Phú", "value": 77.3, "text": "77,3%", "verdict": "Không đạt"},
        {"unit": "Bình Long", "value": 80, "text": "80%", "verdict": "Đạt"},
    ]
    encoding = spec["bars"]["encoding"]
    assert (encoding["y"]["field"], encoding["y"]["sort"], encoding["x"]["field"]) == ("unit", None, "value")
    assert encoding["x"]["scale"]["domain"] == [0, 100]
    assert encoding["color"]["scale"] == {"domain": ["Đạt", "Không đạt"], "range": ["#1a7f37", "#c62828"]}
    assert spec["target"]["mark"]["type"] == "rule"
    assert spec["target"]["data"]["values"] == [{"value": 80, "text": "Chỉ tiêu ≥ 80%"}]
    assert spec["target"]["encoding"] == {"x": {"field": "value", "type": "quantitative"}}
    assert spec["bar_labels"]["encoding"]["text"] == {"field": "text", "type": "nominal"}


def test_a_bar_chart_without_target_or_verdicts_has_plain_bars_and_no_rule() -> None:
    chart = indicator_by_unit([Bar("Đồng Xoài", 2140, "2.140"), Bar("Lộc Ninh", 1125, "1.125")], title="Người dùng")
    spec = layers(chart)

    assert list(spec) == ["bars", "bar_labels"]
    assert spec["bars"]["encoding"]["color"] == {"value": "#0b4f9c"}
    assert spec["bars"]["encoding"]["x"]["scale"]["domain"] == [0, pytest.approx(2140 * 1.15)]


def test_the_trend_puts_rounds_in_order_with_one_line_per_series() -> None:
    chart = trend(list(reversed(POINTS)), title="Xu hướng", target=Target(80, "Chỉ tiêu ≥ 80%"), percent=True)
    spec = layers(chart)

    assert list(spec) == ["lines", "point_labels", "target", "target_label"]
    assert spec["lines"]["encoding"]["x"]["sort"] == ["tháng 5/2022", "tháng 6/2022"]
    assert spec["lines"]["data"]["values"][0] == {
        "round": "tháng 6/2022",
        "order": 1,
        "series": "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "value": 97.87,
        "text": "97,87%",
    }
    assert spec["target"]["encoding"] == {"y": {"field": "value", "type": "quantitative"}}


def test_several_series_share_a_legend_and_drop_the_point_labels() -> None:
    other = [Point(p.round, p.order, "Tỷ lệ hồ sơ xử lý trực tuyến", 90.18, "90,18%") for p in POINTS]
    spec = layers(trend(POINTS + other, title="Xu hướng", percent=True))

    assert list(spec) == ["lines"]
    assert spec["lines"]["encoding"]["color"]["scale"]["domain"] == [
        "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến",
        "Tỷ lệ hồ sơ xử lý trực tuyến",
    ]


def test_the_charts_carry_their_data_inline_and_nothing_to_fetch() -> None:
    for chart in (indicator_by_unit(BARS, title="a", target=Target(80, "b")), trend(POINTS, title="c")):
        spec = json.dumps(chart.to_dict())
        assert '"url"' not in spec and '"values"' in spec


def test_svg_drawing_gives_an_svg_with_vietnamese_numbers() -> None:
    drawing = svg(indicator_by_unit([Bar("Đồng Xoài", 2140, "2.140")], title="Người dùng ứng dụng"))

    assert drawing.lstrip().startswith("<svg") and drawing.rstrip().endswith("</svg>")
    assert "Người dùng ứng dụng" in drawing and "Đồng Xoài" in drawing
    assert "2.140" in drawing and ">2.000<" in drawing  # the bar's label and an axis tick, Vietnamese style


def test_png_drawing_gives_a_png_image() -> None:
    image = png(trend(POINTS, title="Xu hướng", target=Target(80, "Chỉ tiêu ≥ 80%"), percent=True))

    assert image.startswith(PNG_SIGNATURE) and len(image) > 5_000


def test_drawing_refuses_to_fetch_anything_from_the_network() -> None:
    remote = alt.Chart(alt.UrlData("https://example.com/figures.csv")).mark_bar().encode(x="value:Q")

    with pytest.raises(ValueError, match="not allowed"):
        svg(remote)


# --- from a round's evaluated figures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def june(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> RoundContext:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        round_ = Round.objects.get(code="2022-06")
        return round_context(round_, round_.effective_baseline())


def test_the_bars_of_a_round_follow_the_dataset_order_with_short_names(june: RoundContext) -> None:
    units = [u for u in june.dataset("dvc_rates").units if u != june.whole]
    bars = unit_bars(june, "dvc.online_service_rate", units)

    assert len(bars) == 27  # Sở Tài chính and Sở Ngoại vụ sent nothing
    assert bars[16:19] == [
        Bar("Đồng Xoài", 82.4, "82,4%", "Đạt"),
        Bar("Đồng Phú", 77.3, "77,3%", "Không đạt"),
        Bar("Chơn Thành", 72.2, "72,2%", "Không đạt"),
    ]


def test_the_chart_of_a_round_draws_the_indicator_s_target(june: RoundContext) -> None:
    chart = by_unit_chart(june, "dvc.online_dossier_rate", ["BP.DONG_PHU", "BP.LOC_NINH"])
    assert chart is not None
    spec = layers(chart)

    assert spec["target"]["data"]["values"] == [{"value": 50.0, "text": "Chỉ tiêu ≥ 50%"}]
    assert [v["unit"] for v in spec["bars"]["data"]["values"]] == ["Đồng Phú", "Lộc Ninh"]
    assert by_unit_chart(june, "dvc.online_dossier_rate", ["BP.SO_TC"]) is None  # no figure, no chart


# --- the report's figure ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_draws_the_dvc_rate_by_unit_after_the_dvc_findings(tmp_path: Path) -> None:
    doc = build_document("2022-06")
    index, figure = next((i, b) for i, b in enumerate(doc.blocks) if isinstance(b, Figure))

    assert figure.png.startswith(PNG_SIGNATURE)
    assert figure.caption == "Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến theo đơn vị (đến ngày 16/7/2022)"
    before = doc.blocks[index - 1]
    assert isinstance(before, Paragraph)
    assert before.text.startswith("- 06/27 đơn vị đã báo cáo chưa đạt chỉ tiêu tỷ lệ hồ sơ")
    assert isinstance(doc.blocks[index - 8], Table)  # the DVC table, its missing units, "Nhận xét:", five findings
    assert sum(isinstance(b, Figure) for b in doc.blocks) == 1

    written = docx.Document(str(render_docx(doc, tmp_path / "report.docx")))
    assert len(written.inline_shapes) == 1
    assert round(written.inline_shapes[0].width.mm) == 160
    html = render_html(doc, tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,iVBORw0KGgo') == 1
    assert "<figcaption>Biểu đồ: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến theo đơn vị" in html
