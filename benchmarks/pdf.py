"""The PDF measurement: the appendix PDF against WeasyPrint alone on the same HTML.

On the 21 real regions with complete submitted answers (the appendix as published), one
aggregation run. Each measurement runs in a fresh process with WeasyPrint and the chart
module imported beforehand, so neither side pays for imports:
- appendix_pdf: reports.documents.appendix.appendix_pdf(run=...), what the export job does:
  read the stored results, draw the charts, render the template, WeasyPrint;
- weasyprint: reports.pdf.html_to_pdf of appendix_html(run=...), the HTML built before
  the clock starts: the least the same PDF can cost.
Both build the HTML once before the clock starts, as a worker that has made a document
before has its templates compiled and its chart fonts loaded.
"""

from __future__ import annotations

import io

from aggregation.models import AggregationRun
from aggregation.services import aggregation_run_execute
from benchmarks.aggregation import Timing, timed
from benchmarks.synthetic import populate, region_questionnaire

REGIONS = 21


def prepare() -> dict:
    """The 21 regions' answers and a complete run; the run's id and the PDF's pages."""
    from pypdf import PdfReader

    from reports.documents.appendix import appendix_pdf

    made = populate(organisations=REGIONS)
    run = AggregationRun.objects.create(
        questionnaire=region_questionnaire(), reason="benchmark"
    )
    run = aggregation_run_execute(run=run)
    if run.status != AggregationRun.Status.COMPLETE:
        raise RuntimeError(f"The aggregation run failed: {run.messages}")
    pages = len(PdfReader(io.BytesIO(appendix_pdf(run=run))).pages)
    return {"run": run.pk, "pages": pages, "organisations": made["organisations"]}


def measure(*, kind: str, run: int) -> Timing:
    import weasyprint  # noqa: F401  (imported before the clock starts, on both sides)

    import reports.charts  # noqa: F401
    from reports.documents.appendix import appendix_html, appendix_pdf
    from reports.pdf import html_to_pdf

    stored = AggregationRun.objects.select_related("questionnaire__cycle").get(pk=run)
    html = appendix_html(run=stored)
    if kind == "appendix_pdf":
        return timed(lambda: appendix_pdf(run=stored), len)
    if kind == "weasyprint":
        return timed(lambda: html_to_pdf(html), len)
    raise ValueError(f"unknown kind {kind!r}")
