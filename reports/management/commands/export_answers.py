from __future__ import annotations

from reports.management.commands._export import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Write the raw answers of a questionnaire: one row per organisation with a "
        "response (drafts too: see the status column), its county, RSS and submission, "
        'then one column per question and item ("12" or "12: <item>"), free text in '
        "full. csv/csv-excel or xlsx (with the question texts as a second header row)."
    )
    document = "answers"
