"""Counts fetched from the municipalities go stale when one submits or is reopened.

The RSS form (its count section), its review page and the staff quality list show
"Ändrat sedan hämtningen" with the difference, and the RSS cannot submit stale counts
without confirming. Fetching over counts the RSS typed itself shows them first
(tests/surveys/test_rss_compilation.py covers the service's refusal).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.answers import Value
from surveys.models import QuestionType
from surveys.services import answers_map, response_save_answers
from surveys.services.compilation import rss_compilation_drift, rss_compilation_prefill
from surveys.services.transitions import response_reopen
from tests.surveys import test_rss_compilation as base
from tests.surveys.helpers import complete_values, tr
from tests.surveys.test_rss_compilation import submit_municipal

pytestmark = pytest.mark.django_db

CHANGED = "Changed since fetched"

# The fixtures of the compilation tests: RSS Blekinge, its coordinator, the fieldwork day.
_within_fieldwork = base._within_fieldwork
blekinge = base.blekinge
coordinator = base.coordinator


def count_section(response) -> int:
    return (
        response.questionnaire.questions.filter(type=QuestionType.COUNT_PER_OPTION)
        .order_by("position")
        .first()
        .section.position
    )


@pytest.fixture
def fetched(blekinge, coordinator):
    """Blekinge fetched its counts (K06: Ja 1, Nej 2) and completed the rest."""
    rss_compilation_prefill(response=blekinge, by=coordinator)
    blekinge.refresh_from_db()
    values = complete_values(blekinge, answers_map(blekinge))
    return response_save_answers(
        response=blekinge, values=values, by=coordinator, version=blekinge.version
    )


def test_a_municipality_that_submits_after_the_fetch_makes_the_counts_stale(
    cycle_2024, fetched, coordinator, client
):
    assert rss_compilation_drift(response=fetched) == []

    submit_municipal(cycle_2024, "1082", {("K06", ""): Value(text="Ja")})

    drift = {
        (c.question, c.label): (c.before, c.after)
        for c in rss_compilation_drift(response=fetched)
    }
    assert drift[("S03-K06", "Ja")] == (1, 2)
    client.force_login(coordinator)
    section = client.get(
        reverse("surveys:response-section", args=[fetched.pk, count_section(fetched)])
    ).content.decode()
    assert tr(CHANGED) in section and "S03-K06 (Ja): 1 → 2 (+1)" in section
    review = client.get(reverse("surveys:response-review", args=[fetched.pk]))
    assert tr(CHANGED) in review.content.decode()
    assert 'name="confirm_stale"' in review.content.decode()


def test_stale_counts_are_not_submitted_without_confirming(
    cycle_2024, fetched, coordinator, client
):
    submit_municipal(cycle_2024, "1082", {("K06", ""): Value(text="Ja")})
    client.force_login(coordinator)
    url = reverse("surveys:response-submit", args=[fetched.pk])

    refused = client.post(url, {"version": fetched.version})

    assert refused["Location"] == reverse("surveys:response-review", args=[fetched.pk])
    fetched.refresh_from_db()
    assert not fetched.is_submitted

    accepted = client.post(url, {"version": fetched.version, "confirm_stale": "1"})

    assert accepted["Location"] == reverse(
        "surveys:response-summary", args=[fetched.pk]
    )
    fetched.refresh_from_db()
    assert fetched.is_submitted


def test_a_reopened_municipality_makes_the_counts_stale_on_the_staff_list(
    cycle_2024, fetched, staff, client
):
    from surveys.models import Response

    karlskrona = Response.objects.get(
        questionnaire=cycle_2024["municipality"], organisation__code="1080"
    )
    response_reopen(response=karlskrona, by=staff, reason="Fel i K06")

    drift = {
        (c.question, c.label): (c.before, c.after)
        for c in rss_compilation_drift(response=fetched)
    }
    assert drift[("S03-K06", "Nej")] == (2, 1)
    client.force_login(staff)
    page = client.get(
        reverse("aggregation:quality-list", args=[cycle_2024["rss"].pk])
    ).content.decode()
    assert tr(CHANGED) in page
    assert "Blekinge" in page and "S03-K06 (Nej): 2 → 1 (-1)" in page


def test_fetching_over_typed_counts_shows_them_and_asks_first(
    blekinge, coordinator, client
):
    response_save_answers(
        response=blekinge,
        values={("S03-K06", "Ja"): Value(number=5)},
        by=coordinator,
        version=None,
    )
    client.force_login(coordinator)
    url = reverse("surveys:response-prefill", args=[blekinge.pk])

    asked = client.post(url, {"position": count_section(blekinge)})

    assert asked.status_code == 200
    assert "S03-K06 (Ja): 5 → 1 (-4)" in asked.content.decode()
    assert answers_map(blekinge)[("S03-K06", "Ja")] == Value(number=5)

    done = client.post(url, {"position": count_section(blekinge), "confirm": "1"})

    assert done.status_code == 302
    assert answers_map(blekinge)[("S03-K06", "Ja")] == Value(number=1)
