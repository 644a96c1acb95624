from __future__ import annotations

import csv
from argparse import ArgumentParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils import translation

from aggregation.compute import CountDifference, rss_count_differences
from surveys.models import Cycle, Questionnaire
from surveys.selectors.quality import QualityRow, quality_rows
from surveys.selectors.questionnaires import questionnaire_keys, questionnaire_of_cycle

HEADER = ["organisation", "question", "item", "value", "reason"]


@dataclass(frozen=True)
class _Row:
    """A row of the report that is not a plausibility warning."""

    organisation: str
    question: str
    item: str
    value: str
    reason: str


def _difference_row(difference: CountDifference) -> _Row:
    """An RSS count that differs from its municipalities' answers, as a report row:
    the RSS, the municipal question (and the RSS's), the item, the RSS's count."""
    question = difference.question
    if difference.rss_question:
        question += f" ({difference.rss_question})"
    used = "RSS:ens antal" if difference.counts_used else "kommunernas svar"
    return _Row(
        organisation=difference.rss_name,
        question=question,
        item=difference.item,
        value=str(difference.rss_count),
        reason=(
            f"RSS:ens antal för ”{difference.option}” ({difference.rss_count}) "
            f"skiljer sig från kommunernas svar ({difference.answers_count}), "
            f"skillnad {difference.difference_display}; områdets andelar använder "
            f"{used}."
        ),
    )


class Command(BaseCommand):
    help = (
        "Write the data-quality list of a questionnaire (every plausibility warning of "
        "its submitted responses) as CSV: organisation,question,item,value,reason. For "
        "the RSS and the municipal questionnaire also, as the staff's list shows them, "
        "the RSS counts that differ from the answers of the area's municipalities."
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
            ) + [
                _difference_row(difference)
                for difference in rss_count_differences(questionnaire=questionnaire)
            ]
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

    def _write(
        self, stream: TextIO | OutputWrapper, rows: list[QualityRow | _Row]
    ) -> None:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(
                [row.organisation, row.question, row.item, row.value, row.reason]
            )
