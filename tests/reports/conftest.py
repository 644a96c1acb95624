"""Fixtures of the reports tests: submitted answers and their computed results."""

from __future__ import annotations

import pytest

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import fill_response


def submit(questionnaire, code, by, overrides=None):
    """Fill every shown question of the organisation's response (overrides first), submit."""
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    filled = fill_response(response, by=by, overrides=overrides)
    return response_submit(response=filled, by=by, version=filled.version)


@pytest.fixture
def region_answered(cycle_2024, staff):
    """Stockholm, Uppsala and Norrbotten submitted the region questionnaire (no results
    computed yet); the questionnaire."""
    region = cycle_2024["region"]
    submit(
        region,
        "01",
        staff,
        {("2", ""): Value(text="Ja"), ("35", ""): Value(number=59)},
    )
    submit(
        region,
        "03",
        staff,
        {("2", ""): Value(text="Ja"), ("35", ""): Value(number=60)},
    )
    submit(
        region,
        "25",
        staff,
        {("2", ""): Value(text="Nej"), ("35", ""): Value(cannot_estimate=True)},
    )
    return region


@pytest.fixture
def region_results(region_answered):
    """The computed results (the current run) of region_answered."""
    return aggregation_fresh_run(questionnaire=region_answered)
