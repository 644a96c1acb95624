import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_save_answers
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_receipt", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_writes_the_receipt_of_a_submitted_response(cycle_2024, staff, tmp_path):
    submit(
        cycle_2024["region"],
        "01",
        staff,
        {("3", ""): Value(text="Jämställd hälsa genom mobila team")},
    )
    target = tmp_path / "kvitto.pdf"

    _out, err = export(
        cycle=2024, questionnaire="region", organisation="01", output=str(target)
    )

    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Stockholm" in text
    assert "Jämställd hälsa genom mobila team" in text
    assert f"Skrev {target.stat().st_size} byte till {target}." in err


def test_a_draft_has_no_receipt(cycle_2024, staff, tmp_path):
    draft = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="03"),
    )
    response_save_answers(
        response=draft,
        values={("2", ""): Value(text="Ja")},
        by=staff,
        version=draft.version,
    )

    with pytest.raises(CommandError, match=r"Uppsala \(03\).*är inte inskickat"):
        export(
            cycle=2024,
            questionnaire="region",
            organisation="03",
            output=str(tmp_path / "kvitto.pdf"),
        )
    assert not (tmp_path / "kvitto.pdf").exists()


def test_an_organisation_without_a_response_is_refused(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="Gotland \\(09\\) har inget svar på"):
        export(
            cycle=2024,
            questionnaire="region",
            organisation="09",
            output=str(tmp_path / "kvitto.pdf"),
        )


def test_an_unknown_organisation_is_refused(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="Organisationen ”99” finns inte"):
        export(
            cycle=2024,
            questionnaire="region",
            organisation="99",
            output=str(tmp_path / "kvitto.pdf"),
        )


def test_a_receipt_needs_a_file(cycle_2024):
    with pytest.raises(CommandError, match="ange en fil med --output"):
        export(cycle=2024, questionnaire="region", organisation="01")


def test_an_unknown_questionnaire_is_refused(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="”regionen” finns inte"):
        export(
            cycle=2024,
            questionnaire="regionen",
            organisation="01",
            output=str(tmp_path / "kvitto.pdf"),
        )
