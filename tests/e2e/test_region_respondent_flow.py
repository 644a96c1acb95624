"""A region respondent answers, saves, comes back and submits, in Chromium."""

from __future__ import annotations

import pytest

from surveys.answers import Value, text_format, visible_questions
from surveys.models import Question, QuestionType, Response
from surveys.services import answers_map, response_get_or_create, response_save_answers
from tests.conftest import PASSWORD
from tests.surveys.helpers import FORMATTED_TEXT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _valid_value(question: Question, item: str) -> Value:
    if question.type in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO):
        return Value(text="Nej")
    if question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MATRIX):
        return Value(text=question.choice_options[0])
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return Value(text="Ja" if item == question.items[0] else "")
    if question.type == QuestionType.PERCENTAGE:
        return Value(number=61)
    if question.is_numeric:
        return Value(number=1200)
    return Value(
        text=FORMATTED_TEXT.get(text_format(question, item) or "", "Ett svar.")
    )


def _fill_all_but(response: Response, skip: set[str], user) -> None:
    """Answer every shown question except those in skip (and their follow-ups)."""
    questions = list(response.questionnaire.questions.order_by("position"))
    values: dict = {}
    for question in questions:
        if question.code in skip or (question.show_if or {}).get("question") in skip:
            continue
        for item in question.answer_items:
            values[(question.code, item)] = _valid_value(question, item)
    shown = {q.code for q in visible_questions(questions, values)}
    values = {k: v for k, v in values.items() if k[0] in shown}
    response_save_answers(response=response, values=values, by=user, version=None)


def test_respondent_opens_follow_up_saves_reloads_submits_and_sees_summary(
    live_server, page, cycle_2024, region_respondent
):
    questionnaire = cycle_2024["region"]
    response = response_get_or_create(
        questionnaire=questionnaire,
        organisation=region_respondent.membership.organisation,
    )
    _fill_all_but(response, {"29"}, region_respondent)
    section = questionnaire.questions.get(code="29").section

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(region_respondent.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="Fortsätt").first.click()
    page.get_by_role("link", name=section.title).click()

    follow_up = page.locator("#q-29b")
    assert follow_up.is_hidden()
    page.locator("#q-29").get_by_label("Ja", exact=True).check()
    assert follow_up.is_visible()  # shown at once by the script
    follow_up.get_by_label("Specialistläkare i allmänmedicin", exact=True).check()
    follow_up.get_by_label("Legitimerad läkare", exact=True).check()
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_text("Dina svar är sparade.").wait_for()

    page.reload()
    assert page.locator("#q-29").get_by_label("Ja", exact=True).is_checked()
    assert follow_up.is_visible()
    assert follow_up.get_by_label("Legitimerad läkare", exact=True).is_checked()
    assert not follow_up.get_by_label("Hyrläkare", exact=True).is_checked()
    saved = answers_map(response)
    assert saved[("29", "")] == Value(text="Ja")
    assert saved[("29b", "Legitimerad läkare")] == Value(text="Ja")
    assert saved[("29b", "Hyrläkare")] == Value(text="")

    page.get_by_role("link", name="Granska och skicka in").click()
    page.get_by_role("button", name="Skicka in enkäten").click()
    page.get_by_text("Tack! Enkäten är inskickad.").wait_for()
    assert "/sammanfattning/" in page.url
    summary = page.locator("#a-29b")
    assert summary.is_visible()
    assert "Skickades in" in page.locator("#response-status").inner_text()
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_by == region_respondent
