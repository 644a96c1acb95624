import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_region_profile", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def test_writes_the_profile_of_a_region_beside_the_national_figures(
    region_results, tmp_path
):
    target = tmp_path / "profil.pdf"

    _out, err = export(cycle=2024, organisation="01", output=str(target))

    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Stockholm" in text
    assert "59 %" in text  # Stockholm's answer to 35
    assert "60 %" in text  # Riket
    assert f"Skrev {target.stat().st_size} byte till {target}." in err


def test_a_municipality_has_no_region_profile(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="Upplands Väsby \\(0114\\) är ingen region"):
        export(cycle=2024, organisation="0114", output=str(tmp_path / "p.pdf"))
    assert not (tmp_path / "p.pdf").exists()


def test_an_unknown_organisation_or_cycle_is_refused(cycle_2024, tmp_path):
    output = str(tmp_path / "p.pdf")
    with pytest.raises(CommandError, match="Organisationen ”26” finns inte"):
        export(cycle=2024, organisation="26", output=output)
    with pytest.raises(CommandError, match="Cykeln 2022 finns inte"):
        export(cycle=2022, organisation="01", output=output)


def test_a_profile_needs_a_file_and_is_only_pdf(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="ange en fil med --output"):
        export(cycle=2024, organisation="01")
    with pytest.raises(
        CommandError, match="”xlsx” finns inte för export_region_profile"
    ):
        export(cycle=2024, organisation="01", format="xlsx", output=str(tmp_path / "p"))
