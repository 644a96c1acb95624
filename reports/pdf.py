"""PDF documents: Django templates rendered by WeasyPrint (A4, Swedish, fonts embedded).

The engine of the PDF documents (reports.documents): rendering, and what they all print
the same way (Swedish dates, numbered figures, tables split into parts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports.charts import FONT_DIR, Chart
from surveys.deadlines import swedish_date
from surveys.models import Question, Questionnaire

TEMPLATES = "reports/pdf/"
NO_ANSWER = "inget svar"


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The document's HTML, as WeasyPrint gets it (tests and the benchmark read it too)."""
    return render_to_string(
        template_name,
        {
            "font_dir": FONT_DIR.as_uri(),
            "generated_at": timezone.localtime(),
            **context,
        },
    )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's rendering of finished HTML (no network: fonts are local files)."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """A template of templates/reports/pdf/ as PDF bytes.

    The template extends reports/pdf/base.html, which sets the page (A4, margins, running
    title, "Sida X av Y"), the embedded DejaVu fonts and the table styles.
    """
    return html_to_pdf(render_html(template_name, context))


def render_document(template: str, context: dict[str, Any]) -> str:
    """The HTML of a document template of templates/reports/pdf/, in Swedish whatever
    language is active (the documents are published documents, not UI)."""
    with translation.override("sv"):
        return render_html(TEMPLATES + template, context)


def swedish_datetime(value) -> str:
    """A moment in Stockholm time: "14 mars 2025 kl. 10.23"."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return f"{swedish_date(local)} kl. {local:%H.%M}"


@dataclass
class Figure:
    """A chart as a PDF prints it: the SVG, a numbered caption and the values as text."""

    number: int
    chart: Chart

    @property
    def values_text(self) -> str:
        """The text alternative without the caption it repeats (the values)."""
        alt, caption = self.chart.alt, self.chart.caption
        if alt.startswith(caption):
            return alt[len(caption) :].lstrip(". ").strip()
        return alt


class Numbering:
    """Running numbers of the tables and figures of a document."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def figure(self, chart: Chart | None) -> Figure | None:
        if chart is None:
            return None
        self.figures += 1
        return Figure(self.figures, chart)


def chunks(items: Sequence, size: int) -> list[list]:
    """Split into nearly equal parts of at most `size` (7 → 4 + 3, not 6 + 1)."""
    if not items:
        return [[]]
    parts = math.ceil(len(items) / size)
    each = math.ceil(len(items) / parts)
    return [list(items[i : i + each]) for i in range(0, len(items), each)]


def questions_by_code(questionnaire: Questionnaire) -> dict[str, Question]:
    return {q.code: q for q in questionnaire.questions.order_by("position")}
