from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from regions.models import Organisation
from surveys.models import (
    Cycle,
    Question,
    Questionnaire,
    QuestionnaireEvent,
    QuestionType,
    Response,
)
from surveys.services import questionnaires_load
from surveys.services.cycles import (
    cycle_copy,
    definitions_write,
    extra_question_create,
    questionnaire_update,
    shift_years,
)
from tests.factories import UserFactory
from tests.surveys.helpers import post_confirmed

pytestmark = pytest.mark.django_db

# Every field of a question that the copy keeps as it is.
KEPT = [
    "position",
    "code",
    "text",
    "help_text",
    "type",
    "options",
    "items",
    "cells",
    "required",
    "show_if",
    "validation",
    "reconstructed",
    "in_appendix",
    "footnote",
    "personal_data",
    "rule",
    "checks",
]


def question_rows(questionnaire: Questionnaire) -> list[tuple]:
    return list(questionnaire.questions.order_by("position").values_list(*KEPT))


def test_the_copy_has_every_questionnaire_with_every_question_linked_to_its_original(
    cycle_2024, staff
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)

    copies = {q.key: q for q in cycle.questionnaires.all()}
    assert set(copies) == {"region", "rss", "municipality", "extra", "statsbidrag"}
    for audience, original in cycle_2024.items():
        copy = copies[audience]
        assert question_rows(copy) == question_rows(original)
        assert [s.title for s in copy.sections.all()] == [
            s.title for s in original.sections.all()
        ]
        for question in copy.questions.select_related("previous", "section"):
            assert question.previous.questionnaire_id == original.pk
            assert question.previous.code == question.code
            assert question.previous_code == question.code
            assert question.section.questionnaire_id == copy.pk
        assert copy.events.get().kind == QuestionnaireEvent.Kind.COPIED


def test_the_copy_compiles_the_copied_municipal_questions(cycle_2024, staff):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)

    compiled = Question.objects.filter(
        questionnaire__cycle=cycle, type=QuestionType.COUNT_PER_OPTION
    ).select_related("source__questionnaire")
    assert compiled.exists()
    for question in compiled:
        assert question.source.questionnaire.cycle_id == cycle.pk
        assert question.source.questionnaire.audience == "municipality"


def test_the_copy_moves_dates_and_reminders_one_year_on(cycle_2024, staff):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)

    region = cycle.questionnaires.get(audience="region")
    assert (cycle.year, cycle.opens_on, cycle.closes_on) == (
        2025,
        datetime.date(2025, 11, 29),
        datetime.date(2026, 4, 11),
    )
    assert cycle.name == "Uppföljning av omställningen till en god och nära vård 2025"
    assert (region.opens_on, region.closes_on) == (
        datetime.date(2025, 11, 29),
        datetime.date(2026, 3, 31),
    )
    assert region.reminder_dates == ["2026-03-10", "2026-03-24"]
    assert region.title.startswith("Enkät till regionerna 2025 –")
    assert (region.version, region.is_current, region.locked_at) == (1, True, None)
    assert region.source_file == "2025/region.yaml"


def test_the_29th_of_february_moves_to_the_28th():
    assert shift_years(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


def test_the_copy_refuses_an_existing_target_cycle(cycle_2024, staff):
    cycle_copy(from_year=2024, to_year=2025, by=staff)

    with pytest.raises(ValidationError, match="2025"):
        cycle_copy(from_year=2024, to_year=2025, by=staff)

    assert Questionnaire.objects.filter(cycle__year=2025).count() == 5


def test_the_copy_refuses_a_missing_source_or_an_earlier_target(cycle_2024, staff):
    with pytest.raises(ValidationError):
        cycle_copy(from_year=2019, to_year=2020, by=staff)
    with pytest.raises(ValidationError):
        cycle_copy(from_year=2024, to_year=2024, by=staff)

    assert not Cycle.objects.filter(year__in=[2020]).exists()


def test_extra_questions_made_on_the_web_stay_behind(cycle_2024, staff):
    extra_question_create(
        cycle=cycle_2024["region"].cycle,
        by=staff,
        title="Extra fråga om hemsjukvård",
        text="Hur?",
        question_type=QuestionType.FREE_TEXT,
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 2, 28),
        reminder_dates=None,
        organisations=Organisation.objects.filter(code="0114"),
    )

    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)

    assert sorted(cycle.questionnaires.values_list("source_file", flat=True)) == [
        "2025/extra.yaml",
        "2025/municipality.yaml",
        "2025/region.yaml",
        "2025/rss.yaml",
        "2025/statsbidrag.yaml",
    ]


