"""The blank printable questionnaire: every question with boxes, grids, lines, lead-ins."""

from __future__ import annotations

import re

import pytest

from reports.documents.questionnaire import (
    follow_up_lead,
    printed_question,
    questionnaire_html,
    questionnaire_pdf,
)
from surveys.models import Question, QuestionType
from tests.reports.pdf_checks import fonts, html, page_numbers_ok, pdf_text
from tests.surveys.helpers import attrs, by_id, find_all, text

pytestmark = pytest.mark.django_db

AUDIENCES = ["region", "municipality", "rss", "extra"]


def question_block(root, code: str):
    block = by_id(root, f"q-{code}")
    assert block is not None, code
    return block


def boxes(element, kind: str = "box") -> int:
    return len(
        [
            span
            for span in find_all(element, "span")
            if kind in (attrs(span).get("class") or "").split()
        ]
    )


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_question_of_the_2024_questionnaires_is_printed(cycle_2024, audience):
    questionnaire = cycle_2024[audience]

    root = html(questionnaire_html(questionnaire=questionnaire))

    for question in questionnaire.questions.all():
        block = question_block(root, question.code)
        # Its number; a question without one (the contact details) shows no code.
        if question.number:
            assert text(block).find(f"{question.number}. ") >= 0
        else:
            assert f"{question.code}. " not in text(block)
        assert " ".join(question.text.split()) in text(block)
        if question.help_text:
            assert " ".join(question.help_text.split()) in text(block)
    content = text(root)
    assert questionnaire.title in content
    assert "Sista svarsdag:" in content


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_follow_up_question_has_its_lead_in(cycle_2024, audience):
    questionnaire = cycle_2024[audience]

    root = html(questionnaire_html(questionnaire=questionnaire))

    follow_ups = questionnaire.questions.exclude(show_if=None)
    for question in follow_ups:
        lead = find_all(question_block(root, question.code), "p", **{"class": "lead"})
        assert lead, question.code
        assert f"fråga {question.show_if['question']}:" in text(lead[0])


def test_lead_ins_name_the_question_and_the_answer(cycle_2024):
    questions = {q.code: q for q in cycle_2024["region"].questions.all()}
    municipal = {q.code: q for q in cycle_2024["municipality"].questions.all()}

    assert follow_up_lead(questions["2b"], questions) == "Om du svarat ”Ja” på fråga 2:"
    assert (
        follow_up_lead(questions["18b"], questions)
        == "Om du kryssat för ”Andra åtgärder” på fråga 18:"
    )
    assert (
        follow_up_lead(municipal["K01b"], municipal)
        == "Om du kryssat för ”Annat” på fråga K01:"
    )
    assert follow_up_lead(questions["2"], questions) == ""


def test_a_matrix_is_a_grid_of_items_by_options_with_a_box_in_each_cell(cycle_2024):
    question = cycle_2024["region"].questions.get(code="13")

    block = question_block(
        html(questionnaire_html(questionnaire=question.questionnaire)), "13"
    )

    (grid,) = find_all(block, "table")
    header = [text(th) for th in find_all(grid, "th", scope="col")]
    assert header == ["Delfråga", "Ja", "Delvis", "Nej"]
    rows = [text(th) for th in find_all(grid, "th", scope="row")]
    assert rows == question.items
    assert boxes(grid) == len(question.items) * 3


def test_choices_and_multiple_choices_get_one_box_per_option(cycle_2024):
    region = cycle_2024["region"]
    root = html(questionnaire_html(questionnaire=region))

    assert boxes(question_block(root, "2")) == 2
    assert boxes(question_block(root, "4")) == 3
    assert "Nej, men förslag finns framtaget" in text(question_block(root, "4"))
    multiple = question_block(root, "18")
    assert boxes(multiple) == len(region.questions.get(code="18").items)
    # Its help text says to tick all that apply; said once, not twice.
    assert "Markera alla alternativ som stämmer" in text(multiple)
    assert "Flera alternativ kan markeras" not in text(multiple)


def test_a_multiple_choice_without_such_help_says_several_may_be_ticked(cycle_2024):
    municipal = cycle_2024["municipality"]
    municipal.questions.filter(code="K01").update(help_text="")

    root = html(questionnaire_html(questionnaire=municipal))

    assert "Flera alternativ kan markeras" in text(question_block(root, "K01"))


