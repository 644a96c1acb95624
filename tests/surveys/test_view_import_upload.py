from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Answer, AnswerChange, ImportUpload, Response
from surveys.services.transitions import questionnaire_lock
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("surveys:staff-import")
GOOD = (
    "\ufefforganisation;question;item;answer\r\n"
    "01;2;;Ja\r\n"
    "01;4;;Nej, men förslag finns framtaget\r\n"
    "01;36;;179\r\n"
).encode()
BAD = (
    "organisation;question;item;answer\r\n"
    "01;2;;Ja\r\n"
    "Stockholmm;2;;Ja\r\n"
    "01;36;;många\r\n"
).encode()


def _login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def _upload(client, questionnaire, data: bytes, **extra):
    return client.post(
        URL,
        {
            "questionnaire": questionnaire.pk,
            "file": SimpleUploadedFile("svar.csv", data, content_type="text/csv"),
            **extra,
        },
    )


def test_staff_sees_the_upload_form_with_the_current_questionnaires(
    client, staff, cycle_2024
):
    _login(client, staff)

    response = client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["questionnaire"].queryset) == set(cycle_2024.values())
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_staff_upload_previews_the_file_and_imports_it_on_confirmation(
    client, staff, cycle_2024
):
    _login(client, staff)

    response = _upload(client, cycle_2024["region"], GOOD)

    upload = ImportUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("surveys:staff-import-preview", args=[upload.pk])
    assert Answer.objects.count() == 0
    preview = client.get(response.url)
    assert preview.context["plan"].preview_line() == (
        "3 svar ändras, 0 av dem i inskickade svar."
    )
    assert "3 svar ändras, 0 av dem i inskickade svar." in preview.content.decode()
    assert Answer.objects.count() == 0

    confirmed = client.post(response.url, {"action": "import"})

    assert confirmed.status_code == 302
    result = client.get(response.url)
    assert result.context["upload"].status == ImportUpload.Status.IMPORTED
    page = result.content.decode()
    assert "Importerade 1 organisation, 3 svar;" in page
    assert "Inskickade: 1, utkast: 0, oförändrade: 0, avvisade rader: 0" in page
    assert {
        (a.question.code, a.text, a.number)
        for a in Answer.objects.select_related("question")
    } == {
        ("2", "Ja", None),
        ("4", "Nej, men förslag finns framtaget", None),
        ("36", "", 179),
    }
    imported = Response.objects.get()
    assert (imported.status, imported.source, imported.submitted_by) == (
        Response.Status.SUBMITTED,
        Response.Source.IMPORT,
        staff,
    )
    assert {(c.source, c.changed_by) for c in AnswerChange.objects.all()} == {
        (AnswerChange.Source.IMPORT, staff)
    }
    assert ImportUpload.objects.get().content == ""


def test_staff_upload_as_draft_keeps_the_response_a_draft(client, staff, cycle_2024):
    _login(client, staff)

    response = _upload(client, cycle_2024["region"], GOOD, draft="on")
    client.post(response.url, {"action": "import"})

    assert Response.objects.get().status == Response.Status.DRAFT


def test_a_refused_upload_lists_every_error_and_writes_nothing(
    client, staff, cycle_2024
):
    _login(client, staff)

    response = _upload(client, cycle_2024["region"], BAD)

    assert response.status_code == 200
    assert response.context["errors"] == [
        "Rad 3: okänd organisation ”Stockholmm” – menade du ”Stockholm”?",
        "Rad 4: fråga ”36”, svaret ”många”: Ange antalet med siffror, till exempel 12 500.",
    ]
    assert not ImportUpload.objects.exists()
    page = response.content.decode()
    assert "<li>Rad 3: okänd organisation ”Stockholmm” – menade du" in page
    assert (
        "<li>Rad 4: fråga ”36”, svaret ”många”: Ange antalet med siffror, till exempel 12 500.</li>"
        in page
    )
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)


def test_an_oversize_upload_is_refused_with_a_clear_message(
    client, staff, cycle_2024, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 50
    _login(client, staff)

    response = _upload(client, cycle_2024["region"], GOOD)

    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message == (
        f"Filen är {len(GOOD)}\u00a0byte; högst 50\u00a0byte kan importeras åt gången."
    )
    assert message in response.content.decode()
    assert Answer.objects.count() == 0


def test_non_staff_gets_403(client, region_respondent, cycle_2024):
    _login(client, region_respondent)

    assert client.get(URL).status_code == 403
    assert _upload(client, cycle_2024["region"], GOOD).status_code == 403
    assert Answer.objects.count() == 0


def test_anonymous_is_sent_to_the_login_page(client, cycle_2024):
    response = _upload(client, cycle_2024["region"], GOOD)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"
    assert Answer.objects.count() == 0


def test_an_upload_to_a_locked_questionnaire_is_refused_with_a_message_and_writes_nothing(
    client, cycle_2024, staff
):
    region = cycle_2024["region"]
    questionnaire_lock(questionnaire=region, by=staff)
    client.force_login(staff)

    result = client.post(
        reverse("surveys:staff-import"),
        {
            "questionnaire": region.pk,
            "file": SimpleUploadedFile(
                "svar.csv", b"organisation,question,item,answer\n01,2,,Ja\n"
            ),
        },
    )

    assert result.status_code == 200
    assert "är låst för den slutliga sammanställningen" in result.content.decode()
    assert not Response.objects.filter(questionnaire=region).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "svar.xlsx",
            b"PK\x03\x04" + b"\x00" * 40,
            "”svar.xlsx” är inte en CSV-fil: namnet ska sluta på .csv eller .txt.",
        ),
        (
            "svar.csv",
            b"PK\x03\x04" + b"\x00" * 40,
            "”svar.csv” är en Excel-arbetsbok, inte en CSV-fil. Spara den från Excel "
            "som ”CSV UTF-8” och ladda upp den filen.",
        ),
        (
            "svar.csv",
            b"organisation;question\x00\x01\x02",
            "”svar.csv” är ingen textfil (den innehåller binära data).",
        ),
    ],
)
def test_a_file_that_is_not_csv_is_refused_with_a_clear_message(
    client, staff, cycle_2024, name, data, message
):
    _login(client, staff)

    response = client.post(
        URL,
        {
            "questionnaire": cycle_2024["region"].pk,
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert Answer.objects.count() == 0
