from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from regions.models import Organisation
from reports.documents.free_text import free_text_csv, free_text_xlsx
from reports.management.commands._export import (
    add_cycle_argument,
    add_output_arguments,
    add_questionnaire_argument,
    checked_format,
    questionnaire_from,
    write_output,
)
from reports.spreadsheets import SpreadsheetError
from surveys.models import Question, Questionnaire
from surveys.selectors.free_text import free_text_answers, free_text_questions

FORMATS = ("csv", "csv-excel", "xlsx")
# Questionnaires answered by municipalities, which belong to an RSS area.
AREA_AUDIENCES = (Questionnaire.Audience.MUNICIPALITY, Questionnaire.Audience.EXTRA)


def question_from(questionnaire: Questionnaire, code: str) -> Question:
    """The free-text question with the code; CommandError listing the codes there are."""
    questions = free_text_questions(questionnaire)
    found = next((q for q in questions if q.code == code.strip()), None)
    if found is not None:
        return found
    codes = ", ".join(q.code for q in questions)
    if questionnaire.questions.filter(code=code.strip()).exists():
        reason = f"Fråga {code} i ”{questionnaire.title}” är inte en fritextfråga"
    else:
        reason = f"Frågan ”{code}” finns inte i ”{questionnaire.title}”"
    raise CommandError(f"{reason}; fritextfrågorna är {codes}.")


def area_from(questionnaire: Questionnaire, code: str) -> Organisation:
    """The RSS with the code, for a questionnaire the municipalities answer."""
    if questionnaire.audience not in AREA_AUDIENCES:
        raise CommandError(
            "--area gäller enkäterna till kommunerna (municipality, extra), inte "
            f"”{questionnaire.audience}”."
        )
    area = Organisation.objects.filter(
        kind=Organisation.Kind.RSS, code=code.strip()
    ).first()
    if area is None:
        codes = Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by("code")
        raise CommandError(
            f"Området ”{code}” finns inte; ange en RSS-kod: "
            + ", ".join(codes.values_list("code", flat=True))
            + "."
        )
    return area


class Command(BaseCommand):
    help = (
        "Write the free-text answers of a questionnaire, one row per answer (drafts "
        "too: see the status column): question,item,organisation,county,rss,status,"
        "answer, the text in full. --question and --area (an RSS code) narrow it. "
        "csv/csv-excel or xlsx."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_cycle_argument(parser)
        add_questionnaire_argument(parser)
        parser.add_argument("--question", help="a free-text question's code, e.g. K05")
        parser.add_argument("--area", help="an RSS area's code, e.g. RSS-01")
        add_output_arguments(parser, formats=FORMATS, default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = checked_format(options, formats=FORMATS, command="export_free_text")
        questionnaire = questionnaire_from(
            year=options["cycle"], key=options["questionnaire"]
        )
        question = (
            question_from(questionnaire, options["question"])
            if options["question"]
            else None
        )
        area = area_from(questionnaire, options["area"]) if options["area"] else None
        answers = free_text_answers(
            questionnaire=questionnaire,
            questions=[question] if question is not None else None,
            organisations=(
                Organisation.objects.filter(rss=area) if area is not None else None
            ),
        )
        if fmt == "xlsx":
            title = [questionnaire.title]
            if question is not None:
                title.append(f"{question.code}. {question.text}")
            if area is not None:
                title.append(area.name)
            try:
                data = free_text_xlsx(answers, title=title)
            except SpreadsheetError as exc:
                raise CommandError(str(exc)) from exc
        else:
            data = free_text_csv(answers, excel=fmt == "csv-excel")
        write_output(self, options["output"], data, fmt)
