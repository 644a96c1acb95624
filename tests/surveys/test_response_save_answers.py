from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from surveys.answers import Value
from surveys.models import Answer, AnswerChange, QuestionType, Response
from surveys.services import (
    ResponseLockedError,
    StaleResponseError,
    answers_map,
    response_save_answers,
)
from tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIXED_CONTACTS = ["Personal", "Patienter"]


@pytest.fixture
def response():
    """A draft response to a questionnaire with 29, its follow-up 29b, 35 and a matrix 13."""
    section = SectionFactory(position=1)
    QuestionFactory(section=section, position=1, code="29", type=QuestionType.YES_NO)
    QuestionFactory(
        section=section,
        position=2,
        code="29b",
        type=QuestionType.MULTIPLE_CHOICE,
        items=FIXED_CONTACTS,
        show_if={"question": "29", "equals": "Ja"},
    )
    QuestionFactory(
        section=section,
        position=3,
        code="35",
        type=QuestionType.PERCENTAGE,
        validation={"min": 0, "max": 100},
    )
    QuestionFactory(
        section=section,
        position=4,
        code="13",
        type=QuestionType.MATRIX,
        options=["Ja", "Delvis", "Nej"],
        items=["Hemmet", "Utskrivning"],
    )
    return ResponseFactory(questionnaire=section.questionnaire)


@pytest.fixture
def user():
    return UserFactory(username="anna@regionstockholm.se")


def save(response, values, by, version=None):
    response.refresh_from_db()
    return response_save_answers(
        response=response,
        values=values,
        by=by,
        version=response.version if version is None else version,
    )


def changes(response) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (c.question.code, c.item, c.old_value, c.new_value)
        for c in AnswerChange.objects.filter(response=response).order_by("id")
    ]


def test_saving_creates_answers_and_audits_them_with_who(response, user):
    saved = save(
        response,
        {
            ("29", ""): Value(text="Ja"),
            ("35", ""): Value(number=72),
            ("13", "Hemmet"): Value(text="Delvis"),
        },
        user,
    )

    assert answers_map(saved) == {
        ("29", ""): Value(text="Ja"),
        ("35", ""): Value(number=72),
        ("13", "Hemmet"): Value(text="Delvis"),
    }
    assert changes(response) == [
        ("29", "", None, "Ja"),
        ("35", "", None, "72 %"),
        ("13", "Hemmet", None, "Delvis"),
    ]
    assert set(AnswerChange.objects.values_list("changed_by", flat=True)) == {user.pk}
    assert set(AnswerChange.objects.values_list("source", flat=True)) == {"web"}
    assert saved.version == 2
    assert saved.updated_by == user


def test_saving_updates_an_answer_and_audits_old_and_new_value(response, user):
    colleague = UserFactory(username="bo@regionstockholm.se")
    save(response, {("35", ""): Value(number=72)}, user)

    save(response, {("35", ""): Value(cannot_estimate=True)}, colleague)

    assert Answer.objects.get(response=response).cannot_estimate
    assert Answer.objects.get(response=response).number is None
    latest = AnswerChange.objects.filter(response=response).latest("id")
    assert (latest.old_value, latest.new_value) == (
        "72 %",
        "Andelen kan inte uppskattas",
    )
    assert latest.changed_by == colleague


def test_updating_an_answer_moves_its_updated_at(response, user):
    with time_machine.travel(
        datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        save(response, {("35", ""): Value(number=72)}, user)
    with time_machine.travel(
        datetime.datetime(2025, 1, 12, 15, 0, tzinfo=datetime.UTC), tick=False
    ):
        save(response, {("35", ""): Value(number=73)}, user)

    assert Answer.objects.get(response=response).updated_at == datetime.datetime(
        2025, 1, 12, 15, 0, tzinfo=datetime.UTC
    )


def test_saving_none_deletes_the_answer_and_audits_it(response, user):
    save(response, {("13", "Hemmet"): Value(text="Ja")}, user)

    save(response, {("13", "Hemmet"): None}, user)

    assert not Answer.objects.filter(response=response).exists()
    assert changes(response)[-1] == ("13", "Hemmet", "Ja", None)


def test_saving_an_unchanged_value_writes_no_audit_entry(response, user):
    save(response, {("29", ""): Value(text="Nej")}, user)

    saved = save(response, {("29", ""): Value(text="Nej"), ("35", ""): None}, user)

    assert len(changes(response)) == 1
    assert saved.version == 3


def test_a_save_based_on_an_older_version_is_refused_and_writes_nothing(response, user):
    colleague = UserFactory(username="bo@regionstockholm.se")
    opened_at = response.version
    save(response, {("29", ""): Value(text="Nej")}, colleague)
    before = changes(response)

    with pytest.raises(StaleResponseError) as caught:
        save(response, {("29", ""): Value(text="Ja")}, user, version=opened_at)

    assert caught.value.version == opened_at
    assert "bo@regionstockholm.se" in str(caught.value)
    assert answers_map(response) == {("29", ""): Value(text="Nej")}
    assert changes(response) == before
    response.refresh_from_db()
    assert response.version == opened_at + 1
    assert response.updated_by == colleague


def test_a_submitted_response_refuses_changes(response, user):
    save(response, {("29", ""): Value(text="Nej")}, user)
    Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)

    with pytest.raises(ResponseLockedError):
        save(response, {("29", ""): Value(text="Ja")}, user)

    assert answers_map(response) == {("29", ""): Value(text="Nej")}
    assert len(changes(response)) == 1


