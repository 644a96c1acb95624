"""The free-text reads: every answer with who gave it, an area's list, a summary's state."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, Response
from surveys.selectors.free_text import (
    NO_ANSWER,
    area_free_text,
    free_text_answers,
    free_text_questions,
    summary_status,
)
from surveys.services import (
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from tests.factories import UserFactory
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BLEKINGE = ["1060", "1080", "1081", "1082", "1083"]


def _response(questionnaire, code: str) -> Response:
    return response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )


def _save(response: Response, values: dict, *, paper: bool = False) -> Response:
    response.refresh_from_db()
    return response_save_answers(
        response=response,
        values={key: Value(text=text) for key, text in values.items()},
        by=UserFactory(),
        version=response.version,
        source=AnswerChange.Source.PAPER if paper else AnswerChange.Source.WEB,
    )


def _submitted(questionnaire, code: str, values: dict) -> Response:
    user = UserFactory()
    response = fill_response(
        _response(questionnaire, code),
        by=user,
        overrides={k: Value(text=v) for k, v in values.items()},
    )
    return response_submit(response=response, by=user, version=response.version)


def test_free_text_questions_leave_out_the_contact_details(cycle_2024):
    codes = [q.code for q in free_text_questions(cycle_2024["municipality"])]

    assert codes[:3] == ["K01b", "K02", "K03"]
    assert "K05" in codes and "K18" in codes
    assert "kontakt" not in codes


def test_free_text_answers_carry_organisation_county_rss_status_and_source(
    cycle_2024,
):
    municipal = cycle_2024["municipality"]
    _submitted(municipal, "1080", {("K02", ""): "Mobila team i hela kommunen"})
    _save(
        _response(municipal, "1081"),
        {("K02", ""): "Utkast om hemsjukvård"},
        paper=True,
    )
    k02 = municipal.questions.get(code="K02")

    answers = free_text_answers(questionnaire=municipal, questions=[k02])

    assert [
        (a.organisation_code, a.organisation, a.county, a.rss, a.status, a.source)
        for a in answers
    ] == [
        (
            "1080",
            "Karlskrona",
            "Blekinge län",
            "RSS Blekinge län",
            "submitted",
            "web",
        ),
        ("1081", "Ronneby", "Blekinge län", "RSS Blekinge län", "draft", "paper"),
    ]
    assert answers[0].text == "Mobila team i hela kommunen"
    assert answers[1].is_paper and not answers[1].is_submitted


def test_free_text_answers_keep_the_items_in_the_question_order(cycle_2024):
    municipal = cycle_2024["municipality"]
    _save(
        _response(municipal, "1060"),
        {
            ("K05", "personer med funktionsnedsättning"): "D",
            ("K05", "barn och unga"): "A",
        },
    )

    answers = free_text_answers(
        questionnaire=municipal, questions=[municipal.questions.get(code="K05")]
    )

    assert [(a.item, a.text) for a in answers] == [
        ("barn och unga", "A"),
        ("personer med funktionsnedsättning", "D"),
    ]


def test_free_text_answers_narrow_to_organisations_and_submitted(cycle_2024):
    municipal = cycle_2024["municipality"]
    _submitted(municipal, "1080", {("K02", ""): "Blekinge"})
    _submitted(municipal, "0114", {("K02", ""): "Stockholm"})
    _save(_response(municipal, "1081"), {("K02", ""): "Utkast"})
    k02 = municipal.questions.get(code="K02")
    blekinge = Organisation.objects.filter(rss__code="RSS-10")

    in_area = free_text_answers(
        questionnaire=municipal, questions=[k02], organisations=blekinge
    )
    submitted = free_text_answers(
        questionnaire=municipal,
        questions=[k02],
        organisations=blekinge,
        submitted_only=True,
    )

    assert [a.text for a in in_area] == ["Blekinge", "Utkast"]
    assert [a.text for a in submitted] == ["Blekinge"]


def test_area_lists_every_municipality_and_those_without_an_answer(cycle_2024):
    municipal = cycle_2024["municipality"]
    _submitted(municipal, "1080", {("K02", ""): "Svar"})
    _save(_response(municipal, "1082"), {("K03", ""): "Bara K03"})

    rows = area_free_text(
        question=municipal.questions.get(code="K02"),
        rss=Organisation.objects.get(code="RSS-10"),
    )

    assert [r.organisation.code for r in rows] == BLEKINGE
    assert [r.status for r in rows] == [
        NO_ANSWER,
        "submitted",
        NO_ANSWER,
        NO_ANSWER,
        NO_ANSWER,
    ]
    # Karlshamn has a draft, but no answer to K02.
    assert rows[3].response_status == "draft"


def test_summary_counts_the_area_answers_and_those_new_since_it_was_saved(
    cycle_2024, time_machine
):
    municipal, rss_questionnaire = cycle_2024["municipality"], cycle_2024["rss"]
    summary = rss_questionnaire.questions.get(code="S05-K02")
    time_machine.move_to(
        datetime.datetime(2025, 2, 3, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    _submitted(municipal, "1080", {("K02", ""): "Före"})
    _save(_response(municipal, "1081"), {("K02", ""): "Utkast före"})
    rss = _response(rss_questionnaire, "RSS-10")

    before = summary_status(response=rss, summary=summary)
    assert before is not None
    assert (before.municipalities, before.submitted, before.drafts) == (5, 1, 1)
    assert before.saved_at is None and before.new_since_saved == 0

    time_machine.move_to(
        datetime.datetime(2025, 2, 4, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    _save(rss, {("S05-K02", ""): "Kommunerna beskriver mobila team."})
    time_machine.move_to(
        datetime.datetime(2025, 2, 5, 10, 0, tzinfo=STOCKHOLM), tick=False
    )
    _submitted(municipal, "1082", {("K02", ""): "Efter"})
    _save(_response(municipal, "1081"), {("K02", ""): "Utkast ändrat efter"})

    after = summary_status(response=rss, summary=summary)
    assert after is not None
    assert (after.submitted, after.drafts, after.answered) == (2, 1, 3)
    assert after.new_since_saved == 2
    assert after.saved_at == datetime.datetime(2025, 2, 4, 10, 0, tzinfo=STOCKHOLM)


def test_a_question_that_summarises_nothing_has_no_summary_status(cycle_2024):
    rss = _response(cycle_2024["rss"], "RSS-10")

    assert (
        summary_status(
            response=rss, summary=cycle_2024["rss"].questions.get(code="S01")
        )
        is None
    )
