from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand

from aggregation.management.commands.export_appendix import (
    add_export_arguments,
    exported_run,
    write_csv,
)
from aggregation.models import ShareRow

HEADER = [
    "question",
    "item",
    "option",
    "level",
    "unit",
    "count",
    "denominator",
    "percent",
]


class Command(BaseCommand):
    help = (
        "Write the shares of a questionnaire as a long CSV file "
        "(question,item,option,level,unit,count,denominator,percent): level riket, "
        "county or rss; unit SE, the county code or the RSS code; percent a whole "
        "number rounded half up, empty when nobody in the unit answered."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run = exported_run(options)
        rows = (
            ShareRow.objects.filter(run=run)
            .order_by("position")
            .values_list(
                "question_code",
                "item",
                "option",
                "level",
                "unit",
                "count",
                "denominator",
                "percent",
            )
        )

        def lines() -> Iterator[tuple[object, ...]]:
            for row in rows.iterator():
                percent = row[-1]
                yield (*row[:-1], "" if percent is None else percent)

        write_csv(self, options["output"], HEADER, lines())
