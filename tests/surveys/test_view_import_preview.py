"""The staff import's preview: changes listed, confirmed once, only by the uploader."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import (
    Answer,
    AnswerChange,
    ImportUpload,
    Response,
    ResponseEvent,
)
from surveys.services import (
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from tests.factories import UserFactory
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

URL = reverse("surveys:staff-import")
CHANGE_9 = "organisation,question,item,answer\r\n01,9,,Ja\r\n01,9b,,Kolada\r\n"


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


@pytest.fixture
def submitted(region, region_respondent) -> Response:
    """Region Stockholm's complete response, submitted on the web with 9 = Nej."""
    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    filled = fill_response(
        response, by=region_respondent, overrides={("9", ""): Value(text="Nej")}
    )
    return response_submit(response=filled, by=region_respondent, version=None)


def _upload(client, questionnaire, text: str, **extra) -> str:
    response = client.post(
        URL,
        {
            "questionnaire": questionnaire.pk,
            "file": SimpleUploadedFile("svar.csv", text.encode()),
            **extra,
        },
    )
    assert response.status_code == 302
    return response.url


def _answer_9(response: Response) -> str:
    return Answer.objects.get(response=response, question__code="9").text


def test_the_preview_lists_changes_to_submitted_responses_and_writes_nothing(
    client, staff, region, submitted
):
    client.force_login(staff)

    page = client.get(_upload(client, region, CHANGE_9, draft="on")).content.decode()

    assert "2 svar ändras, 2 av dem i inskickade svar." in page
    assert "Rad 2: Region Stockholm (01), fråga 9: ”Nej” → ”Ja”" in page
    assert 'value="replace"' in page
    assert _answer_9(submitted) == "Nej"
    assert not AnswerChange.objects.filter(source=AnswerChange.Source.IMPORT).exists()


def test_importing_without_replacing_refuses_the_rows_and_says_so(
    client, staff, region, submitted
):
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9, draft="on")

    client.post(preview, {"action": "import"})

    submitted.refresh_from_db()
    assert (submitted.status, _answer_9(submitted)) == (
        Response.Status.SUBMITTED,
        "Nej",
    )
    page = client.get(preview).content.decode()
    assert "Inskickade: 1, utkast: 0, oförändrade: 1, avvisade rader: 2" in page
    assert "Rad 2: Region Stockholm (01), fråga 9: ”Nej” → ”Ja”" in page


def test_replacing_imports_once_even_when_confirmed_twice(
    client, staff, region, submitted
):
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9)

    first = client.post(preview, {"action": "replace"})
    second = client.post(preview, {"action": "replace"})

    assert (first.status_code, second.status_code) == (302, 302)
    submitted.refresh_from_db()
    assert (submitted.status, _answer_9(submitted)) == (
        Response.Status.SUBMITTED,
        "Ja",
    )
    changes = AnswerChange.objects.filter(
        response=submitted, source=AnswerChange.Source.IMPORT
    )
    assert sorted((c.question.code, c.old_value, c.new_value) for c in changes) == [
        ("9", "Nej", "Ja"),
        ("9b", None, "Kolada"),
    ]
    assert (
        ResponseEvent.objects.filter(
            response=submitted, kind=ResponseEvent.Kind.IMPORTED
        ).count()
        == 1
    )
    page = client.get(preview).content.decode()
    assert "Ersatta svar i inskickade svar: 2." in page


def test_a_preview_that_went_stale_is_shown_again_before_anything_is_imported(
    client, staff, region, region_respondent
):
    response = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9, draft="on")
    client.get(preview)
    response_save_answers(
        response=response,
        values={("9", ""): Value(text="Ja")},
        by=region_respondent,
        version=None,
    )

    result = client.post(preview, {"action": "import"}, follow=True)

    assert [str(m) for m in result.context["messages"]] == [
        "Svaren har ändrats sedan förhandsgranskningen visades; ingenting "
        "importerades. Granska ändringarna igen."
    ]
    assert not AnswerChange.objects.filter(source=AnswerChange.Source.IMPORT).exists()
    assert "1 svar ändras, 0 av dem i inskickade svar." in result.content.decode()

    client.post(preview, {"action": "import"})

    assert AnswerChange.objects.filter(source=AnswerChange.Source.IMPORT).count() == 1


def test_another_staff_user_cannot_see_or_confirm_the_upload(
    client, staff, region, submitted
):
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9)
    colleague = UserFactory(username="kollega@socialstyrelsen.se", is_staff=True)
    client.force_login(colleague)

    assert client.get(preview).status_code == 404
    assert client.post(preview, {"action": "replace"}).status_code == 404
    assert _answer_9(submitted) == "Nej"


def test_a_respondent_gets_403_on_a_preview(
    client, staff, region, submitted, region_respondent
):
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9)
    client.force_login(region_respondent)

    assert client.get(preview).status_code == 403
    assert client.post(preview, {"action": "replace"}).status_code == 403


def test_a_discarded_upload_imports_nothing_afterwards(
    client, staff, region, submitted
):
    client.force_login(staff)
    preview = _upload(client, region, CHANGE_9)

    client.post(preview, {"action": "discard"})
    client.post(preview, {"action": "replace"})

    upload = ImportUpload.objects.get()
    assert (upload.status, upload.content) == (ImportUpload.Status.DISCARDED, "")
    assert _answer_9(submitted) == "Nej"
