"""The documents the reports app makes, the formats of each, and how to build them.

One registry for the export commands, the staff export page and the export jobs: a
document is built from a questionnaire (and, for a region profile, a region) into bytes.
The PDFs are in reports.pdf_documents, the spreadsheets in reports.table_documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from surveys.models import Questionnaire

# Called with (done, total) as a document is built; the job row turns it into percent.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("pdf", "PDF", "pdf", "application/pdf"),
        Format(
            "xlsx",
            "Excel (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Format("csv", "CSV (UTF-8, komma)", "csv", "text/csv; charset=utf-8"),
        # Swedish Excel opens this directly: semicolons, UTF-8 with BOM.
        Format(
            "csv-excel",
            "CSV för svenskt Excel (semikolon)",
            "csv",
            "text/csv; charset=utf-8",
        ),
    )
}


@dataclass(frozen=True)
class Document:
    key: str
    label: str
    formats: tuple[str, ...]
    # Needs an organisation (the region of a region profile).
    needs_organisation: bool = False
    # Built from the aggregation results (computed first when missing or stale).
    needs_results: bool = False


DOCUMENTS: dict[str, Document] = {
    d.key: d
    for d in (
        Document(
            "appendix",
            _("Appendix tables"),
            ("pdf", "xlsx", "csv", "csv-excel"),
            needs_results=True,
        ),
        Document(
            "shares",
            _("Shares per county and RSS"),
            ("pdf", "xlsx", "csv", "csv-excel"),
            needs_results=True,
        ),
        Document("answers", _("Raw answers"), ("xlsx", "csv", "csv-excel")),
        Document("questionnaire", _("Blank questionnaire"), ("pdf",)),
        Document(
            "region_profile",
            _("Region profile"),
            ("pdf",),
            needs_organisation=True,
            needs_results=True,
        ),
    )
}


class DocumentError(ValueError):
    """A document that cannot be built as asked; the message says why, in Swedish."""


def document_filename(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
) -> str:
    """E.g. "bilaga-region-2024.pdf", "andelar-kommun-2024.xlsx"."""
    names = {
        "appendix": "bilaga",
        "shares": "andelar",
        "answers": "svar",
        "questionnaire": "blankett",
        "region_profile": "regionprofil",
    }
    parts = [names[document], questionnaire.audience, str(questionnaire.cycle.year)]
    if organisation is not None:
        parts.append(slugify(organisation.name))
    return "-".join(parts) + "." + FORMATS[fmt].extension


def document_build(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Build one document in one format; DocumentError if that combination is not made."""
    from aggregation.services import aggregation_fresh_run

    spec = DOCUMENTS.get(document)
    if spec is None:
        raise DocumentError(f"Dokumentet ”{document}” finns inte.")
    if fmt not in spec.formats:
        raise DocumentError(
            f"{spec.label} finns inte som ”{fmt}”; välj {', '.join(spec.formats)}."
        )
    if spec.needs_organisation and organisation is None:
        raise DocumentError(f"{spec.label} behöver en region.")
    run = None
    if spec.needs_results:
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

        data = _build(document, fmt, questionnaire, organisation, run, halved)
        progress(1, 1)
        return data
    return _build(document, fmt, questionnaire, organisation, run, progress)


def _build(
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None,
    run: object,
    progress: Progress | None,
) -> bytes:
    from reports import pdf_documents, table_documents

    excel = fmt == "csv-excel"
    if document == "appendix":
        if fmt == "pdf":
            return pdf_documents.appendix_pdf(run=run, progress=progress)
        if fmt == "xlsx":
            return table_documents.appendix_xlsx(run=run)
        return table_documents.appendix_csv(run=run, excel=excel)
    if document == "shares":
        if fmt == "pdf":
            return pdf_documents.shares_pdf(run=run, progress=progress)
        if fmt == "xlsx":
            return table_documents.shares_xlsx(run=run)
        return table_documents.shares_csv(run=run, excel=excel)
    if document == "answers":
        if fmt == "xlsx":
            return table_documents.answers_xlsx(
                questionnaire=questionnaire, progress=progress
            )
        return table_documents.answers_csv(questionnaire=questionnaire, excel=excel)
    if document == "questionnaire":
        return pdf_documents.questionnaire_pdf(questionnaire=questionnaire)
    if document == "region_profile":
        return pdf_documents.region_profile_pdf(run=run, organisation=organisation)
    raise DocumentError(f"Dokumentet ”{document}” finns inte.")  # pragma: no cover
