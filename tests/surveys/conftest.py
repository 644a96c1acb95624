"""Fixtures shared by the surveys tests."""

from __future__ import annotations

import pytest

from regions.models import Organisation
from surveys.models import Response
from surveys.services import response_get_or_create


@pytest.fixture
def region_response(cycle_2024) -> Response:
    """Region Stockholm's response to the 2024 region questionnaire (a draft)."""
    return response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )


@pytest.fixture
def respondent_client(client, region_respondent):
    """A client logged in as Region Stockholm's respondent."""
    client.force_login(region_respondent)
    return client
