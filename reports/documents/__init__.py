"""The documents the reports app makes: the registry, and how a document is built.

One registry for the export commands, the staff export page, the export jobs and the
PDF views: a document (reports.documents.base.Document) declares its formats and builds
each from a questionnaire (and, as it needs, a region, a response or the results). One
module per document; a new document is a module with a DOCUMENT, listed here. The
engines are reports.pdf, reports.spreadsheets and reports.charts.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.text import slugify

from aggregation.models import AggregationRun
from regions.models import Organisation
from reports.documents import (
    answers,
    appendix,
    area_free_text,
    codings,
    free_text,
    key_figures,
    questionnaire,
    receipt,
    region_profile,
    shares,
)
from reports.documents.base import Document, Source
from reports.formats import FORMATS, DocumentError, Progress
from surveys.models import Questionnaire, Response

# In the order the export page offers them.
DOCUMENTS: dict[str, Document] = {
    module.DOCUMENT.key: module.DOCUMENT
    for module in (
        appendix,
        shares,
        key_figures,
        answers,
        free_text,
        questionnaire,
        region_profile,
        receipt,
        area_free_text,
        codings,
    )
}


def document_filename(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    params: Mapping[str, object] | None = None,
) -> str:
    """E.g. "bilaga-region-2024.pdf", "andelar-kommun-2024.xlsx"."""
    spec = DOCUMENTS[document]
    if spec.namer is not None:
        stem = spec.namer(questionnaire, organisation, params or {})
        return f"{stem}.{FORMATS[fmt].extension}"
    parts = [spec.stem, questionnaire.key]
    parts.append(str(questionnaire.cycle.year))
    if organisation is not None:
        parts.append(slugify(organisation.name))
    return "-".join(parts) + "." + FORMATS[fmt].extension


def document_build(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    response: Response | None = None,
    run: AggregationRun | None = None,
    progress: Progress | None = None,
    params: Mapping[str, object] | None = None,
) -> bytes:
    """Build one document in one format; DocumentError if that combination is not made.

    A document built from results uses `run`, or else the questionnaire's fresh run
    (computed first when missing or stale).
    """
    from aggregation.services import aggregation_fresh_run

    spec = DOCUMENTS.get(document)
    if spec is None:
        raise DocumentError(f"Dokumentet ”{document}” finns inte.")
    builder = spec.builders.get(fmt)
    if builder is None:
        raise DocumentError(
            f"{spec.label} finns inte som ”{fmt}”; välj {', '.join(spec.formats)}."
        )
    if spec.needs_organisation and organisation is None:
        raise DocumentError(f"{spec.label} behöver en region.")
    if spec.needs_response and response is None:
        raise DocumentError(f"{spec.label} behöver ett svar.")
    if spec.needs_results and run is None:
        run = aggregation_fresh_run(questionnaire=questionnaire)
        if run.status != run.Status.COMPLETE:
            raise DocumentError(
                "Beräkningen misslyckades: " + "; ".join(map(str, run.messages or []))
            )
    if fmt == "pdf" and progress is not None:
        # The HTML is built first, then WeasyPrint lays out the pages, which takes about
        # as long again: building is reported as the first half, the layout as done.
        def halved(done: int, total: int) -> None:
            progress(done, total * 2)

        data = builder(
            Source(questionnaire, organisation, response, run, halved, params=params)
        )
        progress(1, 1)
        return data
    return builder(
        Source(questionnaire, organisation, response, run, progress, params=params)
    )
