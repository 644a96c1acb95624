"""A database error in the middle of a save rolls back the whole save.

The save deletes, creates and updates answers, raises the version and writes the audit
log. When one of those writes fails after others went through, nothing of the save is
kept: answers, audit rows and version are as before.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Answer, AnswerChange, Response
from surveys.services import answers_map, response_get_or_create, response_save_answers
from tests.load.answers import plan_for, section_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(cycle_2024, region_respondent) -> Response:
    """Region Stockholm's draft with every question answered."""
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    plan = plan_for(
        questionnaire=response.questionnaire, organisation_code="01", seed=1
    )
    return response_save_answers(
        response=response, values=plan.expected, by=region_respondent, version=1
    )


def snapshot(response: Response) -> tuple:
    response = Response.objects.get(pk=response.pk)
    return (
        answers_map(response),
        response.version,
        response.updated_at,
        AnswerChange.objects.filter(response=response).count(),
    )


def test_an_answer_the_database_refuses_rolls_back_the_writes_before_it(
    draft, region_respondent, monkeypatch
):
    stored = answers_map(draft)
    numbers = [key for key, value in stored.items() if value.number is not None]
    texts = [key for key, value in stored.items() if value.text and key[1] == ""]
    draft = response_save_answers(  # one text left empty, to be created below
        response=draft, values={texts[2]: None}, by=region_respondent, version=2
    )
    before = snapshot(draft)
    # Written in this order: version, deletes, inserts, updates (the last one fails).
    values = {
        texts[0]: None,
        texts[2]: stored[texts[2]],
        numbers[1]: Value(number=0 if stored[numbers[1]].number else 1),
        numbers[0]: Value(number=0 if stored[numbers[0]].number else 1),
    }

    def refuse(*args, **kwargs):
        raise DatabaseError("the database refuses the value")

    # Values out of range never get this far (surveys.answers.check_value refuses
    # them), so the database's refusal of the last write is simulated.
    monkeypatch.setattr(Answer.objects, "bulk_update", refuse)
    with pytest.raises(DatabaseError):
        response_save_answers(
            response=draft, values=values, by=region_respondent, version=draft.version
        )

    assert snapshot(draft) == before


def test_a_failing_audit_write_over_the_web_rolls_back_the_saved_answers(
    draft, region_respondent, client, monkeypatch
):
    client.force_login(region_respondent)
    client.raise_request_exception = False
    before = snapshot(draft)
    plan = plan_for(questionnaire=draft.questionnaire, organisation_code="01", seed=2)
    position, questions = plan.sections[0]
    data: dict[str, list[str] | int | str] = {
        "version": draft.version,
        "action": "save",
    }
    for name, value in section_data(questions, plan.expected):
        data.setdefault(name, []).append(value)  # type: ignore[union-attr]

    def fail(*args, **kwargs):
        raise DatabaseError("the audit log table is gone")

    # The last write of the save, after the answers themselves.
    monkeypatch.setattr(AnswerChange.objects, "bulk_create", fail)
    reply = client.post(
        reverse("surveys:response-section", args=[draft.pk, position]), data
    )

    assert reply.status_code == 500
    assert snapshot(draft) == before
