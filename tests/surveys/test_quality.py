from __future__ import annotations

import pytest

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Question, QuestionType
from surveys.quality import Warning, answer_warnings
from tests.surveys.helpers import tr

# Question 35 (share with a named doctor) and 36 (persons), checked as in region.yaml.
TOLERANCE_PP = 10
FACTOR = 10
PERCENTAGE = Question(
    code="35", type=QuestionType.PERCENTAGE, checks=[{"check": "range", "max": 100}]
)
COUNT = Question(
    code="36",
    type=QuestionType.COUNT,
    checks=[
        {"check": "range", "min": 0},
        {"check": "all_nines"},
        {"check": "matches_percentage", "question": "35", "tolerance_pp": TOLERANCE_PP},
        {"check": "far_below_percentage", "question": "35", "factor": FACTOR},
    ],
)
VARMLAND = Organisation(code="17", name="Värmland", population=283_000)


def warnings_for(
    percent: Value | None,
    count: Value | None,
    organisation: Organisation = VARMLAND,
) -> list[Warning]:
    answers = {}
    if percent is not None:
        answers[("35", "")] = percent
    if count is not None:
        answers[("36", "")] = count
    return answer_warnings(
        questions=[PERCENTAGE, COUNT], answers=answers, organisation=organisation
    )


def checks_fired(warnings: list[Warning]) -> list[str]:
    return [w.check for w in warnings]


def test_a_count_given_in_thousands_is_far_off_the_percentage():
    warnings = warnings_for(Value(number=63), Value(number=179))

    assert checks_fired(warnings) == ["matches_percentage", "far_below_percentage"]
    matches, far_below = warnings
    assert (matches.question, matches.item, matches.value) == ("36", "", "179")
    assert matches.reason == tr(
        "The count %(value)s is %(share)s of the population (%(population)s), but "
        "question %(question)s gives %(percent)s %%."
    ) % {
        "value": "179",
        "share": "0,1 %",
        "population": "283 000",
        "question": "35",
        "percent": 63,
    }
    assert far_below.reason == tr(
        "The count %(value)s is less than 1/%(factor)s of the about %(expected)s "
        "persons that %(percent)s %% of the population (%(population)s) in question "
        "%(question)s gives. Was it given in thousands, or as a percentage?"
    ) % {
        "value": "179",
        "factor": "10",
        "expected": "178 290",
        "percent": 63,
        "population": "283 000",
        "question": "35",
    }


def test_the_reason_is_swedish_and_names_the_figures():
    (matches, _far_below) = warnings_for(Value(number=63), Value(number=179))

    assert matches.reason == (
        "Antalet 179 motsvarar 0,1 % av befolkningen (283 000), men fråga 35 anger 63 %."
    )


def test_a_percentage_typed_as_the_count_is_flagged():
    warnings = warnings_for(Value(number=38), Value(number=38))

    assert checks_fired(warnings) == ["matches_percentage", "far_below_percentage"]
    assert tr("under 0.1 %") in warnings[0].reason


def test_a_placeholder_of_nines_is_flagged():
    warnings = warnings_for(Value(number=63), Value(number=999_999))

    assert "all_nines" in checks_fired(warnings)
    (nines,) = [w for w in warnings if w.check == "all_nines"]
    assert nines.value == "999 999"
    assert nines.reason == tr(
        "%(value)s is only nines: is it a placeholder rather than the real figure?"
    ) % {"value": "999 999"}


@pytest.mark.parametrize("number", [999, 9_999, 99_999_999])
def test_every_run_of_three_or_more_nines_is_flagged(number):
    warnings = warnings_for(None, Value(number=number))

    assert checks_fired(warnings) == ["all_nines"]


@pytest.mark.parametrize("number", [9, 99, 990, 989_999, 199_999])
def test_short_or_mixed_nines_are_not_flagged(number):
    assert warnings_for(None, Value(number=number)) == []


@pytest.mark.parametrize("count", [178_290, 179_000, 150_000])
def test_a_plausible_count_gives_no_warning(count):
    assert warnings_for(Value(number=63), Value(number=count)) == []


