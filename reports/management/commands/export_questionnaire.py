from __future__ import annotations

from reports.management.commands._export import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Write the blank printable questionnaire (PDF) of a cycle's questionnaire: "
        "every question with tick boxes, grids and space for free text."
    )
    document = "questionnaire"
