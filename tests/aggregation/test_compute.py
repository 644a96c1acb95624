import pandas as pd
import pytest

from aggregation import selectors
from aggregation.compute import compute_results, results_fingerprint
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Answer, QuestionType, Response
from surveys.models.questionnaire import Rule
from surveys.services import response_get_or_create, response_submit
from tests.factories import (
    CountyFactory,
    CycleFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    ResponseFactory,
    SectionFactory,
)
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(national_frame, staff):
    """Staff enter the answers: exempt from the deadline, whatever today is."""
    return staff


def submit(questionnaire, code, user, overrides=None):
    organisation = Organisation.objects.get(code=code)
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=organisation
    )
    filled = fill_response(response, by=user, overrides=overrides)
    return response_submit(response=filled, by=user, version=filled.version)


def draft(questionnaire, code, user, overrides=None):
    organisation = Organisation.objects.get(code=code)
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=organisation
    )
    return fill_response(response, by=user, overrides=overrides)


def column(appendix, question, item=""):
    cells = appendix[(appendix["question"] == question) & (appendix["item"] == item)]
    return dict(zip(cells["organisation"], cells["value"], strict=True))


def test_percentage_riket_of_59_60_and_cannot_estimate_is_60(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user, {("35", ""): Value(number=59)})
    submit(region, "03", user, {("35", ""): Value(number=60)})
    submit(region, "04", user, {("35", ""): Value(cannot_estimate=True)})

    results = compute_results(questionnaire=region)

    table = column(results.appendix, "35")
    assert table["Riket"] == "60 %"
    assert table["Stockholm"] == "59 %"
    assert table["Uppsala"] == "60 %"
    assert table["Sörmland"] == "Andelen kan inte uppskattas"
    assert table["Norrbotten"] == ""
    assert len(table) == 22


def test_yes_no_riket_counts_submitted_regions_only(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user, {("2", ""): Value(text="Ja")})
    submit(region, "03", user, {("2", ""): Value(text="Nej")})
    submit(region, "25", user, {("2", ""): Value(text="Ja")})
    draft(region, "04", user, {("2", ""): Value(text="Ja")})

    results = compute_results(questionnaire=region)

    table = column(results.appendix, "2")
    assert table["Riket"] == "2/3"
    assert (table["Stockholm"], table["Uppsala"], table["Norrbotten"]) == (
        "Ja",
        "Nej",
        "Ja",
    )
    assert table["Sörmland"] == ""
    assert results.responses == 3


