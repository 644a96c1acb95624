"""What respondents read: no internal codes, no table conventions, plain Swedish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from regions.models import Organisation
from reports.documents.questionnaire import questionnaire_html
from reports.documents.receipt import receipt_html
from surveys.answers import Value
from surveys.models import Response
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import by_id, fill_response, page, text

pytestmark = pytest.mark.django_db

# K01 is a multiple choice: the first alternative ticked, the others not.
K01 = "Samverkansinsatser"
K01_UNTICKED = "Utskrivningsprocessen"
# "kontakt." as a question number, not the end of "omsorgskontakt.".
INTERNAL = re.compile(r"(?<!\w)kontakt\.|Fråga kontakt|Question kontakt|rekonstruerad")


@pytest.fixture
def municipal(cycle_2024) -> Response:
    return response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code="0114"),
    )


@pytest.fixture
def submitted(municipal, municipality_respondent) -> Response:
    filled = fill_response(
        municipal,
        by=municipality_respondent,
        overrides={("K01", K01): Value(text="Ja"), ("K01", K01_UNTICKED): Value()},
    )
    return response_submit(response=filled, by=municipality_respondent, version=None)


def assert_no_internal_codes(shown: str) -> None:
    assert INTERNAL.search(shown) is None, INTERNAL.search(shown)


def test_the_summary_shows_no_internal_code_and_no_dot_for_an_unticked_alternative(
    client, submitted, municipality_respondent
):
    client.force_login(municipality_respondent)

    html = page(client.get(reverse("surveys:response-summary", args=[submitted.pk])))

    shown = text(html)
    assert_no_internal_codes(shown)
    assert f"{K01}: Ja" in shown
    assert f"{K01_UNTICKED}: Nej" in shown
    assert f"{K01_UNTICKED}: ." not in shown
    contact = text(by_id(html, "a-kontakt"))
    assert contact == "Ange kontaktuppgifter till den person som har besvarat enkäten."
    assert "K01. Vilka" in shown  # real question numbers stay


def test_the_receipt_shows_no_internal_code_and_no_dot(submitted):
    printed = " ".join(receipt_html(response=submitted).split())

    assert_no_internal_codes(printed)
    assert f'{K01_UNTICKED}:</span> <span class="value">Nej' in printed
    assert '<span class="value">.</span>' not in printed


def test_the_blank_form_and_the_section_page_print_no_internal_code(
    client, municipal, municipality_respondent
):
    assert_no_internal_codes(questionnaire_html(questionnaire=municipal.questionnaire))
    client.force_login(municipality_respondent)
    last = municipal.questionnaire.sections.order_by("-position").first()

    html = page(
        client.get(
            reverse("surveys:response-section", args=[municipal.pk, last.position])
        )
    )

    legend = text(by_id(html, "q-kontakt-legend"))
    assert legend.startswith("Ange kontaktuppgifter")
    assert_no_internal_codes(text(html))


def test_the_review_page_names_an_unnumbered_question_by_its_text(
    client, municipal, municipality_respondent
):
    client.force_login(municipality_respondent)

    html = page(client.get(reverse("surveys:response-review", args=[municipal.pk])))

    shown = text(html)
    assert_no_internal_codes(shown)
    assert "Ange kontaktuppgifter till den person som har besvarat" in shown
    assert "Fråga K01" in shown


def test_the_start_page_of_a_respondent_does_not_call_the_texts_reconstructed(
    client, municipal, municipality_respondent
):
    client.force_login(municipality_respondent)

    shown = text(page(client.get(reverse("surveys:home"))))

    assert "Enkät till kommunerna 2024" in shown
    assert_no_internal_codes(shown)
