"""Turn a chart into SVG (pages) or PNG (reports) with vl-convert: no browser, no CDN, no network."""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import vl_convert

# d3-format has no Vietnamese locale: axis numbers as the rest of dxmonitor writes them (1.767 · 92,5).
VI_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
PNG_SCALE = 2.0  # twice the screen size: sharp when printed at about 160 mm wide


def spec_of(chart: alt.TopLevelMixin) -> str:
    """The chart's Vega-Lite spec as canonical JSON (the cache key of its drawings). Not validated against the
    Vega-Lite schema on every call (a sixth of a dashboard's time): the charts are ours, and the tests draw each."""
    return json.dumps(chart.to_dict(validate=False), sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=256)
def _svg(spec: str) -> str:
    return str(vl_convert.vegalite_to_svg(spec, format_locale=VI_NUMBERS, allowed_base_urls=[]))


@lru_cache(maxsize=64)
def _png(spec: str, scale: float) -> bytes:
    return bytes(vl_convert.vegalite_to_png(spec, scale=scale, format_locale=VI_NUMBERS, allowed_base_urls=[]))


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document, for inline use in a page."""
    return _svg(spec_of(chart))


def png(chart: alt.TopLevelMixin, scale: float = PNG_SCALE) -> bytes:
    """The chart as PNG bytes, for a report's figure."""
    return _png(spec_of(chart), scale)
