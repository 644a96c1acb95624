"""The receipt of one response: everything answered, who submitted it and when."""

from __future__ import annotations

import datetime

import pytest

from regions.models import Organisation
from reports.documents.receipt import receipt_html, receipt_pdf
from surveys.answers import Value
from surveys.models import Response
from surveys.services import response_get_or_create, response_save_answers
from tests.reports.conftest import submit
from tests.reports.pdf_checks import (
    body_text,
    fonts,
    html,
    page_numbers_ok,
    pdf_text,
    squeezed,
    text_runs,
)
from tests.surveys.helpers import find_all, text

pytestmark = pytest.mark.django_db

WORDS = (
    "Regionen har tillsammans med kommunerna byggt upp mobila team som når de mest "
    "sjuka äldre i hemmet och följer upp arbetet varje kvartal med gemensamma mått. "
)
# 5 000 characters of prose, with one unbroken 300-character token (a pasted link)
# that must be broken inside the word to stay on the page.
TOKEN = "https://example.se/" + "a" * 281
LONG_TEXT = (WORDS * 60)[: 5000 - len(TOKEN) - 1] + " " + TOKEN
SCRIPT = '<script>alert("x")</script> <b>fet</b> & "citat"'


@pytest.fixture
def long_receipt(cycle_2024, region_respondent):
    """Region Stockholm's submitted response with a 5 000-character free-text answer."""
    assert len(LONG_TEXT) == 5000
    response = submit(
        cycle_2024["region"],
        "01",
        region_respondent,
        {
            ("2", ""): Value(text="Nej"),
            ("3", ""): Value(text=LONG_TEXT),
            ("17", ""): Value(text=SCRIPT),
            ("35", ""): Value(number=59),
            ("36", ""): Value(number=4245026),
            ("37", ""): Value(cannot_estimate=True),
        },
    )
    # 09:23 UTC on 14 March 2025 is 10.23 in Stockholm (winter time).
    Response.objects.filter(pk=response.pk).update(
        submitted_at=datetime.datetime(2025, 3, 14, 9, 23, tzinfo=datetime.UTC)
    )
    response.refresh_from_db()
    return response


_rendered: dict[str, bytes] = {}


@pytest.fixture
def long_pdf(request) -> bytes:
    if "pdf" not in _rendered:
        _rendered["pdf"] = receipt_pdf(response=request.getfixturevalue("long_receipt"))
    return _rendered["pdf"]


def test_the_receipt_names_organisation_questionnaire_submitter_and_time(long_receipt):
    root = html(receipt_html(response=long_receipt))

    content = text(root)
    assert text(find_all(root, "h1")[0]) == "Kvitto på inskickade svar"
    assert "Region Stockholm (01)" in content
    assert long_receipt.questionnaire.title in content
    assert "Inskickad 14 mars 2025 kl. 10.23 (svensk tid)" in content
    assert "anna@regionstockholm.se" in content


def test_every_visible_question_is_shown_with_its_answer_as_displayed(long_receipt):
    root = html(receipt_html(response=long_receipt))

    content = text(root)
    assert "35. Hur stor andel av befolkningen" in content
    assert "59 %" in content
    assert "4 245 026" in content
    assert "Andelen kan inte uppskattas" in content
    # The follow-up of question 2 is shown only after "Ja": Stockholm said "Nej".
    codes = [text(p).split(".")[0] for p in find_all(root, "p", **{"class": "qtext"})]
    assert "2" in codes
    assert "2b" not in codes
    assert "36" in codes


def test_a_draft_shows_no_answer_where_empty_and_says_it_is_not_submitted(
    cycle_2024, region_respondent
):
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    response = response_save_answers(
        response=response,
        values={("2", ""): Value(text="Ja")},
        by=region_respondent,
        version=response.version,
    )

    root = html(receipt_html(response=response))

    content = text(root)
    assert "Svaret är inte inskickat" in content
    assert "inget svar" in content
    # 2 was answered "Ja", so its follow-up is shown (without an answer yet).
    codes = [text(p).split(".")[0] for p in find_all(root, "p", **{"class": "qtext"})]
    assert "2b" in codes


def test_html_in_free_text_is_printed_literally(long_receipt, long_pdf):
    document = receipt_html(response=long_receipt)

    assert "<script>" not in document
    assert "&lt;script&gt;alert(" in document
    assert SCRIPT in pdf_text(long_pdf)


def test_a_5000_character_answer_is_printed_in_full(long_pdf):
    assert squeezed(LONG_TEXT) in squeezed(body_text(long_pdf))


def test_a_5000_character_answer_wraps_within_the_page_and_flows_on(long_pdf):
    runs = text_runs(long_pdf)

    assert {run.page for run in runs} == set(range(max(r.page for r in runs) + 1))
    for run in runs:
        assert 0 <= run.x < run.page_width, run
    # A line of 9-point text holds at most about 110 characters on a portrait page; an
    # unwrapped paragraph or link would be one run of hundreds.
    longest = max(len(run.text.strip()) for run in runs)
    assert longest < 140
    # The link was broken inside the word: its characters are on several lines.
    token_lines = [run for run in runs if "aaaaaaaaaa" in run.text]
    assert len(token_lines) >= 3


def test_the_receipt_numbers_its_pages_and_embeds_its_fonts(long_pdf):
    assert page_numbers_ok(long_pdf)
    assert all(embedded for _, embedded in fonts(long_pdf))
