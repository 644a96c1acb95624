from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.models import Cycle, Questionnaire
from surveys.selectors.questionnaires import questionnaire_keys, questionnaire_of_cycle
from surveys.services.imports import responses_import


class Command(BaseCommand):
    help = (
        "Import answers collected elsewhere from a long CSV file "
        "(organisation,question,item,answer) into the current version of a "
        "questionnaire. All or nothing: a file with any bad row is refused."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, ',' or ';'")
        parser.add_argument("--cycle", type=int, required=True, help="data year")
        parser.add_argument(
            "--questionnaire",
            required=True,
            help="the questionnaire's key: "
            + ", ".join(Questionnaire.Audience.values)
            + " or another definition file's name (e.g. statsbidrag)",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="keep the responses as drafts instead of submitting them",
        )
        parser.add_argument(
            "--replace-submitted",
            action="store_true",
            help=(
                "replace answers of submitted responses; without it, rows that would "
                "change a submitted response are refused and listed"
            ),
        )
        parser.add_argument(
            "--user", help="username recorded as the one who imported the answers"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, key = options["cycle"], options["questionnaire"]
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
        by = None
        if options["user"]:
            try:
                by = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(
                    f"Användaren ”{options['user']}” finns inte."
                ) from exc
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc
        try:
            report = responses_import(
                questionnaire=questionnaire,
                file=data,
                by=by,
                draft=options["draft"],
                replace_submitted=options["replace_submitted"],
            )
        except ValidationError as exc:
            raise CommandError(
                f"Filen {path.name} avvisades, inget sparades "
                f"({len(exc.messages)} fel):\n  " + "\n  ".join(exc.messages)
            ) from exc
        summary, status, *details = report.lines()
        self.stdout.write(summary)
        self.stdout.write(status)
        for line in details:
            self.stdout.write(self.style.WARNING(line))
        if report.refused:
            self.stdout.write(
                self.style.WARNING(
                    "Kör igen med --replace-submitted för att ersätta svaren i de "
                    "inskickade svaren."
                )
            )
        if options["verbosity"] > 1:
            for code, count in report.unanswered.items():
                if count:
                    self.stdout.write(f"{code}: {count} obesvarade frågor")
