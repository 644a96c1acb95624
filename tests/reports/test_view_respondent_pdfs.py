"""Respondents' PDFs: the receipt of a submitted response and the blank questionnaire."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create
from tests.reports.conftest import document_get, submit
from tests.surveys.helpers import by_id, find_all, page, send_to_chosen_set, tr

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def submitted(cycle_2024, region_respondent):
    """Region Stockholm's submitted region response."""
    return submit(
        cycle_2024["region"],
        "01",
        region_respondent,
        {("35", ""): Value(number=59)},
    )


@pytest.fixture
def draft(cycle_2024, municipality_respondent):
    """Upplands Väsby's municipal response, not submitted."""
    return response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code="0114"),
    )


def receipt_url(response) -> str:
    return reverse("reports:receipt-pdf", args=[response.pk])


def test_the_receipt_asks_anonymous_visitors_to_log_in(client, submitted):
    response = client.get(receipt_url(submitted))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("actor", ["region_respondent", "region_colleague", "staff"])
def test_the_receipt_of_a_submitted_response_is_a_pdf_of_its_answers(
    client, request, submitted, actor, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(actor))

    response = document_get(
        client, receipt_url(submitted), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="kvitto-region-2024-stockholm.pdf"'
    )
    text = pdf_text(response.content)
    assert "Stockholm" in text
    assert "59 %" in text


@pytest.mark.parametrize(
    "actor",
    ["other_region_respondent", "municipality_respondent", "other_rss_coordinator"],
)
def test_the_receipt_of_another_organisation_is_not_found(
    client, request, submitted, actor
):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(receipt_url(submitted)).status_code == 404


def test_a_draft_has_no_receipt_yet_and_says_so(client, municipality_respondent, draft):
    client.force_login(municipality_respondent)

    response = client.get(receipt_url(draft))

    assert response.status_code == 302
    assert response.url == reverse("surveys:response-summary", args=[draft.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        tr("The receipt is there once the response has been submitted.")
    ]


def test_the_summary_of_a_submitted_response_links_to_its_receipt(
    client, region_respondent, submitted, draft, municipality_respondent
):
    client.force_login(region_respondent)
    html = page(client.get(reverse("surveys:response-summary", args=[submitted.pk])))

    link = by_id(html, "receipt-link")
    assert link is not None
    assert dict(link.attributes)["href"] == receipt_url(submitted)

    client.force_login(municipality_respondent)
    html = page(client.get(reverse("surveys:response-summary", args=[draft.pk])))
    assert by_id(html, "receipt-link") is None


def test_the_blank_questionnaire_asks_anonymous_visitors_to_log_in(client, cycle_2024):
    url = reverse("reports:questionnaire-pdf", args=[cycle_2024["rss"].pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "actor", ["region_respondent", "other_region_respondent", "staff"]
)
def test_the_audience_gets_the_blank_questionnaire_without_answers(
    client, request, cycle_2024, submitted, actor, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(actor))
    region = cycle_2024["region"]

    response = document_get(
        client,
        reverse("reports:questionnaire-pdf", args=[region.pk]),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="blankett-region-2024.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    question = " ".join(region.questions.get(code="35").text.split()[:6])
    assert question in text
    assert "59 %" not in text


def test_an_unknown_questionnaire_is_not_found(client, staff, db):
    client.force_login(staff)

    assert (
        client.get(reverse("reports:questionnaire-pdf", args=[999])).status_code == 404
    )


def test_the_start_page_links_to_the_blank_questionnaires(
    client, municipality_respondent, cycle_2024
):
    client.force_login(municipality_respondent)

    html = page(client.get(reverse("surveys:home")))

    links = by_id(html, "blank-questionnaires")
    assert links is not None
    assert find_all(
        links,
        "a",
        href=reverse("reports:questionnaire-pdf", args=[cycle_2024["municipality"].pk]),
    )


@pytest.mark.parametrize(
    ("actor", "audience", "status"),
    [
        ("municipality_respondent", "region", 404),
        ("rss_coordinator", "region", 404),
        ("region_respondent", "municipality", 404),
        ("region_respondent", "rss", 404),
        ("rss_coordinator", "rss", 200),
        ("rss_coordinator", "municipality", 200),
        ("municipality_respondent", "municipality", 200),
    ],
)
def test_the_blank_questionnaire_is_only_for_its_audience_and_staff(
    client, request, cycle_2024, actor, audience, status
):
    client.force_login(request.getfixturevalue(actor))
    url = reverse("reports:questionnaire-pdf", args=[cycle_2024[audience].pk])

    # 302: to the page of the form being built.
    assert client.get(url).status_code == (302 if status == 200 else status)


def test_an_extra_question_sent_to_others_has_no_blank_pdf_for_them(
    client, cycle_2024, municipality_respondent, other_rss_coordinator, rss_coordinator
):
    extra = cycle_2024["extra"]
    send_to_chosen_set(extra, "0381")  # Enköping, RSS-03
    url = reverse("reports:questionnaire-pdf", args=[extra.pk])

    client.force_login(municipality_respondent)  # Upplands Väsby
    assert client.get(url).status_code == 404
    client.force_login(rss_coordinator)  # RSS-01: none of its area is chosen
    assert client.get(url).status_code == 404
    client.force_login(other_rss_coordinator)  # RSS-03: Enköping's coordinator
    assert client.get(url).status_code == 302  # to the page of the form being built
