from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from surveys.management.confirm import add_no_input_argument, confirm_or_stop
from surveys.services.cycles import (
    cycle_copy,
    cycle_copy_preview,
    definitions_write,
)


class Command(BaseCommand):
    help = (
        "Create the next cycle as a copy of a previous one (questionnaires, sections, "
        "questions linked to their predecessors, dates moved on), e.g. copy_cycle 2024 2025. "
        "Asks before copying unless --no-input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("from_year", type=int)
        parser.add_argument("to_year", type=int)
        parser.add_argument(
            "--write-definitions",
            action="store_true",
            help="also write surveys/definitions/<to_year>/*.yaml from the copy",
        )
        parser.add_argument(
            "--directory",
            type=Path,
            help="folder holding the <year> folders (default: surveys/definitions)",
        )
        parser.add_argument("--user", help="username recorded as the one who copied")
        add_no_input_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["user"]:
            try:
                by = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user {options['user']!r}.") from exc
        try:
            copied = cycle_copy_preview(
                from_year=options["from_year"], to_year=options["to_year"]
            )
        except ValidationError as exc:
            raise CommandError(
                "Nothing copied:\n  " + "\n  ".join(exc.messages)
            ) from exc
        confirm_or_stop(
            self,
            interactive=options["interactive"],
            summary=f"Omgång {options['to_year']} skapas med en kopia av "
            f"{len(copied)} enkäter:\n" + "\n".join(f"  {q.title}" for q in copied),
        )
        try:
            with transaction.atomic():
                cycle = cycle_copy(
                    from_year=options["from_year"], to_year=options["to_year"], by=by
                )
                paths = []
                if options["write_definitions"]:
                    paths = definitions_write(
                        cycle=cycle, directory=options["directory"]
                    )
        except ValidationError as exc:
            raise CommandError(
                "Nothing copied:\n  " + "\n  ".join(exc.messages)
            ) from exc
        for questionnaire in cycle.questionnaires.order_by("audience"):
            self.stdout.write(
                f"{cycle.year}: {questionnaire.title} "
                f"({questionnaire.questions.count()} questions, "
                f"{questionnaire.opens_on} – {questionnaire.closes_on})"
            )
        for path in paths:
            self.stdout.write(f"wrote {path}")
