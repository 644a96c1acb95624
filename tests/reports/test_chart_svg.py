"""The charts' SVG draws under the site's Content-Security-Policy (no inline style)."""

from __future__ import annotations

import re

from reports.charts import bar_chart


def _chart(**kwargs):
    return bar_chart(
        labels=["Region Stockholm", "Region Uppsala"],
        values=[59, None],
        caption="Andel",
        chart_id="c1",
        **kwargs,
    )


def test_the_svg_has_no_inline_style_attribute_or_element():
    for chart in (_chart(), _chart(unit="st", maximum=None)):
        assert " style=" not in chart.svg
        assert "<style" not in chart.svg


def test_the_styles_become_presentation_attributes():
    svg = _chart().svg

    assert re.search(r'<path d="[^"]*"\s+clip-path="[^"]*" fill="#1f4e79"', svg)
    root = svg[: svg.index(">")]
    assert 'stroke-linejoin="round"' in root and 'stroke-linecap="butt"' in root
    text = re.search(r"<text [^>]*>", svg).group(0)
    assert "font-family=\"'DejaVu Sans'" in text
    assert 'font-size="' in text and 'text-anchor="' in text
