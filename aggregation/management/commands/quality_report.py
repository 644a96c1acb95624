from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils import translation

from surveys.models import Cycle, Questionnaire
from surveys.selectors.quality import QualityRow, quality_rows
from surveys.selectors.questionnaires import questionnaire_keys, questionnaire_of_cycle

HEADER = ["organisation", "question", "item", "value", "reason"]


class Command(BaseCommand):
    help = (
        "Write the data-quality list of a questionnaire (every plausibility warning of "
        "its submitted responses) as CSV: organisation,question,item,value,reason."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cycle", type=int, required=True, help="data year")
        parser.add_argument(
            "--questionnaire",
            required=True,
            help="the questionnaire's key: "
            + ", ".join(Questionnaire.Audience.values)
            + " or another definition file's name (e.g. statsbidrag)",
        )
        parser.add_argument("--format", default="csv", help="csv (the only format)")
        parser.add_argument(
            "--output", default="-", help="file to write; - for standard output"
        )
        parser.add_argument(
            "--drafts", action="store_true", help="also check draft responses"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, key = options["cycle"], options["questionnaire"]
        if options["format"] != "csv":
            raise CommandError(f"Formatet ”{options['format']}” finns inte; välj csv.")
        known = questionnaire_keys()
        if key not in known:
            raise CommandError(f"Enkäten ”{key}” finns inte; välj {', '.join(known)}.")
        if not Cycle.objects.filter(year=year).exists():
            raise CommandError(f"Cykeln {year} finns inte.")
        try:
            questionnaire = questionnaire_of_cycle(year=year, key=key)
        except Questionnaire.DoesNotExist as exc:
            raise CommandError(
                f"Cykeln {year} har ingen aktuell enkät för ”{key}”."
            ) from exc
        # The reasons are Swedish, whatever locale the shell has.
        with translation.override("sv"):
            rows = quality_rows(
                questionnaire=questionnaire, include_drafts=options["drafts"]
            )
        output = options["output"]
        if output == "-":
            self._write(self.stdout, rows)
            return
        path = Path(output)
        try:
            with path.open("w", encoding="utf-8", newline="") as stream:
                self._write(stream, rows)
        except OSError as exc:
            raise CommandError(
                f"Filen {path} kan inte skrivas: {exc.strerror}."
            ) from exc
        self.stderr.write(f"Skrev {len(rows)} rader till {path}.")

    def _write(self, stream: TextIO | OutputWrapper, rows: list[QualityRow]) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [row.organisation, row.question, row.item, row.value, row.reason]
            )
