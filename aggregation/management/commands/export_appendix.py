from __future__ import annotations

import csv
from argparse import ArgumentParser
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aggregation.models import AggregationRun, AppendixCell
from aggregation.services import aggregation_fresh_run
from surveys.models import Cycle, Questionnaire
from surveys.selectors import questionnaire_of_cycle

HEADER = ["question", "item", "organisation", "value"]
FORMATS = ["csv"]


def add_export_arguments(parser: ArgumentParser) -> None:
    """The arguments every export command takes."""
    parser.add_argument("--cycle", type=int, required=True, help="data year, e.g. 2024")
    parser.add_argument(
        "--questionnaire",
        required=True,
        help="the audience: " + ", ".join(Questionnaire.Audience.values),
    )
    parser.add_argument(
        "--format",
        default="csv",
        help="csv (PDF and Excel come with the reports)",
    )
    parser.add_argument(
        "--output", default="-", help="file to write (UTF-8); - for standard output"
    )


def exported_run(options: dict[str, Any]) -> AggregationRun:
    """The current results of the questionnaire named by the options, computed first if
    missing or stale; CommandError for an unknown format, cycle or questionnaire."""
    year, audience, fmt = options["cycle"], options["questionnaire"], options["format"]
    if fmt not in FORMATS:
        raise CommandError(
            f"Formatet ”{fmt}” stöds inte än; välj {', '.join(FORMATS)} "
            "(PDF och Excel kommer med rapporterna)."
        )
    if audience not in Questionnaire.Audience.values:
        raise CommandError(
            f"Enkäten ”{audience}” finns inte; välj "
            f"{', '.join(Questionnaire.Audience.values)}."
        )
    if not Cycle.objects.filter(year=year).exists():
        known = ", ".join(
            str(y)
            for y in Cycle.objects.order_by("year").values_list("year", flat=True)
        )
        raise CommandError(
            f"Cykeln {year} finns inte" + (f" (finns: {known})." if known else ".")
        )
    try:
        questionnaire = questionnaire_of_cycle(year=year, audience=audience)
    except Questionnaire.DoesNotExist as exc:
        raise CommandError(
            f"Cykeln {year} har ingen aktuell enkät för ”{audience}”."
        ) from exc
    run = aggregation_fresh_run(questionnaire=questionnaire)
    if run.status != AggregationRun.Status.COMPLETE:
        raise CommandError(
            "Beräkningen misslyckades: " + "; ".join(map(str, run.messages or []))
        )
    return run


def write_csv(
    command: BaseCommand,
    output: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    """Write the rows as UTF-8 CSV to the file, or to standard output for "-"."""
    if output == "-":
        writer = csv.writer(command.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return
    path = Path(output)
    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            count = 0
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as exc:
        raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}.") from exc
    command.stderr.write(f"Skrev {count} rader till {path}.")


class Command(BaseCommand):
    help = (
        "Write the appendix tables of a questionnaire as a long CSV file "
        "(question,item,organisation,value): one row per cell, Riket and the "
        "organisations as printed, the values exactly as published."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run = exported_run(options)
        cells = (
            AppendixCell.objects.filter(run=run)
            .order_by("position")
            .values_list("question_code", "item", "organisation", "value")
        )
        write_csv(self, options["output"], HEADER, cells.iterator())
