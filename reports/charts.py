"""Bar charts like the report's figures, as SVG for the web pages and the PDFs.

Drawn with matplotlib's object API (no pyplot state, safe in threads and workers); the text
stays text in the SVG (svg.fonttype "none"), so values are selectable, searchable and
extracted from PDFs. Each chart carries its text alternative.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from surveys.numbers import format_thousands

# The fonts matplotlib ships: the PDFs embed the same files, whatever the system has.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_FAMILY = "DejaVu Sans"
BAR_COLOUR = "#1f4e79"
# The earlier year's bars: lighter, still 3:1 against white (WCAG 1.4.11).
PREVIOUS_COLOUR = "#5b8ec2"
# Between thousands in a label, so that a number never breaks over two lines.
NO_BREAK = "\u00a0"
LABEL_WIDTH = 38
# A missing figure, as Swedish official statistics print it (reports.caveats).
MISSING = ".."
# The mean width of a character of the 8.5 pt labels, in inches (DejaVu Sans).
CHAR_INCHES = 0.066
_ID = re.compile(r'(id="|url\(#|xlink:href="#|href="#)([^")]+)')


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its caption and text alternative."""

    svg: str
    caption: str
    # The whole chart in words: what a screen reader reads and the PDF text holds.
    alt: str


def _percent(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:g} %".replace(".", ",")


def _prefixed_ids(svg: str, prefix: str) -> str:
    """Make the SVG's ids unique on a page that holds several charts."""
    return _ID.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\*\{([^}]*)\}</style>")


def _declarations_as_attributes(declarations: str) -> str:
    attributes = []
    for declaration in declarations.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        # Every property matplotlib writes (fill, stroke, font-size, text-anchor...)
        # is also a presentation attribute of the same name.
        if name:
            attributes.append(f' {name}="{value}"')
    return "".join(attributes)


def _presentation_attributes(svg: str) -> str:
    """matplotlib's inline styles as SVG presentation attributes.

    The site's Content-Security-Policy allows no inline style (style="" or <style>), so
    a browser would draw every bar and the background black. The attributes draw the
    same, in the browser and in WeasyPrint. The <style> rule for every element becomes
    attributes of the root <svg>, which its children inherit unless they set their own.
    """
    root_rule = _STYLE_ELEMENT.search(svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: _declarations_as_attributes(m.group(1)), svg)
    if root_rule:
        svg = svg.replace(
            "<svg ", "<svg" + _declarations_as_attributes(root_rule.group(1)) + " ", 1
        )
    return svg


def bar_chart(
    *,
    labels: Sequence[str],
    values: Sequence[float | int | None],
    caption: str,
    chart_id: str,
    unit: str = "%",
    maximum: float | None = 100,
    sort: bool = True,
    width_inches: float = 6.3,
    value_texts: Sequence[str] | None = None,
) -> Chart:
    """A horizontal bar chart: one bar per label, the value written on each bar.

    Sorted from the largest value down unless sort=False (missing values last). `unit` is
    written after each value ("%" gives "59 %"); `maximum` fixes the axis (100 for
    percentages; None to fit the data). `chart_id` must be unique on the page: the SVG's
    ids are prefixed with it. `value_texts` replace the values as written on the bars
    and in the text alternative ("19 av 21").
    """
    texts = (
        list(value_texts)
        if value_texts is not None
        else [_percent(v) if unit == "%" else _value(v, unit) for v in values]
    )
    triples = list(zip(labels, values, texts, strict=True))
    if sort:
        triples.sort(key=lambda p: (p[1] is None, -(p[1] or 0)))
    pairs = [(label, value) for label, value, _text in triples]
    shown = [text for _label, _value, text in triples]
    # The sign of a missing figure on a bar, in words for the text alternative.
    words = [
        f"{label}: {'uppgift saknas' if text == MISSING else text}"
        for label, _value, text in triples
    ]
    alt = f"{caption}. " + "; ".join(words) + "."
    height = 0.55 + 0.34 * max(len(pairs), 1)
    wrapped = [textwrap.fill(label, LABEL_WIDTH) for label, _ in pairs]
    # Labels of two lines need more room.
    height += 0.14 * sum(label.count("\n") for label in wrapped)
    figure = Figure(figsize=(width_inches, height))
    # Margins from the text's size rather than matplotlib's automatic layout, which took
    # a third of the drawing time (benchmark): labels on the left, values on the right.
    longest = max(
        (len(line) for label in wrapped for line in label.split("\n")), default=1
    )
    left = min(0.55, (0.15 + longest * CHAR_INCHES) / width_inches)
    bottom = (0.42 if unit == "%" else 0.08) / height
    top = 1 - 0.08 / height
    figure.subplots_adjust(
        left=left, right=1 - 0.75 / width_inches, bottom=bottom, top=top
    )
    axes = figure.add_subplot()
    numbers = [0 if value is None else value for _, value in pairs]
    positions = list(range(len(pairs)))[::-1]
    bars = axes.barh(positions, numbers, color=BAR_COLOUR, height=0.66)
    axes.set_yticks(positions, wrapped, fontsize=8.5)
    axes.bar_label(
        bars,
        labels=shown,
        padding=3,
        fontsize=8.5,
    )
    top = maximum if maximum is not None else max([*numbers, 1]) * 1.15
    axes.set_xlim(0, top)
    axes.tick_params(axis="x", labelsize=8)
    if unit != "%":
        # Counts are written on the bars; an axis of millions would only say "1e6".
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", length=0)
    return _finished(figure, chart_id=chart_id, caption=caption, alt=alt)


