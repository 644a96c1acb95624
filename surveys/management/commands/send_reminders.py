from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from surveys import deadlines
from surveys.management.confirm import add_no_input_argument, confirm_or_stop
from surveys.services.fieldwork import reminders_preview, reminders_send, site_url

# Up to this many organisations are named in the question; more are counted only.
NAMES_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Send the reminder e-mails due on a day (default: today in Sweden) to the invited "
        "organisations that have not submitted. Running it twice sends nothing twice. "
        "Asks before sending unless --no-input."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date",
            help="the reminder date to send, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--base-url",
            help="address the links in the e-mails start with (default: SITE_URL)",
        )
        add_no_input_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = deadlines.stockholm_today()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"Datumet ”{options['date']}” ska skrivas ÅÅÅÅ-MM-DD."
                ) from exc
        preview = reminders_preview(today=today)
        if preview:
            lines = [f"{today}: påminnelser skickas till"]
            for questionnaire, organisations in preview:
                names = ", ".join(o.name for o in organisations[:NAMES_SHOWN])
                more = len(organisations) - NAMES_SHOWN
                lines.append(
                    f"  {questionnaire.title}: {len(organisations)} organisationer"
                    + (
                        f" ({names}{f' och {more} till' if more > 0 else ''})"
                        if organisations
                        else ""
                    )
                )
            confirm_or_stop(
                self, interactive=options["interactive"], summary="\n".join(lines)
            )
        report = reminders_send(today=today, base_url=options["base_url"] or site_url())
        if not report.questionnaires:
            self.stdout.write(f"{today}: inga påminnelser är planerade i dag.")
            return
        titles = ", ".join(q.title for q in report.questionnaires)
        self.stdout.write(
            f"{today}: {titles}. Skickade: {report.sent}, redan skickade: "
            f"{report.already_sent}, har skickat in: {report.submitted}, "
            f"sista svarsdag passerad: {report.past_deadline}."
        )
        if report.without_recipients:
            self.stdout.write(
                "Utan kontaktperson: " + ", ".join(report.without_recipients)
            )
        if report.failed:
            raise CommandError(
                "Kunde inte skickas (körs igen senare): " + ", ".join(report.failed)
            )