def test_numbers_get_a_box_with_the_unit_and_the_cannot_estimate_box(cycle_2024):
    root = html(questionnaire_html(questionnaire=cycle_2024["region"]))

    share = question_block(root, "37")
    assert boxes(share, "numbox") == 1
    assert "%" in text(share)
    assert "Andelen kan inte uppskattas" in text(share)
    assert boxes(share) == 1
    count = question_block(root, "36")
    assert "antal" in text(count)
    assert "Antalet kan inte uppskattas" in text(count)


def test_count_per_option_questions_get_a_number_box_per_cell(cycle_2024):
    rss = cycle_2024["rss"]
    root = html(questionnaire_html(questionnaire=rss))

    matrix = rss.questions.get(code="S03-K04")
    block = question_block(root, "S03-K04")
    assert boxes(block, "numbox") == len(matrix.cells)
    header = [text(th) for th in find_all(block, "th", scope="col")]
    assert header == ["Delfråga", "Ja antal", "Nej antal"]
    ticked = rss.questions.get(code="S03-K01")
    block = question_block(root, "S03-K01")
    # One count per alternative and the number of municipalities that answered.
    assert boxes(block, "numbox") == len(ticked.cells)
    assert "Antal kommuner som besvarat frågan" in text(block)


def test_free_text_gets_ruled_lines_and_items_their_own(cycle_2024):
    root = html(questionnaire_html(questionnaire=cycle_2024["region"]))

    def lines(block):
        return len(
            [d for d in find_all(block, "div") if attrs(d).get("class") == "line"]
        )

    assert lines(question_block(root, "3")) == 6
    contact = question_block(root, "kontakt")
    assert lines(contact) == 3
    assert "E-postadress:" in text(contact)


def test_the_form_asks_who_answers_for_which_organisation(cycle_2024):
    root = html(questionnaire_html(questionnaire=cycle_2024["municipality"]))

    fields = [text(s) for s in find_all(root, "span", **{"class": "label"})]
    assert fields[:3] == ["Kommun:", "Kommunkod:", "Namn:"]
    assert "31 mars 2025" in text(root)


@pytest.mark.parametrize("kind", [choice.value for choice in QuestionType])
def test_every_question_type_prints_something_to_fill_in(kind):
    question = Question(
        code="X1",
        text="En fråga",
        type=kind,
        options=["Ett", "Två"],
        items=["A", "B"],
        cells=[
            {"label": "A: Ett", "item": "A", "option": "Ett"},
            {"label": "A: Två", "item": "A", "option": "Två"},
        ],
    )

    printed = printed_question(question, {})

    expected = {
        QuestionType.YES_NO: ("choice", ["Ja", "Nej"]),
        QuestionType.YES_PARTLY_NO: ("choice", ["Ja", "Delvis", "Nej"]),
        QuestionType.SINGLE_CHOICE: ("choice", ["Ett", "Två"]),
        QuestionType.MATRIX: ("matrix", ["Ett", "Två"]),
        QuestionType.MULTIPLE_CHOICE: ("multiple", []),
        QuestionType.PERCENTAGE: ("number", []),
        QuestionType.COUNT: ("number", []),
        QuestionType.INTEGER: ("number", []),
        QuestionType.MONEY: ("number", []),
        QuestionType.FREE_TEXT: ("text", []),
        QuestionType.COUNT_PER_OPTION: ("count_grid", ["Ett", "Två"]),
    }[kind]
    assert (printed.shape, printed.options) == expected
    if kind == QuestionType.PERCENTAGE:
        assert (printed.unit, printed.cannot_estimate) == (
            "%",
            "Andelen kan inte uppskattas",
        )
    if kind == QuestionType.MONEY:
        assert printed.unit == "kr"
    if kind in (QuestionType.MULTIPLE_CHOICE, QuestionType.MATRIX):
        assert printed.items == ["A", "B"]
    if kind == QuestionType.FREE_TEXT:
        assert printed.lines > 0


def test_the_blank_region_questionnaire_pdf_holds_every_code_and_lead_in(cycle_2024):
    questionnaire = cycle_2024["region"]

    data = questionnaire_pdf(questionnaire=questionnaire)

    content = pdf_text(data)
    for question in questionnaire.questions.exclude(code="kontakt"):
        assert re.search(rf"(^| ){re.escape(question.code)}\. ", content), question.code
    assert not re.search(r"(^| )kontakt\. ", content)
    assert "Om du svarat ”Ja” på fråga 2:" in content
    assert "Om du kryssat för ”Andra åtgärder” på fråga 18:" in content
    assert "Andelen kan inte uppskattas" in content
    # The boxes are drawn, not a glyph the font may lack.
    assert "☐" not in content
    assert page_numbers_ok(data)
    assert all(embedded for _, embedded in fonts(data))