def _finished(figure: Figure, *, chart_id: str, caption: str, alt: str) -> Chart:
    """The figure as an accessible SVG: text kept as text, ids prefixed with chart_id,
    no inline styles, the text alternative as its title."""
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": chart_id,
            "font.family": FONT_FAMILY,
        }
    ):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = _prefixed_ids(svg, chart_id)
    svg = _presentation_attributes(svg)
    # Accessible name and description; width follows the container.
    title_id = f"{chart_id}-title"
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" class="chart" ',
        1,
    )
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f'<title id="{title_id}">{_escape(alt)}</title>'
        + svg[head_end:]
    )
    return Chart(svg=svg, caption=caption, alt=alt)


def comparison_chart(
    *,
    labels: Sequence[str],
    current: Sequence[float | int | None],
    previous: Sequence[float | int | None],
    years: tuple[int | str, int | str],
    caption: str,
    chart_id: str,
    unit: str = "%",
    maximum: float | None = 100,
    sort: bool = True,
    width_inches: float = 6.3,
) -> Chart:
    """A horizontal bar chart of two years: per label this year's bar and, below it,
    the earlier year's (lighter), each with its value; a legend names the years. A
    label without an earlier value has this year's bar alone.

    As the report draws a yes/no or single-choice question beside the year before
    (figures 14, 20 and 37). Sorted by this year's value unless sort=False. The text
    alternative gives both years' values per label ("Ja: 2024 90 %, 2023 76 %"); a
    missing value reads "–".
    """
    triples = list(zip(labels, current, previous, strict=True))
    if sort:
        triples.sort(key=lambda t: (t[1] is None, -(t[1] or 0)))
    this_year, earlier_year = (str(year) for year in years)

    def shown(value: float | int | None) -> str:
        return _percent(value) if unit == "%" else _value(value, unit)

    words = [
        f"{label}: {this_year} {shown(now)}, {earlier_year} {shown(before)}"
        for label, now, before in triples
    ]
    alt = f"{caption}. " + "; ".join(words) + "."
    wrapped = [textwrap.fill(label, LABEL_WIDTH) for label, _, _ in triples]
    # A label without an earlier figure gets this year's bar alone (a multiple choice
    # of 17 alternatives of which two were published stays a page high); the text
    # alternative says "–" for it.
    bar = 0.38
    centres: list[float] = []
    now_at: list[float] = []
    before_at: list[float] = []
    y = 0.0
    for _label, _now, before in triples:
        if before is None:
            slot = bar / 0.66 * 0.9
            centres.append(y - slot / 2)
            now_at.append(y - slot / 2)
        else:
            slot = 2 * bar + 0.24
            centres.append(y - slot / 2)
            now_at.append(y - 0.12 - bar / 2)
            before_at.append(y - 0.12 - 1.5 * bar)
        y -= slot
    # 0.62 inch per pair of bars, as tall as bar_chart's bars each.
    height = 0.85 + 0.62 * -y
    height += 0.14 * sum(label.count("\n") for label in wrapped)
    figure = Figure(figsize=(width_inches, height))
    longest = max(
        (len(line) for label in wrapped for line in label.split("\n")), default=1
    )
    left = min(0.55, (0.15 + longest * CHAR_INCHES) / width_inches)
    # Room for the legend above the bars and the axis below them.
    bottom = (0.42 if unit == "%" else 0.08) / height
    top = 1 - 0.36 / height
    figure.subplots_adjust(
        left=left, right=1 - 0.75 / width_inches, bottom=bottom, top=top
    )
    axes = figure.add_subplot()
    now_values = [0 if now is None else now for _, now, _ in triples]
    before_values = [before for _, _, before in triples if before is not None]
    now_bars = axes.barh(
        now_at, now_values, height=bar, color=BAR_COLOUR, label=this_year
    )
    before_bars = axes.barh(
        before_at,
        before_values,
        height=bar,
        color=PREVIOUS_COLOUR,
        label=earlier_year,
    )
    axes.set_yticks(centres, wrapped, fontsize=8.5)
    axes.set_ylim(y, 0)
    axes.bar_label(
        now_bars,
        labels=[shown(now) for _, now, _ in triples],
        padding=3,
        fontsize=8,
    )
    axes.bar_label(
        before_bars, labels=[shown(v) for v in before_values], padding=3, fontsize=8
    )
    top_value = (
        maximum if maximum is not None else max([*now_values, *before_values, 1]) * 1.15
    )
    axes.set_xlim(0, top_value)
    axes.tick_params(axis="x", labelsize=8)
    if unit != "%":
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=2,
        frameon=False,
        fontsize=8.5,
        borderaxespad=0.2,
    )
    return _finished(figure, chart_id=chart_id, caption=caption, alt=alt)


def _value(value: float | int | None, unit: str) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        number = format_thousands(int(value), separator=NO_BREAK)
    else:
        sign = "-" if value < 0 else ""
        whole, tenths = f"{abs(value):.1f}".split(".")
        number = f"{sign}{format_thousands(int(whole), separator=NO_BREAK)},{tenths}"
    return f"{number} {unit}".strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
