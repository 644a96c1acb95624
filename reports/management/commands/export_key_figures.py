from __future__ import annotations

from reports.management.commands._export import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Write the key figures of a questionnaire (computed first when missing or "
        "stale): every published figure's stable name, its value as printed and a "
        "sentence for prose. csv/csv-excel: name,value,text; xlsx: one sheet "
        '"Nyckeltal".'
    )
    document = "key_figures"
