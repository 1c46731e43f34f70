"""Chart definitions (Altair specs from plain data), their SVG and PNG drawings, and the report's figure."""

from __future__ import annotations

import json

import altair as alt
import pytest

from dxmonitor.catalogue.models import Round
from dxmonitor.charts.data import by_category_chart, by_unit_chart, category_bars, dated_chart, dated_points, unit_bars
from dxmonitor.charts.render import png, svg
from dxmonitor.charts.specs import Bar, DatedPoint, Point, Target, by_category, dated_series, indicator_by_unit, trend
from dxmonitor.evaluation.context import RoundContext
from dxmonitor.reports.generate import round_context

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


def test_the_dated_series_steps_through_the_readings_in_day_order_against_the_target() -> None:
    points = [DatedPoint("2022-06-16", "16/6", 94.5, "94,5%"), DatedPoint("2022-05-31", "31/5", 91, "91%")]
    spec = layers(dated_series(points, title="", target=Target(80, "Chỉ tiêu ≥ 80%"), percent=True))

    assert list(spec) == ["line", "point_labels", "target", "target_label"]
    assert spec["line"]["data"]["values"] == [
        {"day": "2022-05-31", "day_text": "31/5", "value": 91, "text": "91%"},
        {"day": "2022-06-16", "day_text": "16/6", "value": 94.5, "text": "94,5%"},
    ]
    assert spec["line"]["encoding"]["x"]["sort"] == ["31/5", "16/6"]
    assert spec["line"]["encoding"]["y"]["scale"] == {"domainMax": 100, "nice": True, "zero": False}
    assert spec["target"]["encoding"] == {"y": {"field": "value", "type": "quantitative"}}


def test_the_bars_by_category_are_plain_bars_in_the_order_given() -> None:
    severities = [Bar("Nguy hiểm", 202, "202"), Bar("Cao", 288, "288")]
    chart = by_category(severities, title="")
    spec = layers(chart)

    assert list(spec) == ["bars", "bar_labels"]
    shared = chart.to_dict()["data"]["values"]  # both layers draw the same data: Altair keeps it once, at the top
    assert [(v["unit"], v["value"]) for v in shared] == [("Nguy hiểm", 202), ("Cao", 288)]
    assert spec["bars"]["encoding"]["color"] == {"value": "#0b4f9c"}


def test_the_charts_carry_their_data_inline_and_nothing_to_fetch() -> None:
    dated = [DatedPoint("2022-06-16", "16/6", 94.5, "94,5%")]
    charts = (indicator_by_unit(BARS, title="a", target=Target(80, "b")), trend(POINTS, title="c"))
    for chart in (*charts, dated_series(dated, title="d"), by_category(BARS, title="e")):
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


def test_the_province_s_dated_figures_of_a_round_are_its_readings_in_day_order(june: RoundContext) -> None:
    assert [(p.day_text, p.text) for p in dated_points(june, "dvc.online_service_rate")] == [
        ("31/5", "91%"),
        ("16/6", "94,5%"),
        ("22/6", "95,57%"),
        ("1/7", "98,1%"),
        ("8/7", "98,56%"),
        ("15/7", "97,87%"),
        ("16/7", "97,87%"),
    ]
    assert dated_chart(june, "dvc.online_dossier_rate") is None  # one reading is no series


def test_the_bars_by_category_are_the_province_s_totals_in_the_catalogue_s_order(june: RoundContext) -> None:
    units = june.dataset("security_scan").units
    bars = category_bars(june, "security.vulnerabilities", units)

    assert [(b.unit, b.text) for b in bars] == [
        ("Nguy hiểm", "202"),
        ("Cao", "288"),
        ("Trung bình", "976"),
        ("Thấp", "320"),
    ]
    assert by_category_chart(june, "security.vulnerabilities", ["BP.SO_TC"]) is None  # no figure, no chart
