from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.services import questionnaires_load


class Command(BaseCommand):
    help = "Load a cycle's questionnaire definitions from surveys/definitions/<year>/*.yaml."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args, **options) -> None:
        try:
            result = questionnaires_load(year=options["year"])
        except ValidationError as exc:
            raise CommandError(
                "Definitions refused, nothing written:\n  " + "\n  ".join(exc.messages)
            ) from exc
        for line in result.lines:
            self.stdout.write(line)
