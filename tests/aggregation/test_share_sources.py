"""One source per RSS area, from the database: the municipalities' answers or the RSS's
counts, mixed areas, the extra questionnaire, and the staff's list of differing counts.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse

from aggregation.compute import compute_results, rss_count_differences
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import QuestionType
from surveys.services import response_get_or_create, response_submit
from tests.factories import QuestionFactory
from tests.reports.pdf_checks import table_rows
from tests.surveys.helpers import by_id, fill_response, find_all, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(national_frame, staff):
    return staff


def submit(questionnaire, code, user, overrides=None):
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    filled = fill_response(response, by=user, overrides=overrides)
    return response_submit(response=filled, by=user, version=filled.version)


def row(shares: pd.DataFrame, question: str, option: str, level: str, unit: str):
    """(count, denominator, percent, source, municipalities) of one share row."""
    found = shares[
        (shares["question"] == question)
        & (shares["item"] == "")
        & (shares["option"] == option)
        & (shares["level"] == level)
        & (shares["unit"] == unit)
    ]
    assert len(found) == 1, (question, option, level, unit)
    values = found.iloc[0]
    return (
        int(values["count"]),
        int(values["denominator"]),
        None if pd.isna(values["percent"]) else int(values["percent"]),
        values["source"],
        int(values["municipalities"]),
    )


@pytest.fixture
def mixed(cycle_2024, user):
    """Stockholm's area: two municipalities answered, no RSS counts. Gotland: the
    municipality answered "Ja" and its RSS counted one "Nej" (the answers win, a tie).
    Uppsala: only the RSS's counts (5 "Ja", 3 "Nej"). Every other area: nothing."""
    municipal, rss = cycle_2024["municipality"], cycle_2024["rss"]
    submit(municipal, "0114", user, {("K06", ""): Value(text="Ja")})
    submit(municipal, "0115", user, {("K06", ""): Value(text="Nej")})
    submit(municipal, "0980", user, {("K06", ""): Value(text="Ja")})
    submit(rss, "RSS-09", user, {("S03-K06", "Nej"): Value(number=1)})
    submit(
        rss,
        "RSS-03",
        user,
        {("S03-K06", "Ja"): Value(number=5), ("S03-K06", "Nej"): Value(number=3)},
    )
    return cycle_2024


def test_mixed_areas_each_take_one_source(mixed):
    shares = compute_results(questionnaire=mixed["municipality"]).shares

    assert row(shares, "K06", "Ja", "rss", "RSS-01") == (1, 2, 50, "answers", 2)
    assert row(shares, "K06", "Ja", "rss", "RSS-09") == (1, 1, 100, "answers", 1)
    assert row(shares, "K06", "Ja", "rss", "RSS-03") == (5, 8, 63, "counts", 8)
    assert row(shares, "K06", "Ja", "rss", "RSS-12") == (0, 0, None, "none", 0)
    assert row(shares, "K06", "Ja", "county", "03") == (5, 8, 63, "counts", 8)
    # 1 + 1 + 5 of 2 + 1 + 8: Gotland's RSS count ("Nej") is not used.
    assert row(shares, "K06", "Ja", "riket", "SE") == (7, 11, 64, "mixed", 11)


def test_the_staff_quality_list_shows_where_rss_counts_differ_from_the_answers(
    mixed, staff, client
):
    client.force_login(staff)
    differences = rss_count_differences(questionnaire=mixed["rss"])
    k06 = {
        (d.rss_code, d.option): (d.rss_count, d.answers_count, d.counts_used)
        for d in differences
        if d.question == "K06"
    }
    # Gotland: counted "Nej" 1, its municipality answered "Ja". Uppsala: no answers in
    # the system, nothing to compare. Stockholm: no counts submitted.
    assert k06 == {("RSS-09", "Ja"): (0, 1, False), ("RSS-09", "Nej"): (1, 0, False)}
    assert {d.rss_question for d in differences if d.question == "K06"} == {"S03-K06"}
    assert rss_count_differences(questionnaire=mixed["municipality"]) == differences
    assert rss_count_differences(questionnaire=mixed["region"]) == []

    for audience in ("rss", "municipality"):
        response = client.get(
            reverse("aggregation:quality-list", args=[mixed[audience].pk])
        )
        assert response.status_code == 200
        table = by_id(page(response), "differences-table")
        rows = [
            [text(cell) for cell in find_all(tr, "th") + find_all(tr, "td")]
            for tr in find_all(table, "tr")
        ]
        assert [
            "RSS Gotlands län",
            "K06 (S03-K06)",
            "",
            "Nej",
            "1",
            "0",
            "+1",
            "kommunernas svar",
        ] in rows


