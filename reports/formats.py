"""What the documents and the engines share: the file formats, the progress callback and
the error of a document that cannot be built.

Below the documents (reports.documents) and the engines (reports.pdf, .spreadsheets),
so that both import it and neither imports the other to get it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Called with (done, total) as a document is built; the job row turns it into percent.
Progress = Callable[[int, int], None]


class DocumentError(ValueError):
    """A document that cannot be built as asked; the message says why, in Swedish."""


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
