"""PDF documents: Django templates rendered by WeasyPrint (A4, Swedish, fonts embedded).

The engine of the PDF documents (reports.documents): rendering, and what they all print
the same way (Swedish dates, numbered figures, tables split into parts, the publisher's
imprint). Every PDF is tagged PDF/UA-1: a structure tree from the HTML (headings, tables
with their header cells, figures with their text alternatives), the language, the title.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports.charts import FONT_DIR, Chart
from surveys.deadlines import swedish_date
from surveys.models import Question, Questionnaire

TEMPLATES = "reports/pdf/"
NO_ANSWER = "inget svar"
# The accessible PDF standard every document follows (ISO 14289-1).
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Imprint:
    """Who publishes a document and when: the foot of every page and the metadata.

    A publication (appendix, shares, region profile, blank questionnaire) gives its
    publication date and article number; a receipt, one organisation's record of its own
    answers, gives only the day it was made.
    """

    agency: str
    date: datetime.date
    article_number: str = ""
    published: bool = True

    @property
    def parts(self) -> list[str]:
        when = "Publicerad" if self.published else "Skapad"
        parts = [self.agency, f"{when} {swedish_date(self.date)}"]
        if self.article_number:
            parts.append(f"Artikelnummer {self.article_number}")
        return parts

    @property
    def line(self) -> str:
        """ "Socialstyrelsen · Publicerad 12 juni 2025 · Artikelnummer 2025-6-12"."""
        return " · ".join(self.parts)


def publication_imprint() -> Imprint:
    """The imprint of a published document, from the settings (AGENCY_NAME,
    PUBLICATION_DATE or today, ARTICLE_NUMBER)."""
    return Imprint(
        agency=settings.AGENCY_NAME,
        date=settings.PUBLICATION_DATE or timezone.localdate(),
        article_number=settings.ARTICLE_NUMBER,
    )


def record_imprint() -> Imprint:
    """The imprint of a record made for one organisation (a receipt): the agency and the
    day it was made, no publication date or article number."""
    return Imprint(
        agency=settings.AGENCY_NAME, date=timezone.localdate(), published=False
    )


def base_context() -> dict[str, Any]:
    """What reports/pdf/base.html needs of every document: the fonts, the time it is
    made, the imprint (a document may give its own)."""
    now = timezone.localtime()
    return {
        "font_dir": FONT_DIR.as_uri(),
        "generated_at": now,
        # The PDF's creation date (W3C form, as WeasyPrint reads it).
        "created": now.replace(microsecond=0).isoformat(),
        "imprint": publication_imprint(),
    }


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The document's HTML, as WeasyPrint gets it (tests and the benchmark read it too)."""
    return render_to_string(template_name, {**base_context(), **context})


def _publisher(document, pdf) -> None:
    """The document information's /Publisher, from <meta name="publisher"> (WeasyPrint
    writes the author, title, subject and keywords itself)."""
    import pydyf

    publisher = document.metadata.custom.get("publisher")
    if publisher:
        pdf.info["Publisher"] = pydyf.String(publisher)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint's rendering of finished HTML as a tagged PDF/UA-1 document (no network:
    fonts are local files).

    The HTML gives what the standard asks for: <html lang>, <title> (shown as the
    window's title), headings h1–h3 in order (also the bookmarks), tables with <th scope>,
    charts as SVG with a <title> (a Figure with its alternative text).
    """
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
        pdf_variant=PDF_VARIANT, finisher=_publisher
    )


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
