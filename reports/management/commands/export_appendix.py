from __future__ import annotations

from reports.management.commands._export import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Write the appendix tables of a questionnaire (computed first when missing or "
        "stale). csv/csv-excel: the long table question,item,organisation,value, one "
        "row per cell with Riket and the regions as printed and the values exactly as "
        "published; xlsx: a sheet per question as printed plus the long table; pdf: "
        "Bilaga 3. Tabeller och figurer."
    )
    document = "appendix"
