"""What the export commands share: arguments, look-ups with Swedish errors, and writing.

A document is built in full before anything is written; a file is written to a
temporary file beside it and renamed into place, so a failed export never leaves half
a file (and an existing file stays as it was).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from regions.models import Organisation
from reports.documents import DOCUMENTS, document_build
from reports.formats import DocumentError
from surveys.models import Cycle, Questionnaire
from surveys.selectors.questionnaires import questionnaire_keys, questionnaire_of_cycle

# Formats written as text (to a file or standard output); the others are binary.
TEXT_FORMATS = ("csv", "csv-excel")
# The order the commands list the formats in.
FORMAT_ORDER = ("csv", "csv-excel", "xlsx", "pdf")
STDOUT = "-"


def add_cycle_argument(parser: ArgumentParser) -> None:
    parser.add_argument("--cycle", type=int, required=True, help="data year, e.g. 2024")


def add_questionnaire_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--questionnaire",
        required=True,
        help="the questionnaire's key: "
        + ", ".join(Questionnaire.Audience.values)
        + " or another definition file's name (e.g. statsbidrag)",
    )


def add_output_arguments(
    parser: ArgumentParser, *, formats: tuple[str, ...], default: str
) -> None:
    parser.add_argument(
        "--format", default=default, help=" | ".join(formats) + f" (default {default})"
    )
    parser.add_argument(
        "--output",
        default=STDOUT,
        help="file to write; - for standard output (CSV only: PDF and XLSX need a file)",
    )


def add_export_arguments(parser: ArgumentParser, *, document: str) -> None:
    """--cycle, --questionnaire, --format (the document's formats) and --output."""
    add_cycle_argument(parser)
    add_questionnaire_argument(parser)
    add_output_arguments(
        parser, formats=command_formats(document), default=default_format(document)
    )


def command_formats(document: str) -> tuple[str, ...]:
    """The document's formats, text formats first (as the commands list them)."""
    formats = DOCUMENTS[document].formats
    return tuple(f for f in FORMAT_ORDER if f in formats)


def default_format(document: str) -> str:
    return command_formats(document)[0]


def checked_format(options: dict, *, formats: tuple[str, ...], command: str) -> str:
    """The format asked for, if the command makes it and it can go where it is asked to.

    Binary formats (PDF, XLSX) cannot be written to standard output.
    """
    fmt = options["format"]
    if fmt not in formats:
        raise CommandError(
            f"Formatet ”{fmt}” finns inte för {command}; välj {', '.join(formats)}."
        )
    if fmt not in TEXT_FORMATS and options["output"] == STDOUT:
        raise CommandError(
            f"Formatet {fmt} kan inte skrivas till standard output; ange en fil med "
            "--output FIL."
        )
    return fmt


def questionnaire_from(*, year: int, key: str) -> Questionnaire:
    """The current questionnaire of the cycle with the key ("region", "statsbidrag");
    CommandError naming the unknown questionnaire or cycle."""
    keys = questionnaire_keys()
    if key not in keys:
        raise CommandError(f"Enkäten ”{key}” finns inte; välj {', '.join(keys)}.")
    if not Cycle.objects.filter(year=year).exists():
        known = ", ".join(
            str(y)
            for y in Cycle.objects.order_by("year").values_list("year", flat=True)
        )
        raise CommandError(
            f"Cykeln {year} finns inte" + (f" (finns: {known})." if known else ".")
        )
    try:
        return questionnaire_of_cycle(year=year, key=key)
    except Questionnaire.DoesNotExist as exc:
        raise CommandError(
            f"Cykeln {year} har ingen aktuell enkät för ”{key}”."
        ) from exc


def organisation_from(code: str) -> Organisation:
    """The organisation with the code (e.g. 01, RSS-01, 0114); CommandError if none."""
    organisation = (
        Organisation.objects.select_related("county").filter(code=code.strip()).first()
    )
    if organisation is None:
        raise CommandError(
            f"Organisationen ”{code}” finns inte; ange dess kod "
            "(t.ex. 01 för en region, RSS-01, 0114 för en kommun)."
        )
    return organisation


def build(**arguments) -> bytes:
    """document_build with its refusals and spreadsheet limits as CommandError."""
    try:
        with translation.override("sv"):
            return document_build(**arguments)
    except DocumentError as exc:
        raise CommandError(str(exc)) from exc


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, or what a new file would get."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write the file in full, or not at all: a temporary file beside it, renamed."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _csv_records(data: bytes, fmt: str) -> int:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";" if fmt == "csv-excel" else ",")
    return sum(1 for _row in reader)


def write_output(command: BaseCommand, output: str, data: bytes, fmt: str) -> None:
    """Write the document to the file named, or a text format to standard output."""
    if output == STDOUT:
        command.stdout.write(data.decode("utf-8"), ending="")
        return
    path = Path(output)
    if path.is_dir():
        raise CommandError(f"{path} är en mapp; ange en fil med --output.")
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from exc
    if fmt in TEXT_FORMATS:
        command.stderr.write(f"Skrev {_csv_records(data, fmt) - 1} rader till {path}.")
    else:
        command.stderr.write(f"Skrev {len(data)} byte till {path}.")


class DocumentCommand(BaseCommand):
    """An export of one document of a questionnaire: --cycle, --questionnaire, --format,
    --output."""

    document: str

    @property
    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_export_arguments(parser, document=self.document)

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = checked_format(
            options, formats=command_formats(self.document), command=self.command_name
        )
        questionnaire = questionnaire_from(
            year=options["cycle"], key=options["questionnaire"]
        )
        data = build(document=self.document, fmt=fmt, questionnaire=questionnaire)
        write_output(self, options["output"], data, fmt)