def test_an_answer_to_a_question_of_another_questionnaire_is_refused(response, user):
    other = QuestionFactory(
        section=SectionFactory(questionnaire=QuestionnaireFactory(audience="rss")),
        code="S02",
        type=QuestionType.YES_NO,
    )
    other_response = ResponseFactory(questionnaire=other.questionnaire)

    with pytest.raises(PermissionDenied):
        save(
            response,
            {("29", ""): Value(text="Ja"), ("S02", ""): Value(text="Ja")},
            user,
        )

    assert not Answer.objects.exists()
    assert not AnswerChange.objects.exists()
    response.refresh_from_db()
    assert response.version == 1
    assert not other_response.answers.exists()


@pytest.mark.parametrize(
    "key",
    [("13", "Sjukhuset"), ("29", "Hemmet"), ("29b", ""), ("35", "x")],
    ids=["unknown row", "item on a plain question", "whole multiple choice", "item"],
)
def test_an_unknown_item_is_refused_and_nothing_is_written(response, user, key):
    with pytest.raises(PermissionDenied):
        save(response, {("35", ""): Value(number=10), key: Value(text="Ja")}, user)

    assert not Answer.objects.exists()
    assert not AnswerChange.objects.exists()


def test_changing_29_from_ja_to_nej_clears_the_follow_up_and_audits_it(response, user):
    save(
        response,
        {
            ("29", ""): Value(text="Ja"),
            ("29b", "Personal"): Value(text="Ja"),
            ("29b", "Patienter"): Value(text=""),
        },
        user,
    )
    colleague = UserFactory(username="bo@regionstockholm.se")

    save(response, {("29", ""): Value(text="Nej")}, colleague)

    assert answers_map(response) == {("29", ""): Value(text="Nej")}
    cleared = AnswerChange.objects.filter(response=response, question__code="29b")
    assert sorted(
        (c.item, c.old_value, c.new_value, c.changed_by)
        for c in cleared.filter(new_value=None)
    ) == [("Patienter", ".", None, colleague), ("Personal", "Ja", None, colleague)]


def test_a_follow_up_sent_with_a_hidden_condition_is_not_stored(response, user):
    save(
        response,
        {("29", ""): Value(text="Nej"), ("29b", "Personal"): Value(text="Ja")},
        user,
    )

    assert answers_map(response) == {("29", ""): Value(text="Nej")}
    assert changes(response) == [("29", "", None, "Nej")]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {("35", ""): Value(number=150)},
            "fråga 35: Ange en andel mellan 0 och 100, till exempel 45.",
        ),
        ({("35", ""): Value(number=2**63)}, "fråga 35: Ange en andel mellan"),
        (
            {("29", ""): Value(text="Kanske")},
            "fråga 29: Välj ett av svarsalternativen: Ja / Nej.",
        ),
        (
            {("13", "Hemmet"): Value(text="Ja\x00")},
            "fråga 13, delområde ”Hemmet”:",
        ),
    ],
)
def test_a_value_that_does_not_fit_its_question_is_refused_by_the_service(
    response, user, values, message
):
    """The one service that writes answers checks every value, whatever its caller."""
    with pytest.raises(ValidationError) as excinfo:
        save(response, values, user)

    assert any(m.startswith(message) for m in excinfo.value.messages)
    assert not Answer.objects.filter(response=response).exists()
    response.refresh_from_db()
    assert response.version == 1


def test_a_save_entered_from_paper_marks_the_response_as_a_paper_response(
    response, user
):
    saved = response_save_answers(
        response=response,
        values={("29", ""): Value(text="Ja")},
        by=user,
        version=response.version,
        source=AnswerChange.Source.PAPER,
    )

    assert saved.source == Response.Source.PAPER
    assert set(AnswerChange.objects.values_list("source", flat=True)) == {"paper"}


def test_a_web_save_leaves_the_response_a_web_response(response, user):
    assert save(response, {("29", ""): Value(text="Ja")}, user).source == "web"


def test_an_exclusive_alternative_with_another_is_refused_whichever_save_sends_it():
    section = SectionFactory(position=1)
    QuestionFactory(
        section=section,
        position=1,
        code="23",
        type=QuestionType.MULTIPLE_CHOICE,
        items=["hembesöksprogram", "Inget av ovanstående"],
        validation={"exclusive": ["Inget av ovanstående"]},
    )
    response = ResponseFactory(questionnaire=section.questionnaire)
    response = response_save_answers(
        response=response,
        values={("23", "Inget av ovanstående"): Value(text="Ja")},
        by=None,
        version=response.version,
    )

    # A later save that ticks another alternative beside the stored one is refused.
    with pytest.raises(ValidationError) as excinfo:
        response_save_answers(
            response=response,
            values={("23", "hembesöksprogram"): Value(text="Ja")},
            by=None,
            version=response.version,
        )

    assert (
        "fråga 23: ”Inget av ovanstående” kan inte markeras"
        in (excinfo.value.message_dict["23"][0])
    )
    assert answers_map(response) == {("23", "Inget av ovanstående"): Value(text="Ja")}
    # Unticking it in the same save is fine.
    response_save_answers(
        response=response,
        values={
            ("23", "hembesöksprogram"): Value(text="Ja"),
            ("23", "Inget av ovanstående"): None,
        },
        by=None,
        version=response.version,
    )
    assert answers_map(response) == {("23", "hembesöksprogram"): Value(text="Ja")}
