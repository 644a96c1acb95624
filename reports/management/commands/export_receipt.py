from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reports.documents import DOCUMENTS
from reports.management.commands._export import (
    add_cycle_argument,
    add_output_arguments,
    add_questionnaire_argument,
    build,
    checked_format,
    organisation_from,
    questionnaire_from,
    write_output,
)
from surveys.models import Response

FORMATS = DOCUMENTS["receipt"].formats


class Command(BaseCommand):
    help = (
        "Write the receipt (PDF) of an organisation's submitted response: everything it "
        "answered, who submitted it and when."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_cycle_argument(parser)
        add_questionnaire_argument(parser)
        parser.add_argument(
            "--organisation",
            required=True,
            help="the organisation's code, e.g. 01, RSS-01 or 0114",
        )
        add_output_arguments(parser, formats=FORMATS, default="pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = checked_format(options, formats=FORMATS, command="export_receipt")
        questionnaire = questionnaire_from(
            year=options["cycle"], key=options["questionnaire"]
        )
        organisation = organisation_from(options["organisation"])
        response = (
            Response.objects.filter(
                questionnaire=questionnaire, organisation=organisation
            )
            .select_related("organisation", "questionnaire__cycle", "submitted_by")
            .first()
        )
        if response is None:
            raise CommandError(
                f"{organisation.name} ({organisation.code}) har inget svar på "
                f"”{questionnaire.title}”."
            )
        if not response.is_submitted:
            raise CommandError(
                f"Svaret från {organisation.name} ({organisation.code}) på "
                f"”{questionnaire.title}” är inte inskickat; kvittot finns först när "
                "svaret har skickats in."
            )
        data = build(
            document="receipt",
            fmt=fmt,
            questionnaire=questionnaire,
            response=response,
        )
        write_output(self, options["output"], data, fmt)
