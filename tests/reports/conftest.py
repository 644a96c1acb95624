"""Fixtures of the reports tests: submitted answers and their computed results."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

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


def document_get(client, url, capture, *, follow_page=True):
    """GET a page's document (a receipt, a blank form, a region profile, an export of
    an area's free text) as a browser does: the address asks for it, the worker builds
    it (tasks run eagerly here, once the request commits), the document page offers it.

    Returns the final response: the file, or the redirect/page the address gave.
    """
    with capture(execute=True):
        response = client.get(url)
    if response.status_code != 302 or "/dokument/" not in response.url:
        return file_read(response)
    if not follow_page:
        return response
    page = client.get(response.url)
    assert page.status_code == 200
    return file_read(client.get(response.url + "ladda-ner/"))


def file_read(response):
    """A file response read into an HttpResponse (its .content), headers kept."""
    if not getattr(response, "streaming", False):
        return response
    read = HttpResponse(
        b"".join(response.streaming_content), status=response.status_code
    )
    for name, value in response.items():
        read[name] = value
    return read
