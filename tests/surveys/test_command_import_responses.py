from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from surveys.management.commands.import_responses import Command
from surveys.models import Answer, AnswerChange, Questionnaire, Response

pytestmark = pytest.mark.django_db

GOOD = (
    "organisation;question;item;answer\r\n"
    "01;2;;Ja\r\n"
    "01;36;;1 600 000\r\n"
    "Uppsala;2;;Nej\r\n"
    "Uppsala;35;;Andelen kan inte uppskattas\r\n"
)
BAD = (
    "organisation;question;item;answer\r\n"
    "01;2;;Ja\r\n"
    "Stockholmm;2;;Ja\r\n"
    "01;36;;många\r\n"
    "0114;2;;Ja\r\n"
)
BAD_ERRORS = [
    "Rad 3: okänd organisation ”Stockholmm” – menade du ”Stockholm”?",
    "Rad 4: fråga ”36”, svaret ”många”: Ange antalet med siffror, till exempel 12 500.",
    "Rad 5: ”0114” (Upplands Väsby, 0114) är en kommun, men enkäten besvaras av "
    "regioner",
]


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "svar.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return path


def _run(*args: str, **options) -> str:
    out = StringIO()
    call_command("import_responses", *args, stdout=out, **options)
    return out.getvalue()


def _answers() -> dict:
    return {
        (a.response.organisation.code, a.question.code, a.item): (
            a.text,
            a.number,
            a.cannot_estimate,
        )
        for a in Answer.objects.select_related("response__organisation", "question")
    }


def test_command_imports_a_file_and_prints_the_report(cycle_2024, staff, tmp_path):
    output = _run(
        str(_file(tmp_path, GOOD)),
        cycle=2024,
        questionnaire="region",
        user=staff.username,
    )

    unconditional = cycle_2024["region"].questions.filter(show_if__isnull=True).count()
    # 01 answered 2 = Ja, which shows 2b; 03 answered 2 = Nej.
    unanswered = (unconditional + 1 - 2) + (unconditional - 2)
    assert output.splitlines()[0] == (
        f"Importerade 2 organisationer, 4 svar; {unanswered} frågor obesvarade "
        "totalt (importen kontrolleras inte mot fullständighet)"
    )
    assert _answers() == {
        ("01", "2", ""): ("Ja", None, False),
        ("01", "36", ""): ("", 1600000, False),
        ("03", "2", ""): ("Nej", None, False),
        ("03", "35", ""): ("", None, True),
    }
    responses = Response.objects.all()
    assert {(r.status, r.source, r.submitted_by) for r in responses} == {
        (Response.Status.SUBMITTED, Response.Source.IMPORT, staff)
    }
    assert {(c.source, c.changed_by) for c in AnswerChange.objects.all()} == {
        (AnswerChange.Source.IMPORT, staff)
    }


def test_command_without_user_records_no_user(cycle_2024, tmp_path):
    _run(str(_file(tmp_path, GOOD)), cycle=2024, questionnaire="region")

    assert {c.changed_by for c in AnswerChange.objects.all()} == {None}
    assert {r.submitted_by for r in Response.objects.all()} == {None}


def test_command_draft_flag_keeps_responses_drafts(cycle_2024, staff, tmp_path):
    output = _run(
        str(_file(tmp_path, GOOD)),
        "--draft",
        cycle=2024,
        questionnaire="region",
        user=staff.username,
    )

    assert (
        "Inskickade: 0, utkast: 2, oförändrade: 0, avvisade rader: 0, "
        "rensade svar: 0." in output
    )
    assert {r.status for r in Response.objects.all()} == {Response.Status.DRAFT}


def test_command_imports_into_the_questionnaire_of_the_given_audience(
    cycle_2024, tmp_path
):
    text = "organisation,question,item,answer\r\nGotland,K06,,Ja\r\n0114,K06,,Nej\r\n"

    _run(str(_file(tmp_path, text)), cycle=2024, questionnaire="municipality")

    assert _answers() == {
        ("0980", "K06", ""): ("Ja", None, False),
        ("0114", "K06", ""): ("Nej", None, False),
    }
    assert {r.questionnaire for r in Response.objects.all()} == {
        cycle_2024["municipality"]
    }


