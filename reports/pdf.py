"""PDF documents: Django templates rendered by WeasyPrint (A4, Swedish, fonts embedded)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from reports.charts import FONT_DIR


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
