from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Answer, Question, QuestionType, Response
from surveys.services import (
    StaleResponseError,
    response_check,
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from tests.factories import (
    QuestionFactory,
    ResponseFactory,
    SectionFactory,
    UserFactory,
)
from tests.surveys.helpers import complete_values, fill_response, tr

pytestmark = pytest.mark.django_db

ADD_UP = (
    "%(where)sthe counts add up to %(total)s but can be at most "
    "%(area)s together, the number of municipalities in the area. "
    "Correct the counts."
)
SUBMITTED_AT = datetime.datetime(2025, 3, 14, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture
def user():
    return UserFactory(username="anna@regionstockholm.se")


@pytest.fixture
def gotland_rss_response(cycle_2024):
    """The response of RSS Gotland, whose area is the one municipality Gotland."""
    return response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-09"),
    )


def test_an_incomplete_response_is_refused_with_every_missing_question(
    region_response, user
):
    with pytest.raises(ValidationError) as caught:
        response_submit(
            response=region_response, by=user, version=region_response.version
        )

    unconditional = [
        q.code
        for q in region_response.questionnaire.questions.order_by("position")
        if not q.show_if
    ]
    assert list(caught.value.message_dict) == unconditional
    assert "29b" not in caught.value.message_dict
    region_response.refresh_from_db()
    assert region_response.status == Response.Status.DRAFT
    assert region_response.submitted_at is None


def test_the_refusal_names_the_missing_rows_of_a_partly_answered_question(user):
    section = SectionFactory()
    matrix = QuestionFactory(
        section=section,
        code="13",
        type=QuestionType.MATRIX,
        options=["Ja", "Delvis", "Nej"],
        items=["Hemmet", "Utskrivning", "Sjukhus"],
    )
    ticks = QuestionFactory(
        section=section,
        code="34",
        type=QuestionType.MULTIPLE_CHOICE,
        items=["Via 1177.se", "På annat sätt"],
    )
    QuestionFactory(section=section, code="kommentar", required=False)
    response = ResponseFactory(questionnaire=section.questionnaire)
    response.answers.create(question=matrix, item="Utskrivning", text="Ja")

    with pytest.raises(ValidationError) as caught:
        response_submit(response=response, by=user, version=None)

    assert caught.value.message_dict == {
        "13": ["Välj ett svar på varje rad. Svar saknas för ”Hemmet”, ”Sjukhus”."],
        "34": [tr("Tick at least one alternative.")],
    }
    response.answers.create(question=ticks, item="Via 1177.se", text="")
    assert "34" not in response_check(response=response)


def test_a_complete_response_is_submitted_by_the_user_at_the_time(
    region_response, user
):
    filled = fill_response(region_response, by=user)

    with time_machine.travel(SUBMITTED_AT, tick=False):
        submitted = response_submit(
            response=region_response, by=user, version=filled.version
        )

    assert submitted.status == Response.Status.SUBMITTED
    assert submitted.submitted_by == user
    assert submitted.submitted_at == SUBMITTED_AT
    assert submitted.version == filled.version + 1
    stored = Response.objects.get(pk=region_response.pk)
    assert stored.is_submitted
    assert stored.submitted_by == user


def test_a_hidden_follow_up_is_not_required(region_response, user):
    filled = fill_response(
        region_response, by=user, overrides={("29", ""): Value(text="Nej")}
    )
    assert not filled.answers.filter(question__code="29b").exists()

    submitted = response_submit(response=filled, by=user, version=filled.version)

    assert submitted.is_submitted


def test_a_shown_follow_up_is_required(region_response, user):
    filled = fill_response(
        region_response, by=user, overrides={("29", ""): Value(text="Ja")}
    )
    follow_up = filled.questionnaire.questions.get(code="29b")
    filled = response_save_answers(
        response=filled,
        values={("29b", item): None for item in follow_up.items},
        by=user,
        version=filled.version,
    )

    with pytest.raises(ValidationError) as caught:
        response_submit(response=filled, by=user, version=filled.version)

    assert caught.value.message_dict == {"29b": [tr("Tick at least one alternative.")]}


def test_a_submit_based_on_an_older_version_is_refused(region_response, user):
    filled = fill_response(region_response, by=user)

    with pytest.raises(StaleResponseError):
        response_submit(response=filled, by=user, version=filled.version - 1)

    filled.refresh_from_db()
    assert not filled.is_submitted


def test_submitting_a_submitted_response_changes_nothing(region_response, user):
    filled = fill_response(region_response, by=user)
    with time_machine.travel(SUBMITTED_AT, tick=False):
        first = response_submit(response=filled, by=user, version=filled.version)
    colleague = UserFactory(username="bo@regionstockholm.se")

    again = response_submit(response=filled, by=colleague, version=None)

    assert (again.submitted_by, again.submitted_at) == (user, SUBMITTED_AT)
    assert again.version == first.version


def test_a_count_above_the_areas_municipalities_is_an_error(gotland_rss_response, user):
    assert gotland_rss_response.organisation.municipalities.count() == 1
    filled = fill_response(
        gotland_rss_response,
        by=user,
        overrides={
            ("S03-K06", "Ja"): Value(number=2),
            ("S03-K06", "Nej"): Value(number=0),
        },
    )

    with pytest.raises(ValidationError) as caught:
        response_submit(response=filled, by=user, version=filled.version)

    assert caught.value.message_dict == {
        "S03-K06": [
            tr(
                "%(cell)s: enter at most %(area)s, the number of municipalities in the "
                "area (not %(n)s)."
            )
            % {"cell": "Ja", "n": 2, "area": 1},
            tr(ADD_UP) % {"where": "", "total": 2, "area": 1},
        ]
    }


def test_single_choice_counts_adding_up_above_the_area_are_an_error(
    gotland_rss_response, user
):
    filled = fill_response(
        gotland_rss_response,
        by=user,
        overrides={
            ("S03-K06", "Ja"): Value(number=1),
            ("S03-K06", "Nej"): Value(number=1),
        },
    )

    with pytest.raises(ValidationError) as caught:
        response_submit(response=filled, by=user, version=filled.version)

    assert caught.value.message_dict == {
        "S03-K06": [tr(ADD_UP) % {"where": "", "total": 2, "area": 1}]
    }


def test_matrix_counts_are_added_up_per_row(gotland_rss_response, user):
    question = gotland_rss_response.questionnaire.questions.get(code="S03-K04")
    first_row = question.cells[0]["item"]
    overrides = {(question.code, c["label"]): Value(number=1) for c in question.cells}

    filled = fill_response(gotland_rss_response, by=user, overrides=overrides)
    errors = response_check(response=filled)

    assert len(errors["S03-K04"]) == len(question.source.items)
    assert errors["S03-K04"][0] == tr(ADD_UP) % {
        "where": f"”{first_row}”: ",
        "total": 2,
        "area": 1,
    }


def test_ticked_alternatives_may_add_up_above_the_area(gotland_rss_response, user):
    question = gotland_rss_response.questionnaire.questions.get(code="S03-K01")
    overrides = {(question.code, c["label"]): Value(number=1) for c in question.cells}
    filled = fill_response(gotland_rss_response, by=user, overrides=overrides)

    submitted = response_submit(response=filled, by=user, version=filled.version)

    assert submitted.is_submitted
    assert submitted.submitted_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_submit_opens_its_own_transaction_when_called_outside_one(
    region_response, user
):
    """Callers outside a request (tasks, commands, a worker) need no transaction."""
    filled = fill_response(region_response, by=user)

    submitted = response_submit(
        response=region_response, by=user, version=filled.version
    )

    assert Response.objects.get(pk=submitted.pk).is_submitted


def test_submit_refuses_none_of_the_above_ticked_with_another_alternative(
    cycle_2024, user
):
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    none = "Inget av ovanstående"
    fill_response(
        response,
        by=user,
        overrides={
            ("23", "riktade hälsosamtal"): Value(text="Ja"),
            ("23", "hembesöksprogram"): Value(text=""),
            ("23", "övriga insatser"): Value(text=""),
        },
    )
    # Stored before the rule existed: every save path now refuses this combination.
    Answer.objects.update_or_create(
        response=response,
        question=Question.objects.get(questionnaire=response.questionnaire, code="23"),
        item=none,
        defaults={"text": "Ja"},
    )

    assert response_check(response=response) == {
        "23": [
            "”Inget av ovanstående” kan inte markeras tillsammans med andra "
            "alternativ. Avmarkera antingen ”Inget av ovanstående” eller de andra."
        ]
    }
    with pytest.raises(ValidationError):
        response_submit(response=response, by=user, version=None)


def test_a_required_multiple_choice_with_none_of_the_above_asks_for_a_tick(
    cycle_2024, user
):
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    values = {
        key: value
        for key, value in complete_values(response).items()
        if key[0] not in ("24", "24b")
    }
    response_save_answers(response=response, values=values, by=user, version=None)

    assert response_check(response=response) == {
        "24": ["Markera minst ett alternativ, eller ”Inget av ovanstående”."]
    }