def test_command_refuses_a_bad_file_listing_every_error(cycle_2024, staff, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        _run(
            str(_file(tmp_path, BAD)),
            cycle=2024,
            questionnaire="region",
            user=staff.username,
        )

    assert str(excinfo.value) == (
        "Filen svar.csv avvisades, inget sparades (3 fel):\n  "
        + "\n  ".join(BAD_ERRORS)
    )
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)


def test_command_exits_non_zero_and_prints_every_error(
    cycle_2024, tmp_path, capsys, monkeypatch
):
    # run_from_argv closes the connections at the end, which would end the test's
    # transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = _file(tmp_path, BAD)

    with pytest.raises(SystemExit) as excinfo:
        Command().run_from_argv(
            [
                "manage.py",
                "import_responses",
                "--cycle",
                "2024",
                "--questionnaire",
                "region",
                str(path),
            ]
        )

    assert excinfo.value.code == 1
    stderr = capsys.readouterr().err
    assert all(error in stderr for error in BAD_ERRORS)
    assert Answer.objects.count() == 0


def test_command_refuses_an_unknown_cycle(cycle_2024, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        _run(str(_file(tmp_path, GOOD)), cycle=2031, questionnaire="region")

    assert str(excinfo.value) == "Cykeln 2031 finns inte."


def test_command_refuses_a_questionnaire_the_cycle_does_not_have(cycle_2024, tmp_path):
    Questionnaire.objects.filter(audience="extra").update(is_current=False)

    with pytest.raises(CommandError) as excinfo:
        _run(str(_file(tmp_path, GOOD)), cycle=2024, questionnaire="extra")

    assert str(excinfo.value) == "Cykeln 2024 har ingen aktuell enkät för ”extra”."


def test_command_refuses_an_unknown_questionnaire_key(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="”kommun” finns inte; välj region, rss"):
        _run(str(_file(tmp_path, GOOD)), cycle=2024, questionnaire="kommun")


def test_command_refuses_an_unknown_user(cycle_2024, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        _run(
            str(_file(tmp_path, GOOD)),
            cycle=2024,
            questionnaire="region",
            user="nobody",
        )

    assert str(excinfo.value) == "Användaren ”nobody” finns inte."
    assert Answer.objects.count() == 0


def test_command_refuses_a_missing_file(cycle_2024, tmp_path):
    with pytest.raises(CommandError, match="kan inte läsas"):
        _run(str(tmp_path / "saknas.csv"), cycle=2024, questionnaire="region")


def test_command_refuses_rows_that_change_a_submitted_response_and_lists_them(
    cycle_2024, staff, tmp_path
):
    path = str(_file(tmp_path, GOOD))
    _run(path, cycle=2024, questionnaire="region")
    changed = GOOD.replace("01;36;;1 600 000", "01;36;;1 700 000")

    output = _run(
        str(_file(tmp_path, changed)), "--draft", cycle=2024, questionnaire="region"
    )

    assert _answers()[("01", "36", "")] == ("", 1600000, False)
    assert "Inskickade: 2, utkast: 0, oförändrade: 2, avvisade rader: 1" in output
    assert "Rad 3: Region Stockholm (01), fråga 36: ”1 600 000” → ”1 700 000”" in output
    assert "--replace-submitted" in output


def test_command_replace_submitted_replaces_and_audits_as_import(
    cycle_2024, staff, tmp_path
):
    _run(str(_file(tmp_path, GOOD)), cycle=2024, questionnaire="region")
    changed = GOOD.replace("01;36;;1 600 000", "01;36;;1 700 000")

    output = _run(
        str(_file(tmp_path, changed)),
        "--replace-submitted",
        cycle=2024,
        questionnaire="region",
        user=staff.username,
    )

    assert _answers()[("01", "36", "")] == ("", 1700000, False)
    change = AnswerChange.objects.filter(changed_by=staff).get()
    assert (change.old_value, change.new_value, change.source) == (
        "1 600 000",
        "1 700 000",
        AnswerChange.Source.IMPORT,
    )
    assert "Ersatta svar i inskickade svar: 1." in output
