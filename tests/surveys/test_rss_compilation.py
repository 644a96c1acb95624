from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, Membership, Response
from surveys.services import (
    answers_map,
    response_check,
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from surveys.services.compilation import (
    CountsWouldBeOverwritten,
    rss_compilation_prefill,
)
from surveys.services.responses import ResponseLockedError
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import complete_values, fill_response, tr

pytestmark = pytest.mark.django_db

K01 = [
    "Samverkansinsatser",
    "Utskrivningsprocessen",
    "Hälsofrämjande insatser",
    "Fasta omsorgskontakter",
    "Distans- eller egenmonitorering",
    "Äldrecentraler i samverkan med regionen",
    "Mobila team i kommunen",
    "Mobila team i samverkan med regionen",
    "Rehabiliterande och/eller habiliterande insatser i samverkan med regionen",
    "Familjecentraler i samverkan med regionen",
    "Digitala vård- och omsorgsbesök",
    "Välfärdsteknik, till exempel sensorlarm eller läkemedelsautomater",
    "Kompetensutveckling för personal inom kommunal hälso- och sjukvård",
    "Fallprevention",
    "Anhörigstöd",
    "Insatser mot ofrivillig ensamhet",
    "Annat",
]
K19 = ["riktade hälsosamtal", "hembesöksprogram", "övriga insatser"]
ELDERLY = "… äldre personer med stora vård- och omsorgsbehov"
ANSWERED = "Antal kommuner som besvarat frågan"
TICKED_MORE = (
    "%(cell)s: enter at most %(answered)s, the number of "
    "municipalities that answered the question (not %(n)s)."
)


def ticks(items: list[str], code: str, ticked: set[str]) -> dict:
    """Every alternative of a multiple choice recorded, the given ones ticked."""
    return {(code, item): Value(text="Ja" if item in ticked else "") for item in items}


@pytest.fixture(autouse=True)
def _within_fieldwork(time_machine):
    """Answers are saved inside the 2024 fieldwork window."""
    time_machine.move_to(
        datetime.datetime(2025, 2, 3, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    )


@pytest.fixture
def coordinator(national_frame):
    """The coordinator of RSS Blekinge län (RSS-10: five municipalities)."""
    user = UserFactory(username="hanna@rss10.se")
    MembershipFactory(
        user=user,
        organisation=Organisation.objects.get(code="RSS-10"),
        role=Membership.Role.COORDINATOR,
    )
    return user


def municipal_response(cycle_2024, code: str, overrides: dict) -> Response:
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code=code),
    )
    return fill_response(response, by=None, overrides=overrides)


def submit_municipal(cycle_2024, code: str, overrides: dict) -> Response:
    response = municipal_response(cycle_2024, code, overrides)
    return response_submit(response=response, by=None, version=None)


@pytest.fixture
def blekinge(cycle_2024):
    """Three of Blekinge's five municipalities submitted; Karlshamn has a draft.

    Olofström: K06 Ja, K04 elderly Nej, K01 Samverkansinsatser + Annat, K19 two ticks.
    Karlskrona: K06 Nej, K17 fast vårdkontakt Vet ej, K01 Utskrivningsprocessen only.
    Ronneby: K06 Nej, otherwise the first option everywhere, and K19 nothing ticked.
    """
    submit_municipal(
        cycle_2024,
        "1060",
        {
            ("K06", ""): Value(text="Ja"),
            ("K04", ELDERLY): Value(text="Nej"),
            **ticks(K01, "K01", {"Samverkansinsatser", "Annat"}),
            **ticks(K19, "K19", {"riktade hälsosamtal", "hembesöksprogram"}),
        },
    )
    submit_municipal(
        cycle_2024,
        "1080",
        {
            ("K06", ""): Value(text="Nej"),
            ("K17", "fast vårdkontakt"): Value(text="Vet ej"),
            **ticks(K01, "K01", {"Utskrivningsprocessen"}),
        },
    )
    submit_municipal(
        cycle_2024,
        "1081",
        {("K06", ""): Value(text="Nej"), **ticks(K19, "K19", set())},
    )
    # A draft is not counted, however complete.
    municipal_response(cycle_2024, "1082", {("K06", ""): Value(text="Ja")})
    return response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-10"),
    )


