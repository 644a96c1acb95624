from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    QuestionnaireEvent,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.services import (
    ResponseLockedError,
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from surveys.services.imports import responses_import
from surveys.services.transitions import (
    questionnaire_lock,
    questionnaire_unlock,
    response_reopen,
)
from surveys.signals import responses_changed
from tests.factories import QuestionFactory, SectionFactory, UserFactory
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def questionnaire(national_frame):
    section = SectionFactory(questionnaire__key="region", position=1)
    QuestionFactory(section=section, position=1, code="1", type=QuestionType.YES_NO)
    QuestionFactory(section=section, position=2, code="2", type=QuestionType.FREE_TEXT)
    return section.questionnaire


@pytest.fixture
def submitted(questionnaire, region_respondent):
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="01")
    )
    fill_response(response, by=region_respondent)
    response.refresh_from_db()
    with time_machine.travel(SUBMITTED_AT, tick=False):
        return response_submit(
            response=response, by=region_respondent, version=response.version
        )


@pytest.fixture
def announced():
    """The reasons of responses_changed sent (after commit)."""
    reasons: list[str] = []

    def receiver(sender, questionnaire_id, reason, **kwargs):
        reasons.append(reason)

    responses_changed.connect(receiver, weak=False)
    yield reasons
    responses_changed.disconnect(receiver)


def test_submitting_records_a_submitted_event(submitted, region_respondent):
    event = submitted.events.get()

    assert (event.kind, event.by, event.at) == (
        ResponseEvent.Kind.SUBMITTED,
        region_respondent,
        SUBMITTED_AT,
    )


def test_reopening_with_a_reason_makes_the_response_a_draft_again(
    submitted, staff, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reopened = response_reopen(
            response=submitted, by=staff, reason="Fel siffra i fråga 36."
        )

    assert reopened.status == Response.Status.DRAFT
    assert reopened.submitted_at is None
    assert reopened.version == submitted.version + 1
    event = reopened.events.filter(kind=ResponseEvent.Kind.REOPENED).get()
    assert (event.reason, event.by, event.submitted_at) == (
        "Fel siffra i fråga 36.",
        staff,
        SUBMITTED_AT,
    )
    assert announced == ["reopen"]


def test_a_reopened_response_can_be_changed_and_submitted_again(
    submitted, staff, region_respondent
):
    reopened = response_reopen(response=submitted, by=staff, reason="Komplettering")

    saved = response_save_answers(
        response=reopened,
        values={("1", ""): Value(text="Nej")},
        by=region_respondent,
        version=reopened.version,
    )
    again = response_submit(response=saved, by=region_respondent, version=saved.version)

    assert again.status == Response.Status.SUBMITTED
    assert (
        list(again.events.values_list("kind", flat=True))
        == [
            "submitted",
            "reopened",
            "submitted",
        ][::-1]
    )


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_reopening_without_a_reason_is_refused(submitted, staff, reason):
    with translation.override("sv"), pytest.raises(ValidationError) as caught:
        response_reopen(response=submitted, by=staff, reason=reason)

    assert caught.value.message_dict == {"reason": ["Ange ett skäl"]}
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.SUBMITTED
    assert not submitted.events.filter(kind=ResponseEvent.Kind.REOPENED).exists()


def test_only_staff_may_reopen(submitted, region_respondent):
    with pytest.raises(PermissionDenied):
        response_reopen(response=submitted, by=region_respondent, reason="Fel")

    submitted.refresh_from_db()
    assert submitted.status == Response.Status.SUBMITTED


def test_a_draft_cannot_be_reopened(questionnaire, staff):
    draft = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="01")
    )

    with pytest.raises(ValidationError):
        response_reopen(response=draft, by=staff, reason="Fel")


def test_locking_records_an_event_and_refuses_every_change(submitted, staff):
    draft = response_get_or_create(
        questionnaire=submitted.questionnaire,
        organisation=Organisation.objects.get(code="03"),
    )

    locked = questionnaire_lock(questionnaire=submitted.questionnaire, by=staff)

    assert locked.locked_at is not None
    assert locked.events.get().kind == QuestionnaireEvent.Kind.LOCKED
    with pytest.raises(ResponseLockedError):
        response_save_answers(
            response=draft,
            values={("1", ""): Value(text="Ja")},
            by=staff,
            version=draft.version,
        )
    with pytest.raises(ValidationError):
        response_reopen(response=submitted, by=staff, reason="Fel")
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.SUBMITTED


def test_unlocking_records_the_reason_and_allows_changes_again(questionnaire, staff):
    questionnaire_lock(questionnaire=questionnaire, by=staff)

    unlocked = questionnaire_unlock(
        questionnaire=questionnaire, by=staff, reason="En region fick förlängt."
    )

    assert unlocked.locked_at is None
    assert list(unlocked.events.values_list("kind", "detail")) == [
        ("unlocked", "En region fick förlängt."),
        ("locked", ""),
    ]
    draft = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="01")
    )
    response_save_answers(
        response=draft, values={("1", ""): Value(text="Ja")}, by=staff, version=1
    )


def test_locking_twice_or_unlocking_an_open_questionnaire_is_refused(
    questionnaire, staff
):
    with pytest.raises(ValidationError):
        questionnaire_unlock(questionnaire=questionnaire, by=staff)
    questionnaire_lock(questionnaire=questionnaire, by=staff)
    with pytest.raises(ValidationError):
        questionnaire_lock(questionnaire=questionnaire, by=staff)

    assert questionnaire.events.count() == 1


def test_only_staff_may_lock(questionnaire):
    with pytest.raises(PermissionDenied):
        questionnaire_lock(questionnaire=questionnaire, by=UserFactory())

    questionnaire.refresh_from_db()
    assert questionnaire.locked_at is None


def test_the_import_records_an_imported_event_per_response(questionnaire, staff):
    data = "organisation,question,item,answer\n01,1,,Ja\n03,1,,Nej\n03,2,,Text\n"

    responses_import(questionnaire=questionnaire, file=data, by=staff, draft=True)

    events = ResponseEvent.objects.order_by("response__organisation__code")
    assert [(e.response.organisation.code, e.kind, e.by) for e in events] == [
        ("01", "imported", staff),
        ("03", "imported", staff),
    ]


def test_the_import_honours_the_lock(questionnaire, staff):
    questionnaire_lock(questionnaire=questionnaire, by=staff)

    with pytest.raises(ResponseLockedError):
        responses_import(
            questionnaire=questionnaire,
            file="organisation,question,item,answer\n01,1,,Ja\n",
            by=staff,
        )

    assert not ResponseEvent.objects.exists()