def test_a_count_exactly_at_the_tolerance_gives_no_warning():
    # 206 590 / 283 000 = 73.0 %: exactly 10 points above 63 %.
    assert warnings_for(Value(number=63), Value(number=206_590)) == []
    # 53.0 %: 10 points below.
    assert warnings_for(Value(number=63), Value(number=149_990)) == []


def test_a_count_just_beyond_the_tolerance_is_flagged():
    # 206 591 / 283 000 = 73.0004 %; 149 989 / 283 000 = 52.9996 %.
    above = warnings_for(Value(number=63), Value(number=206_591))
    below = warnings_for(Value(number=63), Value(number=149_989))

    assert checks_fired(above) == ["matches_percentage"]
    assert checks_fired(below) == ["matches_percentage"]


def test_a_count_at_a_tenth_of_the_implied_number_is_not_far_below():
    # 63 % of 283 000 = 178 290; a tenth is 17 829.
    at_a_tenth = warnings_for(Value(number=63), Value(number=17_829))
    just_below = warnings_for(Value(number=63), Value(number=17_828))

    assert "far_below_percentage" not in checks_fired(at_a_tenth)
    assert "far_below_percentage" in checks_fired(just_below)


def test_cannot_estimate_answers_are_not_checked():
    nines_not_estimated = warnings_for(
        Value(number=63), Value(cannot_estimate=True, number=None)
    )
    percent_not_estimated = warnings_for(Value(cannot_estimate=True), Value(number=179))

    assert nines_not_estimated == []
    assert percent_not_estimated == []


def test_a_count_is_not_compared_with_an_unanswered_percentage():
    assert warnings_for(None, Value(number=179)) == []


def test_a_count_is_not_compared_without_the_population():
    unknown = Organisation(code="99", name="Okänd", population=None)

    assert warnings_for(Value(number=63), Value(number=179), unknown) == []


def test_a_percentage_of_zero_implies_no_count_to_fall_below():
    warnings = warnings_for(Value(number=0), Value(number=0))

    assert warnings == []


def test_the_range_check_fires_outside_its_limits_only():
    above = warnings_for(Value(number=101), None)
    at_limit = warnings_for(Value(number=100), None)
    below = warnings_for(None, Value(number=-1))

    assert checks_fired(above) == ["range"]
    assert above[0].reason == tr(
        "%(value)s is more than %(max)s, the highest plausible value."
    ) % {"value": "101 %", "max": "100"}
    assert at_limit == []
    assert checks_fired(below) == ["range"]
    assert below[0].reason == tr(
        "%(value)s is less than %(min)s, the lowest plausible value."
    ) % {"value": "-1", "min": "0"}


def test_questions_without_checks_and_unanswered_cells_give_no_warning():
    plain = Question(code="1", type=QuestionType.COUNT, checks=[])

    warnings = answer_warnings(
        questions=[plain, COUNT],
        answers={("1", ""): Value(number=999_999)},
        organisation=VARMLAND,
    )

    assert warnings == []


def test_the_checks_leave_the_answers_as_given():
    answers = {("35", ""): Value(number=63), ("36", ""): Value(number=179)}
    before = dict(answers)

    answer_warnings(
        questions=[PERCENTAGE, COUNT], answers=answers, organisation=VARMLAND
    )

    assert answers == before


@pytest.mark.django_db
def test_the_2024_region_questionnaire_catches_the_three_traps(cycle_2024):
    questions = list(cycle_2024["region"].questions.order_by("position"))
    varmland = Organisation.objects.get(code="17")
    stockholm = Organisation.objects.get(code="01")

    def fired(organisation: Organisation, percent: int, count: int) -> set[str]:
        answers = {("35", ""): Value(number=percent), ("36", ""): Value(number=count)}
        return {
            w.check
            for w in answer_warnings(
                questions=questions, answers=answers, organisation=organisation
            )
        }

    assert fired(varmland, 63, 179) == {"matches_percentage", "far_below_percentage"}
    assert fired(stockholm, 38, 38) == {"matches_percentage", "far_below_percentage"}
    assert "all_nines" in fired(stockholm, 72, 999_999)
    assert fired(varmland, 63, 178_290) == set()
    plausible = round(stockholm.population * 72 / 100)
    assert fired(stockholm, 72, plausible) == set()