def counts_of(response: Response, code: str) -> dict[str, int | None]:
    return {
        item: value.number
        for (question, item), value in answers_map(response).items()
        if question == code
    }


def test_a_yes_no_question_counts_the_municipalities_choosing_each_option(
    blekinge, coordinator
):
    rss_compilation_prefill(response=blekinge, by=coordinator)

    assert counts_of(blekinge, "S03-K06") == {"Ja": 1, "Nej": 2}


def test_a_matrix_counts_per_item_and_option(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)

    k04 = counts_of(blekinge, "S03-K04")
    assert k04[f"{ELDERLY}: Ja"] == 2
    assert k04[f"{ELDERLY}: Nej"] == 1
    assert k04["… barn och unga: Ja"] == 3
    assert k04["… barn och unga: Nej"] == 0
    assert counts_of(blekinge, "S03-K17") == {
        "fast omsorgskontakt i hemtjänsten: Ja": 3,
        "fast omsorgskontakt i hemtjänsten: Nej": 0,
        "fast omsorgskontakt i hemtjänsten: Vet ej": 0,
        "fast vårdkontakt: Ja": 2,
        "fast vårdkontakt: Nej": 0,
        "fast vårdkontakt: Vet ej": 1,
    }


def test_a_multiple_choice_counts_ticks_and_the_municipalities_that_answered(
    blekinge, coordinator
):
    rss_compilation_prefill(response=blekinge, by=coordinator)

    k01 = counts_of(blekinge, "S03-K01")
    assert k01["Samverkansinsatser"] == 2
    assert k01["Utskrivningsprocessen"] == 1
    assert k01["Annat"] == 1
    assert k01["Fallprevention"] == 0
    assert k01[ANSWERED] == 3
    assert len(k01) == len(K01) + 1


def test_a_multiple_choice_with_nothing_ticked_counts_as_answered_only(
    blekinge, coordinator
):
    rss_compilation_prefill(response=blekinge, by=coordinator)

    assert counts_of(blekinge, "S03-K19") == {
        "riktade hälsosamtal": 2,
        "hembesöksprogram": 1,
        "övriga insatser": 0,
        ANSWERED: 3,
    }


def test_the_number_of_municipalities_that_answered_fills_s03a(blekinge, coordinator):
    report = rss_compilation_prefill(response=blekinge, by=coordinator)

    assert report.responses_used == 3
    assert answers_map(blekinge)[("S03a", "")] == Value(number=3)


def test_the_report_names_the_included_and_the_missing_municipalities(
    blekinge, coordinator
):
    report = rss_compilation_prefill(response=blekinge, by=coordinator)

    assert [m.name for m in report.included] == ["Olofström", "Karlskrona", "Ronneby"]
    assert [m.name for m in report.missing] == ["Karlshamn", "Sölvesborg"]


def test_only_the_municipalities_of_the_area_are_counted(
    cycle_2024, blekinge, coordinator
):
    submit_municipal(cycle_2024, "0114", {("K06", ""): Value(text="Ja")})

    report = rss_compilation_prefill(response=blekinge, by=coordinator)

    assert counts_of(blekinge, "S03-K06") == {"Ja": 1, "Nej": 2}
    assert "0114" not in {m.code for m in report.included + report.missing}


def test_the_prefill_is_audited_as_a_system_change_by_the_coordinator(
    blekinge, coordinator
):
    rss_compilation_prefill(response=blekinge, by=coordinator)

    change = AnswerChange.objects.get(
        response=blekinge, question__code="S03-K06", item="Ja"
    )
    assert (change.old_value, change.new_value) == (None, "1")
    assert change.source == AnswerChange.Source.SYSTEM
    assert change.changed_by == coordinator
    blekinge.refresh_from_db()
    assert blekinge.status == Response.Status.DRAFT


