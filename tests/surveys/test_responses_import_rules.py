"""The import applies the web form's rules: bounds, text, frame, RSS counts, submitted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    Answer,
    AnswerChange,
    Questionnaire,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.services import response_get_or_create, response_submit
from surveys.services.imports import import_plan, responses_import
from tests.surveys.helpers import fill_response, send_to_chosen_set

pytestmark = pytest.mark.django_db

HEADER = "organisation,question,item,answer\r\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\r\n" for row in rows)).encode()


def _refused(questionnaire: Questionnaire, data: bytes) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        responses_import(questionnaire=questionnaire, file=data, by=None)
    assert not Answer.objects.exists()
    return excinfo.value.messages


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


@pytest.fixture
def stockholm_submitted(region, region_respondent) -> Response:
    """Region Stockholm's complete response, submitted on the web with 9 = Nej."""
    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    filled = fill_response(
        response, by=region_respondent, overrides={("9", ""): Value(text="Nej")}
    )
    return response_submit(response=filled, by=region_respondent, version=None)


def _answer(response: Response, code: str, item: str = "") -> Value | None:
    answer = Answer.objects.filter(
        response=response, question__code=code, item=item
    ).first()
    return None if answer is None else Value(answer.text, answer.number)


# Numbers and text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("100000000000000000000", "Ange ett antal som är högst 1 000 000 000 000."),
        ("9223372036854775808", "Ange ett antal som är högst 1 000 000 000 000."),
        ("-1", "Ange ett antal som är 0 eller mer."),
        ("٣٣", "Ange antalet med siffror, till exempel 12 500."),
    ],
)
def test_a_number_out_of_bounds_is_a_row_error_not_a_crash(region, raw, message):
    messages = _refused(region, _csv(f"01,36,,{raw}"))

    assert len(messages) == 1
    assert messages[0].startswith(f"Rad 2: fråga ”36”, svaret ”{raw}”: {message}")


def test_free_text_longer_than_the_default_is_a_row_error(region):
    messages = _refused(region, _csv("01,9,,Ja", "01,9b,," + "x" * 10_001))

    assert messages == [
        "Rad 3: fråga ”9b”, svaret ”" + "x" * 39 + "…”: Korta texten till högst "
        "10 000 tecken (den har 10 001 nu)."
    ]


def test_a_nul_after_the_first_4_kb_is_refused_with_its_row_and_column(region):
    filler = [f"{code},2,,Ja" for code in ("01", "03", "04", "05")]
    long_text = "Mobila team " * 400  # the NUL lands well after 4 096 bytes
    data = _csv(*filler, f'01,9b,,"{long_text}\x00mer"', "01,9,,Ja")
    assert data.index(b"\x00") > 4096

    messages = _refused(region, data)

    assert messages == [
        "Rad 6, kolumn answer: Texten innehåller ett otillåtet styrtecken (NUL) vid "
        "tecken 4801. Ta bort det och försök igen."
    ]


def test_a_control_character_in_another_column_names_that_column(region):
    messages = _refused(region, _csv("01\x07,2,,Ja"))

    assert messages[0].startswith("Rad 2, kolumn organisation: ")
    assert "(U+0007)" in messages[0]


# The frame of an invited-only questionnaire


def test_an_organisation_not_invited_to_a_chosen_set_is_refused_per_row(cycle_2024):
    extra = cycle_2024["extra"]
    send_to_chosen_set(extra, "0380")
    question = extra.questions.order_by("position").first()

    messages = _refused(
        extra, _csv(f"0380,{question.code},,Svar", f"0114,{question.code},,Svar")
    )

    assert messages == [
        "Rad 3: Upplands Väsby (0114) är inte bland de organisationer som enkäten "
        f"”{extra.title}” skickats till"
    ]


# RSS counts


def test_rss_counts_above_the_areas_municipalities_are_refused(cycle_2024):
    rss = cycle_2024["rss"]
    organisation = Organisation.objects.get(code="RSS-03")
    area = organisation.municipalities.count()
    question = (
        rss.questions.filter(type=QuestionType.COUNT_PER_OPTION)
        .order_by("position")
        .first()
    )
    label = question.cells[0]["label"]

    messages = _refused(rss, _csv(f'RSS-03,{question.code},"{label}",500'))

    assert messages == [
        f"Rad 2: RSS Uppsala län (RSS-03), fråga {question.code}: {label}: ange "
        f"högst {area}, så många kommuner som finns i området (inte 500)."
    ]


# Submitted responses


def test_an_import_refuses_to_change_a_submitted_response_even_as_draft(
    region, stockholm_submitted, staff
):
    before = (stockholm_submitted.version, Answer.objects.count())

    report = responses_import(
        questionnaire=region,
        file=_csv("01,9,,Ja", "03,2,,Ja"),
        by=staff,
        draft=True,
    )

    stockholm_submitted.refresh_from_db()
    assert stockholm_submitted.status == Response.Status.SUBMITTED
    assert (stockholm_submitted.version, Answer.objects.count() - 1) == before
    assert _answer(stockholm_submitted, "9") == Value(text="Nej")
    assert [c.describe() for c in report.refused] == [
        "Rad 2: Region Stockholm (01), fråga 9: ”Nej” → ”Ja”"
    ]
    assert report.status_line() == (
        "Inskickade: 1, utkast: 1, oförändrade: 1, avvisade rader: 1, rensade svar: 0."
    )
    assert not AnswerChange.objects.filter(
        response=stockholm_submitted, source=AnswerChange.Source.IMPORT
    ).exists()


