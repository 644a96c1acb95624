"""The key figures ("Nyckeltal"): every published figure of a questionnaire with its
name, its value as printed and a sentence for the report's prose.

CSV: name,value,text; XLSX: one sheet "Nyckeltal" with the same columns. The names,
values and sentences are aggregation.key_figures' (the results pages show the same
names beside the figures, and the staff's fill page puts the same sentences in a text).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from aggregation.key_figures import key_figures
from aggregation.models import AggregationRun
from reports.documents.base import Document
from reports.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from surveys.models import Questionnaire

CSV_HEADER = ["name", "value", "text"]
XLSX_HEADER = ["Namn", "Värde", "Text"]


def key_figure_rows(
    *, questionnaire: Questionnaire, run: AggregationRun
) -> list[list[str]]:
    """[name, value as printed, sentence] of every named figure, in table order."""
    return [
        [figure.name, figure.value, figure.text]
        for figure in key_figures(questionnaire=questionnaire, run=run).values()
    ]


def key_figures_csv(
    *, questionnaire: Questionnaire, run: AggregationRun, excel: bool
) -> bytes:
    rows = key_figure_rows(questionnaire=questionnaire, run=run)
    return csv_bytes(CSV_HEADER, rows, excel=excel)


def key_figures_xlsx(*, questionnaire: Questionnaire, run: AggregationRun) -> bytes:
    rows = key_figure_rows(questionnaire=questionnaire, run=run)
    title = [
        f"Nyckeltal: {questionnaire.title}",
        "Skriv {{ namn }} i en text för meningen, {{ namn|värde }} för värdet.",
    ]
    sheet = Sheet(
        name="Nyckeltal",
        title=title,
        header=[XLSX_HEADER],
        rows=[list(row) for row in rows],
    )
    return xlsx_bytes([sheet])


DOCUMENT = Document(
    key="key_figures",
    label=_("Key figures"),
    stem="nyckeltal",
    builders={
        "xlsx": lambda source: key_figures_xlsx(
            questionnaire=source.questionnaire, run=source.results
        ),
        "csv": lambda source: key_figures_csv(
            questionnaire=source.questionnaire, run=source.results, excel=False
        ),
        "csv-excel": lambda source: key_figures_csv(
            questionnaire=source.questionnaire, run=source.results, excel=True
        ),
    },
    needs_results=True,
)