def test_prefilling_again_from_the_same_answers_changes_nothing(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    before = (answers_map(blekinge), AnswerChange.objects.count())

    rss_compilation_prefill(response=blekinge, by=coordinator)

    assert (answers_map(blekinge), AnswerChange.objects.count()) == before


def test_the_prefill_overwrites_typed_counts_and_keeps_other_answers(
    blekinge, coordinator
):
    response_save_answers(
        response=blekinge,
        values={
            ("S03-K06", "Ja"): Value(number=5),
            ("S02b", ""): Value(text="Kommunerna arbetar vidare."),
        },
        by=coordinator,
        version=None,
    )

    # Typed by the RSS itself: fetching lists what it would overwrite and asks first.
    with pytest.raises(CountsWouldBeOverwritten) as refused:
        rss_compilation_prefill(response=blekinge, by=coordinator)
    assert [
        (c.question, c.label, c.before, c.after) for c in refused.value.changes
    ] == [("S03-K06", "Ja", 5, 1)]
    assert answers_map(blekinge)[("S03-K06", "Ja")] == Value(number=5)

    rss_compilation_prefill(response=blekinge, by=coordinator, confirmed=True)

    answers = answers_map(blekinge)
    assert answers[("S03-K06", "Ja")] == Value(number=1)
    assert answers[("S02b", "")] == Value(text="Kommunerna arbetar vidare.")


def test_the_coordinator_may_change_a_prefilled_count_and_submit(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    blekinge.refresh_from_db()
    # A paper answer from Sölvesborg: one more "Nej" on K06.
    values = complete_values(
        blekinge,
        {**answers_map(blekinge), ("S03-K06", "Nej"): Value(number=3)},
    )
    response_save_answers(
        response=blekinge, values=values, by=coordinator, version=blekinge.version
    )

    submitted = response_submit(response=blekinge, by=coordinator, version=None)

    assert submitted.is_submitted
    assert counts_of(submitted, "S03-K06") == {"Ja": 1, "Nej": 3}


def test_prefilled_counts_pass_the_submit_check(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    fill_response(blekinge, by=coordinator, overrides=answers_map(blekinge))

    assert response_check(response=blekinge) == {}


def test_a_submitted_rss_response_is_not_prefilled(blekinge, coordinator):
    fill_response(blekinge, by=coordinator)
    response_submit(response=blekinge, by=coordinator, version=None)
    before = answers_map(blekinge)

    with pytest.raises(ResponseLockedError):
        rss_compilation_prefill(response=blekinge, by=coordinator)

    assert answers_map(blekinge) == before


def test_a_municipal_response_is_not_prefilled(cycle_2024, blekinge, coordinator):
    municipal = Response.objects.get(organisation__code="1060")

    with pytest.raises(ValidationError):
        rss_compilation_prefill(response=municipal, by=coordinator)


def test_an_area_where_nobody_submitted_keeps_its_typed_counts(cycle_2024, coordinator):
    gotland = response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-09"),
    )
    response_save_answers(
        response=gotland,
        values={("S03-K06", "Ja"): Value(number=1)},
        by=coordinator,
        version=None,
    )

    with pytest.raises(ValidationError):
        rss_compilation_prefill(response=gotland, by=coordinator)

    assert answers_map(gotland) == {("S03-K06", "Ja"): Value(number=1)}


def test_more_ticks_than_municipalities_that_answered_block_submitting(
    blekinge, coordinator
):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    answers = answers_map(blekinge)
    answers[("S03-K19", "riktade hälsosamtal")] = Value(number=4)

    errors = response_check(response=blekinge, answers=answers)

    assert errors["S03-K19"] == [
        tr(TICKED_MORE) % {"cell": "riktade hälsosamtal", "n": 4, "answered": 3}
    ]


def test_ticks_up_to_the_municipalities_that_answered_pass(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    answers = answers_map(blekinge)
    answers[("S03-K19", "övriga insatser")] = Value(number=3)

    errors = response_check(response=blekinge, answers=answers)

    assert "S03-K19" not in errors


def test_a_single_choice_sum_above_the_area_is_still_refused(blekinge, coordinator):
    rss_compilation_prefill(response=blekinge, by=coordinator)
    answers = answers_map(blekinge)
    answers[("S03-K06", "Nej")] = Value(number=5)

    errors = response_check(response=blekinge, answers=answers)

    assert errors["S03-K06"] == [
        tr(
            "%(where)sthe counts add up to %(total)s but can be at most %(area)s "
            "together, the number of municipalities in the area. Correct the counts."
        )
        % {"where": "", "total": 6, "area": 5}
    ]
