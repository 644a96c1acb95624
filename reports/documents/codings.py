"""The codings of a questionnaire's free-text answers: one row per theme a coder ticked
for an organisation's answer (question, item, organisation, theme, coder)."""

from __future__ import annotations

from coding.selectors import CODING_COLUMNS, coding_rows
from reports.documents.base import Document, Source
from reports.spreadsheets import Sheet, csv_bytes, xlsx_bytes

LABELS = ["Fråga", "Del", "Organisation", "Tema", "Kodare"]


def build_csv(source: Source) -> bytes:
    return csv_bytes(
        CODING_COLUMNS, coding_rows(questionnaire=source.questionnaire), excel=False
    )


def build_xlsx(source: Source) -> bytes:
    questionnaire = source.questionnaire
    return xlsx_bytes(
        [
            Sheet(
                name="Kodning",
                title=[f"Kodning av fritextsvar: {questionnaire.title}"],
                header=[CODING_COLUMNS, LABELS],
                rows=coding_rows(questionnaire=questionnaire),
            )
        ],
        progress=source.progress,
    )


DOCUMENT = Document(
    key="codings",
    label="Kodning av fritextsvar",
    stem="kodning",
    builders={"csv": build_csv, "xlsx": build_xlsx},
    # Downloaded from the coding pages, not offered on the export page.
    exported=False,
)