def test_appendix_covers_the_printed_questions_in_order_with_regions_by_county(
    cycle_2024, user
):
    region = cycle_2024["region"]
    submit(region, "01", user)

    appendix = compute_results(questionnaire=region).appendix

    printed = list(
        region.questions.filter(in_appendix=True)
        .exclude(rule=Rule.NONE)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert list(dict.fromkeys(appendix["question"])) == printed
    of_2 = appendix[appendix["question"] == "2"]
    assert list(of_2["organisation"])[:4] == [
        "Riket",
        "Stockholm",
        "Uppsala",
        "Sörmland",
    ]
    assert list(of_2["organisation"])[-1] == "Norrbotten"
    assert list(appendix["position"]) == list(range(len(appendix)))


def test_multiple_choice_columns_per_alternative(cycle_2024, user):
    region = cycle_2024["region"]
    question = region.questions.get(code="18")
    first, second = question.items[0], question.items[1]
    # fill_response ticks the first alternative only.
    submit(region, "01", user)
    submit(region, "03", user)

    appendix = compute_results(questionnaire=region).appendix

    assert column(appendix, "18", first)["Riket"] == "2/2"
    assert column(appendix, "18", first)["Stockholm"] == "Ja"
    assert column(appendix, "18", second)["Riket"] == "0/2"
    assert column(appendix, "18", second)["Uppsala"] == "."


def test_count_riket_is_the_sum_with_spaces(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user, {("36", ""): Value(number=1_600_000)})
    submit(region, "03", user, {("36", ""): Value(number=2_645_026)})

    table = column(compute_results(questionnaire=region).appendix, "36")

    assert table["Riket"] == "4 245 026"
    assert table["Stockholm"] == "1 600 000"


def test_region_shares_are_over_regions_per_county_and_riket(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user, {("2", ""): Value(text="Ja")})
    submit(region, "03", user, {("2", ""): Value(text="Nej")})

    shares = compute_results(questionnaire=region).shares

    of_2 = shares[(shares["question"] == "2") & (shares["option"] == "Ja")]
    assert of_2[["level", "unit", "count", "denominator", "percent"]].to_dict(
        "records"
    ) == [
        {"level": "riket", "unit": "SE", "count": 1, "denominator": 2, "percent": 50},
        {"level": "county", "unit": "01", "count": 1, "denominator": 1, "percent": 100},
        {"level": "county", "unit": "03", "count": 0, "denominator": 1, "percent": 0},
    ]
    assert set(shares["counted"]) == {"regions"}


def test_municipal_shares_come_from_the_submitted_rss_compilations(cycle_2024, user):
    """The counts-only path: no municipal answers in the system, the RSS's counts."""
    rss = cycle_2024["rss"]
    municipal = cycle_2024["municipality"]
    # Gotland: one RSS, one municipality. Uppsala: typed counts for its 8 municipalities.
    submit(rss, "RSS-09", user, {("S03-K06", "Ja"): Value(number=1)})
    submit(
        rss,
        "RSS-03",
        user,
        {("S03-K06", "Ja"): Value(number=5), ("S03-K06", "Nej"): Value(number=3)},
    )
    draft(rss, "RSS-01", user, {("S03-K06", "Ja"): Value(number=20)})

    shares = compute_results(questionnaire=municipal).shares

    k06 = shares[(shares["question"] == "K06") & (shares["option"] == "Ja")]
    with_data = k06[k06["source"] != "none"]
    assert with_data[
        ["level", "unit", "count", "denominator", "percent", "source", "municipalities"]
    ].to_dict("records") == [
        {
            "level": level,
            "unit": unit,
            "count": count,
            "denominator": denominator,
            "percent": percent,
            "source": "counts",
            "municipalities": denominator,
        }
        for level, unit, count, denominator, percent in [
            ("riket", "SE", 6, 9, 67),
            ("county", "03", 5, 8, 63),
            ("county", "09", 1, 1, 100),
            ("rss", "RSS-03", 5, 8, 63),
            ("rss", "RSS-09", 1, 1, 100),
        ]
    ]
    # Every other county and RSS area is there, without data (RSS-01's draft is not).
    without = k06[k06["source"] == "none"]
    assert len(without) == 19 + 22  # of 21 counties and 24 RSS
    assert set(without["count"]) == {0} and set(without["denominator"]) == {0}
    assert "RSS-01" in set(without["unit"])
    assert set(shares["counted"]) == {"municipalities"}
    sources = set(
        rss.questions.filter(type=QuestionType.COUNT_PER_OPTION).values_list(
            "source__code", flat=True
        )
    )
    assert set(shares["question"]) == sources


def test_rss_shares_are_over_rss_of_their_own_closed_questions(cycle_2024, user):
    rss = cycle_2024["rss"]
    options = rss.questions.get(code="S02").options
    for code in ("RSS-14-GR", "RSS-14-FYR", "RSS-01"):
        submit(rss, code, user, {("S02", ""): Value(text=options[0])})
    submit(rss, "RSS-14-SKA", user, {("S02", ""): Value(text=options[1])})

    shares = compute_results(questionnaire=rss).shares

    assert set(shares["question"]) == {"S02"}
    assert set(shares["counted"]) == {"rss"}
    first = shares[shares["option"] == options[0]]
    by_unit = {
        unit: (count, denominator)
        for unit, count, denominator in first[
            ["unit", "count", "denominator"]
        ].itertuples(index=False)
    }
    assert by_unit["SE"] == (3, 4)
    assert by_unit["14"] == (2, 3)
    assert by_unit["RSS-14-SKA"] == (0, 1)


def test_the_extra_questionnaire_has_no_tables(cycle_2024, user):
    results = compute_results(questionnaire=cycle_2024["extra"])
    assert results.appendix.empty
    assert results.shares.empty


def test_fingerprint_is_the_selectors_one_for_a_questionnaire_of_its_own(
    cycle_2024, user
):
    region = cycle_2024["region"]
    submit(region, "01", user)

    results = compute_results(questionnaire=region)

    assert (results.fingerprint, results.responses) == selectors.fingerprint(
        questionnaire=region
    )


def test_municipal_fingerprint_changes_when_an_rss_submits(cycle_2024, user):
    municipal = cycle_2024["municipality"]
    before = compute_results(questionnaire=municipal).fingerprint

    submit(cycle_2024["rss"], "RSS-09", user)

    assert results_fingerprint(questionnaire=municipal)[0] != before
    assert compute_results(questionnaire=municipal).fingerprint != before


def test_same_answers_give_identical_results(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user)
    submit(region, "03", user, {("35", ""): Value(number=61)})

    first = compute_results(questionnaire=region)
    second = compute_results(questionnaire=region)

    pd.testing.assert_frame_equal(first.appendix, second.appendix)
    pd.testing.assert_frame_equal(first.shares, second.shares)
    assert first.fingerprint == second.fingerprint


@pytest.fixture
def two_cycles(empty_frame):
    """A 2023 and a 2024 region questionnaire with question 4 linked across the years."""
    regions = [
        RegionFactory(county=CountyFactory(code=code), name=name)
        for code, name in (("01", "Stockholm"), ("03", "Uppsala"), ("04", "Sörmland"))
    ]
    old = SectionFactory(
        questionnaire=QuestionnaireFactory(cycle=CycleFactory(year=2023))
    )
    new = SectionFactory(
        questionnaire=QuestionnaireFactory(cycle=CycleFactory(year=2024))
    )
    old_4 = QuestionFactory(
        section=old,
        code="4",
        type=QuestionType.YES_NO,
        rule=Rule.YES_COUNT,
        in_appendix=True,
    )
    QuestionFactory(
        section=new,
        code="4",
        type=QuestionType.SINGLE_CHOICE,
        options=["Ja", "Nej", "Nej, men förslag finns framtaget"],
        rule=Rule.YES_COUNT,
        in_appendix=True,
        previous=old_4,
    )
    QuestionFactory(
        section=new,
        code="5",
        type=QuestionType.YES_NO,
        rule=Rule.YES_COUNT,
        in_appendix=True,
    )
    return regions, old.questionnaire, new.questionnaire


def answer(questionnaire, region, code, text, status=Response.Status.SUBMITTED):
    response = Response.objects.filter(
        questionnaire=questionnaire, organisation=region
    ).first() or ResponseFactory(
        questionnaire=questionnaire, organisation=region, status=status
    )
    Answer.objects.create(
        response=response, question=questionnaire.questions.get(code=code), text=text
    )


def test_a_linked_question_carries_the_previous_cycles_national_row(two_cycles):
    (stockholm, uppsala, sormland), old, new = two_cycles
    answer(old, stockholm, "4", "Ja")
    answer(old, uppsala, "4", "Nej")
    answer(old, sormland, "4", "Ja", status=Response.Status.DRAFT)
    answer(new, stockholm, "4", "Nej, men förslag finns framtaget")
    answer(new, uppsala, "4", "Ja")
    answer(new, sormland, "4", "Ja")

    appendix = compute_results(questionnaire=new).appendix

    of_4 = appendix[appendix["question"] == "4"]
    assert list(zip(of_4["organisation"], of_4["value"], strict=True)) == [
        ("Riket", "2/3"),
        ("Riket 2023", "1/2"),
        ("Stockholm", "Nej, men förslag finns framtaget"),
        ("Uppsala", "Ja"),
        ("Sörmland", "Ja"),
    ]
    assert "Riket 2023" not in set(
        appendix.loc[appendix["question"] == "5", "organisation"]
    )


def test_no_previous_row_when_the_previous_cycle_has_no_submitted_answers(two_cycles):
    (stockholm, _uppsala, _sormland), old, new = two_cycles
    answer(old, stockholm, "4", "Ja", status=Response.Status.DRAFT)
    answer(new, stockholm, "4", "Ja")

    appendix = compute_results(questionnaire=new).appendix

    assert "Riket 2023" not in set(appendix["organisation"])


def test_without_submitted_responses_the_tables_are_empty_but_whole(cycle_2024, user):
    region = cycle_2024["region"]
    draft(region, "01", user)

    results = compute_results(questionnaire=region)

    table = column(results.appendix, "2")
    assert len(table) == 22
    assert set(table.values()) == {""}
    assert results.shares.empty
    assert results.responses == 0