def test_rows_that_change_nothing_in_a_submitted_response_are_not_refused(
    region, stockholm_submitted, staff
):
    report = responses_import(questionnaire=region, file=_csv("01,9,,Nej"), by=staff)

    assert report.refused == []
    assert (report.submitted, report.unchanged) == (1, 1)
    assert not ResponseEvent.objects.filter(
        response=stockholm_submitted, kind=ResponseEvent.Kind.IMPORTED
    ).exists()


def test_confirmed_replacement_is_audited_and_an_incomplete_response_goes_to_draft(
    region, stockholm_submitted, staff
):
    report = responses_import(
        questionnaire=region,
        file=_csv("01,9,,Ja"),
        by=staff,
        replace_submitted=True,
    )

    stockholm_submitted.refresh_from_db()
    assert _answer(stockholm_submitted, "9") == Value(text="Ja")
    change = AnswerChange.objects.get(
        response=stockholm_submitted, source=AnswerChange.Source.IMPORT
    )
    assert (change.old_value, change.new_value, change.changed_by) == (
        "Nej",
        "Ja",
        staff,
    )
    # 9b (required) is shown now and has no answer: no longer submitted.
    assert stockholm_submitted.status == Response.Status.DRAFT
    assert stockholm_submitted.submitted_at is None
    event = ResponseEvent.objects.get(
        response=stockholm_submitted, kind=ResponseEvent.Kind.REOPENED
    )
    assert event.reason == "importen lämnade obligatoriska frågor obesvarade: 9b."
    assert event.by == staff
    assert (report.submitted, report.drafts, report.replaced) == (0, 1, 1)
    assert report.returned_to_draft == [
        (stockholm_submitted.organisation, event.reason)
    ]


def test_confirmed_replacement_that_stays_complete_stays_submitted(
    region, stockholm_submitted, staff
):
    report = responses_import(
        questionnaire=region,
        file=_csv("01,9,,Ja", "01,9b,,Koladas mått"),
        by=staff,
        replace_submitted=True,
    )

    stockholm_submitted.refresh_from_db()
    assert stockholm_submitted.status == Response.Status.SUBMITTED
    assert (report.submitted, report.drafts, report.replaced) == (1, 0, 2)


def test_confirmed_replacement_with_draft_ticked_puts_the_response_back_to_draft(
    region, stockholm_submitted, staff
):
    responses_import(
        questionnaire=region,
        file=_csv("01,9,,Ja", "01,9b,,Koladas mått"),
        by=staff,
        draft=True,
        replace_submitted=True,
    )

    stockholm_submitted.refresh_from_db()
    assert stockholm_submitted.status == Response.Status.DRAFT
    assert ResponseEvent.objects.filter(
        response=stockholm_submitted, kind=ResponseEvent.Kind.REOPENED
    ).exists()


def test_the_plan_lists_changes_and_those_in_submitted_responses(
    region, stockholm_submitted
):
    plan = import_plan(
        questionnaire=region, file=_csv("01,9,,Ja", "01,2,,Ja", "03,2,,Ja")
    )

    assert plan.preview_line() == "2 svar ändras, 1 av dem i inskickade svar."
    assert [c.describe() for c in plan.submitted_changes] == [
        "Rad 2: Region Stockholm (01), fråga 9: ”Nej” → ”Ja”"
    ]
    assert not ResponseEvent.objects.filter(kind=ResponseEvent.Kind.IMPORTED).exists()


def test_the_frame_is_read_once_however_many_rows_the_file_has(cycle_2024):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    extra = cycle_2024["extra"]
    send_to_chosen_set(extra, "0380")
    code = extra.questions.order_by("position").first().code
    outside = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .exclude(code="0380")
        .order_by("code")
        .values_list("code", flat=True)[:20]
    )

    def queries(codes: list[str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            _refused(extra, _csv(*(f"{c},{code},,Svar" for c in codes)))
        return len(captured)

    assert queries(outside[:20]) == queries(outside[:2])


# Alternatives that exclude each other


def test_inget_av_ovanstaende_ticked_with_another_alternative_is_a_row_error(region):
    messages = _refused(
        region,
        _csv("01,23,riktade hälsosamtal,Ja", "01,23,Inget av ovanstående,Ja"),
    )

    assert messages == [
        "Rad 2: Region Stockholm (01), fråga 23: ”Inget av ovanstående” kan inte "
        "markeras tillsammans med andra alternativ. Avmarkera antingen ”Inget av "
        "ovanstående” eller de andra."
    ]


def test_inget_av_ovanstaende_alone_is_imported(region):
    report = responses_import(
        questionnaire=region,
        file=_csv("01,23,Inget av ovanstående,Ja", "01,23,hembesöksprogram,"),
        by=None,
    )

    assert report.organisations == 1
    response = Response.objects.get(questionnaire=region, organisation__code="01")
    assert _answer(response, "23", "Inget av ovanstående") == Value(text="Ja")
    assert _answer(response, "23", "hembesöksprogram") in (None, Value(text=""))
