from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Questionnaire, Response
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

HEADER = ["organisation", "question", "item", "value", "reason"]
VARMLAND_MATCH = (
    "Antalet 179 motsvarar 0,1 % av befolkningen (283 000), men fråga 35 anger 63 %."
)
VARMLAND_FAR_BELOW = (
    "Antalet 179 är mindre än 1/10 av de cirka 178 290 personer som 63 % av "
    "befolkningen (283 000) i fråga 35 motsvarar. Är det angivet i tusental, eller "
    "som en andel?"
)


def answer(
    questionnaire: Questionnaire,
    code: str,
    percent: int,
    count: int,
    *,
    submitted: bool = True,
) -> Response:
    """A complete response of region `code` with questions 35 and 36 as given."""
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    overrides = {("35", ""): Value(number=percent), ("36", ""): Value(number=count)}
    response = fill_response(response, by=None, overrides=overrides)
    if submitted:
        response = response_submit(response=response, by=None, version=response.version)
    return response


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    questionnaire = cycle_2024["region"]
    answer(questionnaire, "17", 63, 179)
    answer(questionnaire, "01", 40, 999_999)
    answer(questionnaire, "12", 70, 998_200)
    answer(questionnaire, "18", 60, 60, submitted=False)
    return questionnaire


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("quality_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_report_writes_one_row_per_warning_to_the_file(region, tmp_path):
    target = tmp_path / "kvalitet.csv"

    run(
        "--cycle=2024",
        "--questionnaire=region",
        "--format=csv",
        f"--output={target}",
    )

    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == HEADER
    assert rows[1][:4] == ["Stockholm", "36", "", "999 999"]
    assert rows[2:] == [
        ["Värmland", "36", "", "179", VARMLAND_MATCH],
        ["Värmland", "36", "", "179", VARMLAND_FAR_BELOW],
    ]


def test_the_report_goes_to_standard_output_with_a_dash(region):
    output = run("--cycle=2024", "--questionnaire=region", "--output=-")

    rows = list(csv.reader(io.StringIO(output)))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == ["Stockholm", "Värmland", "Värmland"]


def test_drafts_are_reported_only_when_asked_for(region):
    output = run("--cycle=2024", "--questionnaire=region", "--output=-", "--drafts")

    rows = list(csv.reader(io.StringIO(output)))
    assert [row[0] for row in rows[1:]] == [
        "Stockholm",
        "Värmland",
        "Värmland",
        "Örebro",
        "Örebro",
    ]


def test_a_questionnaire_without_warnings_gives_the_header_only(cycle_2024):
    output = run("--cycle=2024", "--questionnaire=municipality", "--output=-")

    assert list(csv.reader(io.StringIO(output))) == [HEADER]


def test_an_unknown_cycle_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Cykeln 1999 finns inte"):
        run("--cycle=1999", "--questionnaire=region", "--output=-")


def test_an_unknown_questionnaire_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Enkäten ”landsting” finns inte"):
        run("--cycle=2024", "--questionnaire=landsting", "--output=-")


def test_a_cycle_without_the_questionnaire_is_refused(cycle_2024):
    cycle_2024["extra"].delete()

    with pytest.raises(CommandError, match="ingen aktuell enkät för ”extra”"):
        run("--cycle=2024", "--questionnaire=extra", "--output=-")


def test_a_format_other_than_csv_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Formatet ”xlsx” finns inte"):
        run("--cycle=2024", "--questionnaire=region", "--format=xlsx", "--output=-")


def test_an_unwritable_output_is_refused(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="kan inte skrivas"):
        run(
            "--cycle=2024",
            "--questionnaire=region",
            f"--output={tmp_path / 'saknas' / 'fil.csv'}",
        )
