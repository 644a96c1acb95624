import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_questionnaire", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_writes_the_blank_questionnaire_as_pdf(cycle_2024, tmp_path):
    target = tmp_path / "blankett.pdf"

    _out, err = export(
        cycle=2024, questionnaire="municipality", format="pdf", output=str(target)
    )

    assert target.read_bytes().startswith(b"%PDF-")
    text = pdf_text(target)
    question = cycle_2024["municipality"].questions.get(code="K06")
    assert "K06" in text
    assert question.text.split()[0] in text
    assert f"Skrev {target.stat().st_size} byte till {target}." in err


def test_pdf_is_the_default_format(cycle_2024, tmp_path):
    target = tmp_path / "blankett.pdf"

    export(cycle=2024, questionnaire="region", output=str(target))

    assert target.read_bytes().startswith(b"%PDF-")


def test_a_pdf_needs_a_file(cycle_2024):
    with pytest.raises(CommandError, match="ange en fil med --output"):
        export(cycle=2024, questionnaire="region")


def test_only_pdf_is_made(cycle_2024, tmp_path):
    with pytest.raises(
        CommandError, match="”csv” finns inte för export_questionnaire; välj pdf"
    ):
        export(
            cycle=2024, questionnaire="region", format="csv", output=str(tmp_path / "b")
        )


def test_an_unknown_cycle_or_questionnaire_is_refused(cycle_2024, tmp_path):
    output = str(tmp_path / "blankett.pdf")
    with pytest.raises(CommandError, match="Cykeln 2023 finns inte"):
        export(cycle=2023, questionnaire="region", output=output)
    with pytest.raises(CommandError, match="”kommun” finns inte"):
        export(cycle=2024, questionnaire="kommun", output=output)
    assert not (tmp_path / "blankett.pdf").exists()
