"""CSV and XLSX writing, safe against formula injection.

Every string cell that a spreadsheet program could read as a formula (it starts with
=, +, -, @, a tab or a carriage return) gets a leading apostrophe (OWASP, "CSV
injection"); numbers stay numbers. The XLSX cells holding strings are always written as
strings, never as formulas or error values, whatever they start with.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reports.formats import DocumentError, Progress

CellValue = str | int | float | Decimal | datetime.datetime | datetime.date | None
_V = TypeVar("_V")

# The first characters a spreadsheet reads as the start of a formula (or that make it
# look past them to one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limits.
MAX_CELL_CHARACTERS = 32_767
MAX_SHEET_NAME = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Column widths in characters: no column narrower or wider than these.
MIN_WIDTH = 6
MAX_WIDTH = 50
# A header wider than this wraps instead of widening its column.
HEADER_WIDTH = 30
# Progress is reported every this many rows.
PROGRESS_EVERY = 100

# Number formats of the XLSX cells.
PERCENT_FORMAT = '0" %"'
COUNT_FORMAT = "#,##0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

BOM = "\ufeff"
_LONE_CR = re.compile(r"\r(?!\n)")


class SpreadsheetError(DocumentError):
    """A value that does not fit in a spreadsheet; the message says what and where."""


def neutralise(value: _V) -> _V | str:
    """The value with a leading apostrophe if it is a string a spreadsheet would read as
    a formula; any other value (numbers included) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(
    header: Sequence[object], rows: Iterable[Sequence[object]], *, excel: bool
) -> bytes:
    """UTF-8 CSV with a comma; for Swedish Excel (excel=True) a semicolon, a BOM and
    CRLF line ends. Strings are neutralised; None is written as an empty cell."""
    stream = io.StringIO()
    if excel:
        stream.write(BOM)
    writer = csv.writer(
        stream,
        delimiter=";" if excel else ",",
        lineterminator="\r\n" if excel else "\n",
    )
    cell = _csv_cell_excel if excel else _csv_cell
    writer.writerow([cell(value) for value in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return stream.getvalue().encode("utf-8")


def _csv_cell_excel(value: object) -> object:
    return neutralise(value)


def _csv_cell(value: object) -> object:
    # With "\n" line ends the csv module does not quote a field holding a lone "\r",
    # which readers then take for a line end: it becomes the "\n" it stands for.
    value = neutralise(value)
    if isinstance(value, str) and "\r" in value:
        value = _LONE_CR.sub("\n", value)
    return value


@dataclass
class Sheet:
    """One worksheet: title lines, header rows (bold, frozen), data rows, notes."""

    name: str
    header: Sequence[Sequence[CellValue]]
    rows: Sequence[Sequence[CellValue]]
    # Lines above the header (the first one larger), e.g. the question's number and text.
    title: Sequence[str] = ()
    # Lines below the rows, e.g. footnotes.
    notes: Sequence[str] = ()
    # Columns kept in view when scrolling to the right.
    freeze_columns: int = 0
    # Number format by column index (0-based) for the numbers of the data rows.
    number_formats: Mapping[int, str] = field(default_factory=dict)
    # Data rows (0-based) written in bold, e.g. the national row.
    bold_rows: frozenset[int] = frozenset()
    # Per header row: whether its cells wrap (False: a long text is cut at the border
    # and read in the cell, e.g. question texts under their codes).
    wrap_header: Sequence[bool] = ()


def sheet_names(names: Iterable[str]) -> list[str]:
    """Valid, distinct Excel sheet names: Excel's forbidden characters made spaces, at most
    31 characters, no leading or trailing apostrophe, numbered where two would clash."""
    result: list[str] = []
    taken: set[str] = set()
    for raw in names:
        name = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", raw).split()).strip("'").strip()
        name = (name or "Blad")[:MAX_SHEET_NAME].strip()
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = name[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _text_length(value: CellValue) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(sheet: Sheet) -> list[float]:
    """Each column as wide as its values and its (wrapping) headers, within limits."""
    count = max(
        [len(row) for row in sheet.header] + [len(row) for row in sheet.rows] + [0]
    )
    widths = [0] * count
    wrapping = [
        row
        for index, row in enumerate(sheet.header)
        if index >= len(sheet.wrap_header) or sheet.wrap_header[index]
    ]
    for row in wrapping:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], min(_text_length(value), HEADER_WIDTH))
    for row in sheet.rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _text_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _text(value: str) -> str:
    """A string as a cell holds it: control characters XML cannot hold dropped, then
    neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def _check_lengths(sheet: Sheet, name: str) -> None:
    """SpreadsheetError for the first text longer than an Excel cell holds."""
    lines = [[line] for line in sheet.title] + list(sheet.header) + list(sheet.rows)
    for row_number, values in enumerate(lines, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) >= MAX_CELL_CHARACTERS:
                length = len(_text(value))
                if length > MAX_CELL_CHARACTERS:
                    raise SpreadsheetError(
                        f"Bladet ”{name}”, cell {get_column_letter(column)}{row_number} "
                        f"(rad {row_number}, kolumn {column}): texten har {length} "
                        f"tecken men en Excel-cell rymmer högst {MAX_CELL_CHARACTERS}."
                    )


class _Writer:
    """Makes the styled cells of one sheet."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=13)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")

    def cell(
        self,
        value: CellValue,
        *,
        width: float | None = None,
        font: Font | None = None,
        wrap: bool | None = None,
        number_format: str | None = None,
    ) -> WriteOnlyCell:
        if isinstance(value, str):
            value = _text(value)
        elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # Excel has no time zones: the local (Swedish) time.
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(self.worksheet, value=value)
        if isinstance(value, str):
            # Never a formula ("=…") or an error value ("#N/A"): always text.
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        if wrap is None:
            wrap = isinstance(value, str) and (
                "\n" in value or (width is not None and len(value) > width)
            )
        cell.alignment = self.wrap if wrap else self.top
        if isinstance(value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif number_format and isinstance(value, int | float | Decimal):
            cell.number_format = number_format
        return cell


def _write_sheet(worksheet, sheet: Sheet, count_row: Callable[[], None]) -> None:
    if sheet.header or sheet.title:
        # Set before the first row: the sheet view is written ahead of the rows.
        frozen = len(sheet.title) + len(sheet.header)
        worksheet.freeze_panes = (
            f"{get_column_letter(sheet.freeze_columns + 1)}{frozen + 1}"
        )
    writer = _Writer(worksheet)
    widths = _widths(sheet)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for index, line in enumerate(sheet.title):
        font = writer.title_font if index == 0 else writer.bold
        worksheet.append([writer.cell(line, font=font, wrap=False)])
    for index, header in enumerate(sheet.header):
        wraps = sheet.wrap_header[index] if index < len(sheet.wrap_header) else True
        worksheet.append(
            [writer.cell(value, font=writer.bold, wrap=wraps) for value in header]
        )
    for index, values in enumerate(sheet.rows):
        font = writer.bold if index in sheet.bold_rows else None
        worksheet.append(
            [
                writer.cell(
                    value,
                    width=widths[column],
                    font=font,
                    number_format=sheet.number_formats.get(column),
                )
                for column, value in enumerate(values)
            ]
        )
        count_row()
    if sheet.notes:
        worksheet.append([])
        for note in sheet.notes:
            worksheet.append([writer.cell(note, wrap=False)])


def xlsx_bytes(
    sheets: Iterable[Sheet],
    *,
    progress: Progress | None = None,
) -> bytes:
    """An XLSX workbook of the sheets (written in openpyxl's streaming mode).

    SpreadsheetError names the sheet, row and column of a value Excel cannot hold.
    """
    sheets = list(sheets)
    names = sheet_names(sheet.name for sheet in sheets)
    # Checked before anything is written: the error names the cell, as Excel would.
    for sheet, name in zip(sheets, names, strict=True):
        _check_lengths(sheet, name)
    total = sum(len(sheet.rows) for sheet in sheets)
    done = 0

    def count_row() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)

    workbook = Workbook(write_only=True)
    for sheet, name in zip(sheets, names, strict=True):
        _write_sheet(workbook.create_sheet(title=name), sheet, count_row)
    if not sheets:
        workbook.create_sheet(title="Blad")
    stream = io.BytesIO()
    workbook.save(stream)
    if progress is not None:
        progress(total, total)
    return stream.getvalue()