def test_written_definitions_load_back_to_the_same_questions(
    cycle_2024, staff, tmp_path
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)
    before = {q.key: question_rows(q) for q in cycle.questionnaires.all()}

    paths = definitions_write(cycle=cycle, directory=tmp_path)
    result = questionnaires_load(year=2025, directory=tmp_path)

    assert sorted(p.name for p in paths) == [
        "cycle.yaml",
        "extra.yaml",
        "municipality.yaml",
        "region.yaml",
        "rss.yaml",
        "statsbidrag.yaml",
        "statsbidrag_bilaga1_tabell1.csv",
    ]
    assert all("unchanged" in line for line in result.lines)
    after = {
        q.key: q
        for q in Questionnaire.objects.filter(cycle__year=2025, is_current=True)
    }
    assert {a: question_rows(q) for a, q in after.items()} == before
    # The figures of the definitions come along, bar for bar.
    assert after["region"].figures == cycle_2024["region"].figures
    assert after["municipality"].figures == cycle_2024["municipality"].figures
    assert after["region"].figures
    question = after["region"].questions.get(code="4")
    assert question.previous == cycle_2024["region"].questions.get(code="4")


def test_definitions_are_loaded_into_an_empty_database_as_the_same_questionnaires(
    cycle_2024, staff, tmp_path
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)
    definitions_write(cycle=cycle, directory=tmp_path)
    before = {q.key: question_rows(q) for q in cycle.questionnaires.all()}
    # The RSS questionnaire first: it compiles (protects) the municipal questions.
    for questionnaire in cycle.questionnaires.order_by("-audience"):
        questionnaire.delete()
    cycle.delete()

    questionnaires_load(year=2025, directory=tmp_path)

    loaded = Questionnaire.objects.filter(cycle__year=2025)
    assert {q.key: question_rows(q) for q in loaded} == before
    region = loaded.get(audience="region")
    assert region.reminder_dates == ["2026-03-10", "2026-03-24"]
    assert region.opens_on == datetime.date(2025, 11, 29)


def test_definitions_are_not_written_over_an_existing_folder(
    cycle_2024, staff, tmp_path
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "region.yaml").write_text("# kept\n")

    with pytest.raises(ValidationError):
        definitions_write(cycle=cycle, directory=tmp_path)

    assert (tmp_path / "2025" / "region.yaml").read_text() == "# kept\n"


def test_the_command_copies_and_writes_definitions(cycle_2024, tmp_path):
    out = StringIO()

    call_command(
        "copy_cycle",
        "2024",
        "2025",
        "--write-definitions",
        "--directory",
        str(tmp_path),
        "--no-input",
        stdout=out,
    )

    assert Questionnaire.objects.filter(cycle__year=2025).count() == 5
    assert (tmp_path / "2025" / "region.yaml").exists()
    assert "wrote" in out.getvalue()


def test_the_command_refuses_an_existing_cycle(cycle_2024):
    call_command("copy_cycle", "2024", "2025", "--no-input", stdout=StringIO())

    with pytest.raises(CommandError, match="2025"):
        call_command("copy_cycle", "2024", "2025", "--no-input")


def test_the_command_asks_first_and_copies_nothing_without_a_yes(
    cycle_2024, monkeypatch
):
    out = StringIO()
    monkeypatch.setattr("builtins.input", lambda prompt: "n")

    with pytest.raises(CommandError, match="Avbrutet"):
        call_command("copy_cycle", "2024", "2025", stdout=out)

    assert "5 enkäter" in out.getvalue()
    assert not Questionnaire.objects.filter(cycle__year=2025).exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "j")
    call_command("copy_cycle", "2024", "2025", stdout=out)
    assert Questionnaire.objects.filter(cycle__year=2025).count() == 5


# Editing a copied questionnaire before it opens


def edit(questionnaire, staff, **changes):
    values = {
        "title": questionnaire.title,
        "introduction": questionnaire.introduction,
        "opens_on": questionnaire.opens_on,
        "closes_on": questionnaire.closes_on,
        "reminder_dates": [
            datetime.date.fromisoformat(d) for d in questionnaire.reminder_dates
        ],
    }
    return questionnaire_update(
        questionnaire=questionnaire, by=staff, **(values | changes)
    )


def test_staff_change_title_and_dates_while_there_is_no_response(cycle_2024, staff):
    region = cycle_copy(from_year=2024, to_year=2025, by=staff).questionnaires.get(
        audience="region"
    )

    edit(
        region,
        staff,
        title="Enkät till regionerna 2025",
        closes_on=datetime.date(2026, 4, 15),
        reminder_dates=[datetime.date(2026, 4, 1)],
    )

    region.refresh_from_db()
    assert region.title == "Enkät till regionerna 2025"
    assert region.closes_on == datetime.date(2026, 4, 15)
    assert region.reminder_dates == ["2026-04-01"]
    assert region.events.filter(kind=QuestionnaireEvent.Kind.EDITED).exists()


def test_a_questionnaire_with_a_response_is_not_edited(cycle_2024, staff):
    region = cycle_2024["region"]
    Response.objects.create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )

    with pytest.raises(ValidationError, match="1"):
        edit(region, staff, title="Ny titel")

    region.refresh_from_db()
    assert region.title != "Ny titel"


