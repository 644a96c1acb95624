from __future__ import annotations

import re
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from aggregation.services import published_values_import
from surveys.models import Cycle, Questionnaire
from surveys.selectors.questionnaires import questionnaire_keys, questionnaire_of_cycle
from surveys.services.questionnaires import DEFINITIONS_DIR

# surveys/definitions/<cycle>/published/<questionnaire key>-<year>.csv
EXAMPLE_NAME = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)-(?P<year>\d{4})\.csv$")


def _questionnaire(year: int, key: str) -> Questionnaire:
    keys = questionnaire_keys()
    if key not in keys:
        raise CommandError(f"Enkäten ”{key}” finns inte; välj {', '.join(keys)}.")
    if not Cycle.objects.filter(year=year).exists():
        raise CommandError(f"Cykeln {year} finns inte.")
    try:
        return questionnaire_of_cycle(year=year, key=key)
    except Questionnaire.DoesNotExist as exc:
        raise CommandError(
            f"Cykeln {year} har ingen aktuell enkät för ”{key}”."
        ) from exc


class Command(BaseCommand):
    help = (
        "Store the published figures of an earlier year against this cycle's questions "
        "(all or nothing; a new file replaces that year's values of the questionnaire). "
        "CSV header question,item,option,level,unit,percent and optionally "
        "count,denominator; level/unit as export_shares writes them. "
        "--from-definitions loads every surveys/definitions/<cycle>/published/"
        "<key>-<year>.csv instead."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cycle", type=int, required=True, help="data year, 2024")
        parser.add_argument(
            "--questionnaire",
            help="the questionnaire's key: region, rss, municipality, extra, statsbidrag",
        )
        parser.add_argument("--year", type=int, help="the year of the figures, 2023")
        parser.add_argument("file", nargs="?", help="the CSV file")
        parser.add_argument(
            "--from-definitions",
            action="store_true",
            help="load the example files shipped with the cycle's definitions",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = options["cycle"]
        if options["from_definitions"]:
            folder = DEFINITIONS_DIR / str(cycle) / "published"
            files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
            if not files:
                raise CommandError(f"Inga filer med publicerade värden i {folder}.")
            for path in files:
                match = EXAMPLE_NAME.match(path.name)
                if match is None:
                    raise CommandError(
                        f"{path.name}: namnet ska vara <enkät>-<år>.csv, "
                        "t.ex. rss-2023.csv."
                    )
                self._import(cycle, match["key"], int(match["year"]), path, path.name)
            return
        missing = [
            name
            for name, value in (
                ("--questionnaire", options["questionnaire"]),
                ("--year", options["year"]),
                ("FILE", options["file"]),
            )
            if value is None
        ]
        if missing:
            raise CommandError("Ange " + ", ".join(missing) + ".")
        path = Path(options["file"])
        self._import(cycle, options["questionnaire"], options["year"], path, path.name)

    def _import(self, cycle: int, key: str, year: int, path: Path, name: str) -> None:
        questionnaire = _questionnaire(cycle, key)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc
        try:
            changes = published_values_import(
                questionnaire=questionnaire, year=year, file=data, file_name=name
            )
        except ValidationError as exc:
            raise CommandError(
                f"{name}: inget importerades.\n  " + "\n  ".join(exc.messages)
            ) from exc
        self.stdout.write(
            f"{name}: {changes.count} publicerade värden för {year} sparade till "
            f"{questionnaire.title} ({cycle}): {changes.replaced} ersatte sparade "
            f"värden ({changes.changed} med ett annat värde), {changes.added} nya, "
            f"{changes.removed} sparade värden som saknades i filen togs bort."
        )
