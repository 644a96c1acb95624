from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.services import DATA_DIR, reference_data_load


class Command(BaseCommand):
    help = "Load counties, regions, RSS and municipalities from CSV files (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            default=str(DATA_DIR),
            help="Folder with regions.csv, rss.csv and municipalities.csv.",
        )

    def handle(self, *args, **options) -> None:
        try:
            report = reference_data_load(directory=Path(options["directory"]))
        except ValidationError as exc:
            raise CommandError(
                "Reference data refused, nothing written:\n  "
                + "\n  ".join(exc.messages)
            ) from exc
        for kind in ("county", "region", "rss", "municipality"):
            self.stdout.write(
                f"{kind}: {report.created.get(kind, 0)} created, "
                f"{report.updated.get(kind, 0)} updated, "
                f"{report.unchanged.get(kind, 0)} unchanged"
            )
