from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from regions.models import Organisation
from reports.documents import DOCUMENTS
from reports.management.commands._export import (
    add_cycle_argument,
    add_output_arguments,
    build,
    checked_format,
    organisation_from,
    questionnaire_from,
    write_output,
)
from surveys.models import Questionnaire

FORMATS = DOCUMENTS["region_profile"].formats


class Command(BaseCommand):
    help = (
        "Write the profile (PDF) of one region: its answers to the region questionnaire "
        "beside the national figures (computed first when missing or stale)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_cycle_argument(parser)
        parser.add_argument(
            "--organisation", required=True, help="the region's code, e.g. 01"
        )
        add_output_arguments(parser, formats=FORMATS, default="pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = checked_format(options, formats=FORMATS, command="export_region_profile")
        questionnaire = questionnaire_from(
            year=options["cycle"], key=Questionnaire.Audience.REGION
        )
        organisation = organisation_from(options["organisation"])
        if organisation.kind != Organisation.Kind.REGION:
            raise CommandError(
                f"{organisation.name} ({organisation.code}) är ingen region; en "
                "regionprofil görs för en region (kod 01–25)."
            )
        data = build(
            document="region_profile",
            fmt=fmt,
            questionnaire=questionnaire,
            organisation=organisation,
        )
        write_output(self, options["output"], data, fmt)