def test_the_quality_list_is_for_staff_only(mixed, client, municipality_respondent):
    client.force_login(municipality_respondent)
    response = client.get(reverse("aggregation:quality-list", args=[mixed["rss"].pk]))
    assert response.status_code in (302, 403)


def test_a_yes_no_extra_question_gets_shares_of_municipalities(cycle_2024, user):
    extra = cycle_2024["extra"]
    QuestionFactory(
        section=extra.sections.order_by("position").first(),
        code="E02",
        type=QuestionType.YES_NO,
        position=500,
    )
    submit(extra, "0114", user, {("E02", ""): Value(text="Ja")})
    submit(extra, "0115", user, {("E02", ""): Value(text="Nej")})
    submit(extra, "0980", user, {("E02", ""): Value(text="Ja")})

    shares = compute_results(questionnaire=extra).shares

    assert set(shares["question"]) == {"E02"}
    assert set(shares["counted"]) == {"municipalities"}
    assert row(shares, "E02", "Ja", "riket", "SE") == (2, 3, 67, "answers", 3)
    assert row(shares, "E02", "Nej", "rss", "RSS-01") == (1, 2, 50, "answers", 2)
    assert row(shares, "E02", "Ja", "county", "03") == (0, 0, None, "none", 0)


def test_the_results_page_shows_each_units_source_and_names_areas_without_data(
    mixed, staff, client
):
    from aggregation.services import aggregation_fresh_run

    aggregation_fresh_run(questionnaire=mixed["municipality"])
    client.force_login(staff)

    response = client.get(
        reverse("reports:results", args=[mixed["municipality"].pk]) + "?question=K06"
    )

    root = page(response)
    rows = table_rows(find_all(root, "table")[0])
    header = rows[0]
    assert "Källa" in header and "Kommuner" in header
    assert rows[1][:4] == ["Riket", "Riket", "båda", "11"]
    names = dict(Organisation.objects.values_list("code", "name"))
    uppsala = next(r for r in rows if names["RSS-03"] in r)
    assert uppsala[:4] == ["RSS", names["RSS-03"], "RSS:ens antal", "8"]
    missing = text(by_id(root, "areas-without-data"))
    assert names["RSS-12"] in missing
    assert names["RSS-03"] not in missing and names["RSS-01"] not in missing


def test_an_extra_questionnaire_without_closed_questions_has_no_shares_and_no_error(
    cycle_2024, user
):
    # The 2024 extra questionnaire asks no question with options: its answers give
    # no shares (and the run does not fail on the empty counts).
    extra = cycle_2024["extra"]
    assert not extra.questions.filter(
        type__in=[QuestionType.YES_NO, QuestionType.SINGLE_CHOICE]
    ).exists()
    submit(extra, "0114", user)
    submit(extra, "0980", user)

    results = compute_results(questionnaire=extra)

    assert results.shares.empty


def test_the_quality_report_lists_the_rss_counts_that_differ_as_the_staff_list_does(
    mixed,
):
    out = io.StringIO()

    call_command(
        "quality_report",
        "--cycle=2024",
        "--questionnaire=rss",
        "--output=-",
        stdout=out,
        stderr=io.StringIO(),
    )

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    k06 = [row for row in rows if row[1] == "K06 (S03-K06)"]
    assert k06 == [
        [
            "RSS Gotlands län",
            "K06 (S03-K06)",
            "",
            "0",
            "RSS:ens antal för ”Ja” (0) skiljer sig från kommunernas svar (1), "
            "skillnad -1; områdets andelar använder kommunernas svar.",
        ],
        [
            "RSS Gotlands län",
            "K06 (S03-K06)",
            "",
            "1",
            "RSS:ens antal för ”Nej” (1) skiljer sig från kommunernas svar (0), "
            "skillnad +1; områdets andelar använder kommunernas svar.",
        ],
    ]
    differences = rss_count_differences(questionnaire=mixed["rss"])
    assert len(rows) - 1 == len(differences)