def test_dates_out_of_order_are_refused(cycle_2024, staff):
    region = cycle_copy(from_year=2024, to_year=2025, by=staff).questionnaires.get(
        audience="region"
    )

    with pytest.raises(ValidationError) as caught:
        edit(
            region,
            staff,
            closes_on=datetime.date(2025, 11, 1),
            reminder_dates=[datetime.date(2027, 1, 1)],
        )

    assert set(caught.value.message_dict) == {"closes_on", "reminder_dates"}


# The staff pages


def test_staff_copy_a_cycle_from_the_page(client, cycle_2024, staff):
    client.force_login(staff)

    page = client.get(reverse("surveys:staff-cycle-copy"))
    result = post_confirmed(
        client,
        reverse("surveys:staff-cycle-copy"),
        {"from_year": 2024, "to_year": 2025},
    )

    assert page.status_code == 200
    assert page.context["form"].initial == {"from_year": 2024, "to_year": 2025}
    assert result.status_code == 302
    assert Cycle.objects.filter(year=2025).exists()


def test_the_copy_page_shows_why_it_refuses(client, cycle_2024, staff):
    client.force_login(staff)
    post_confirmed(
        client,
        reverse("surveys:staff-cycle-copy"),
        {"from_year": 2024, "to_year": 2025},
    )

    result = client.post(
        reverse("surveys:staff-cycle-copy"), {"from_year": 2024, "to_year": 2025}
    )

    assert result.status_code == 200
    assert "2025" in " ".join(result.context["form"].non_field_errors())


def test_the_edit_page_saves_before_any_response(client, cycle_2024, staff):
    region = cycle_copy(from_year=2024, to_year=2025, by=staff).questionnaires.get(
        audience="region"
    )
    client.force_login(staff)

    result = post_confirmed(
        client,
        reverse("surveys:staff-questionnaire-edit", args=[region.pk]),
        {
            "title": "Regionenkät 2025",
            "introduction": "Välkommen.",
            "opens_on": "2025-12-01",
            "closes_on": "2026-03-31",
            "reminder_dates": "2026-03-10, 2026-03-24",
        },
    )

    assert result.status_code == 302
    region.refresh_from_db()
    assert (region.title, region.opens_on) == (
        "Regionenkät 2025",
        datetime.date(2025, 12, 1),
    )


def test_the_edit_page_is_read_only_with_a_reason_once_there_are_responses(
    client, cycle_2024, staff
):
    region = cycle_2024["region"]
    Response.objects.create(
        questionnaire=region, organisation=Organisation.objects.get(code="01")
    )
    client.force_login(staff)
    url = reverse("surveys:staff-questionnaire-edit", args=[region.pk])

    page = client.get(url)
    client.post(url, {"title": "Ny titel", "opens_on": "2025-01-01"})

    assert page.status_code == 200
    assert 'id="read-only"' in page.content.decode()
    assert all(field.disabled for field in page.context["form"].fields.values())
    region.refresh_from_db()
    assert region.title != "Ny titel"


@pytest.mark.parametrize(
    "name", ["staff-cycles", "staff-cycle-copy", "staff-extra-question"]
)
def test_the_cycle_pages_are_403_for_non_staff(client, rss_coordinator, name):
    client.force_login(rss_coordinator)

    assert client.get(reverse(f"surveys:{name}")).status_code == 403


def test_the_edit_page_is_403_for_non_staff(client, cycle_2024):
    client.force_login(UserFactory())

    result = client.get(
        reverse("surveys:staff-questionnaire-edit", args=[cycle_2024["region"].pk])
    )

    assert result.status_code == 403


def test_the_cycle_list_shows_every_questionnaire_with_its_rate(
    client, cycle_2024, staff, django_assert_max_num_queries
):
    cycle_copy(from_year=2024, to_year=2025, by=staff)
    client.force_login(staff)

    with django_assert_max_num_queries(12):
        result = client.get(reverse("surveys:staff-cycles"))

    assert result.status_code == 200
    assert [len(entry["rows"]) for entry in result.context["cycles"]] == [5, 5]
    rows = {
        row["questionnaire"].key: row for row in result.context["cycles"][1]["rows"]
    }
    assert rows["region"]["rates"]["invited"] == 21
    assert rows["municipality"]["rates"]["invited"] == 290


def test_written_definitions_keep_exclusive_alternatives_and_contact_formats(
    cycle_2024, staff, tmp_path
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)

    definitions_write(cycle=cycle, directory=tmp_path)

    written = (tmp_path / "2025" / "region.yaml").read_text(encoding="utf-8")
    assert "- label: Inget av ovanstående\n" in written
    assert "exclusive: true" in written
    assert "format: email" in written
    assert "format: phone" in written
    assert "formats" not in written
