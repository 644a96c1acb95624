"""Numbers already stored never stop the tables: integers are read as integers.

A submitted count of 9223372036854775807 (the largest the column holds) made every later
run of the questionnaire fail ("cannot safely cast non-equivalent float64 to int64"), and
counts between 2**53 and 2**63 were rounded. Input now has an upper bound, but the
aggregation must cope with what is stored.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from aggregation.models import AggregationRun, AppendixCell
from aggregation.selectors import answers_frame
from aggregation.services import aggregation_fresh_run
from surveys.models import Answer, Questionnaire
from tests.aggregation.test_aggregation_run import submit

pytestmark = pytest.mark.django_db

Status = AggregationRun.Status
BIGGEST = 9223372036854775807  # 2**63 - 1
ODD = 2**53 + 1  # the first integer a float64 cannot hold


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


def store_count(region, code: str, number: int) -> None:
    """Write the count of question 36 straight into the stored answer."""
    updated = Answer.objects.filter(
        response__questionnaire=region,
        response__organisation__code=code,
        question__code="36",
    ).update(number=number, cannot_estimate=False)
    assert updated == 1


def riket(run: AggregationRun, question: str = "36") -> str:
    return AppendixCell.objects.get(
        run=run, question_code=question, organisation="Riket"
    ).value


def test_the_largest_stored_count_is_summed_exactly_and_the_run_completes(
    region, staff
):
    submit(region, "01", staff)
    submit(region, "03", staff)
    store_count(region, "01", BIGGEST)
    store_count(region, "03", BIGGEST)

    run = aggregation_fresh_run(questionnaire=region)

    assert run.status == Status.COMPLETE, run.messages
    assert riket(run) == f"{2 * BIGGEST:,}".replace(",", " ")
    stockholm = AppendixCell.objects.get(
        run=run, question_code="36", organisation="Stockholm"
    ).value
    assert stockholm == f"{BIGGEST:,}".replace(",", " ")


def test_counts_beyond_float_precision_are_not_rounded(region, staff):
    submit(region, "01", staff)
    store_count(region, "01", ODD)

    frame = answers_frame(questionnaire=region)
    stored = frame.loc[frame["question_code"] == "36", "number"].tolist()
    assert stored == [ODD]
    run = aggregation_fresh_run(questionnaire=region)
    assert riket(run) == f"{ODD:,}".replace(",", " ")


def test_a_run_that_fails_names_the_question_and_organisation(
    cycle_2024, staff, client
):
    """RSS counts far beyond any area overflow the shares; the failed run says where."""
    rss, municipal = cycle_2024["rss"], cycle_2024["municipality"]
    for code in ("RSS-09", "RSS-10"):
        submit(rss, code, staff)
    first = (
        Answer.objects.filter(
            response__questionnaire=rss,
            question__code__startswith="S03-K06",
            number__isnull=False,
        )
        .order_by("item")
        .first()
    )
    Answer.objects.filter(
        response__questionnaire=rss,
        question=first.question,
        item=first.item,
    ).update(number=BIGGEST, cannot_estimate=False)

    run = aggregation_fresh_run(questionnaire=municipal)

    assert run.status == Status.ERROR
    message = " ".join(run.messages)
    for code in ("RSS-09", "RSS-10"):
        assert f"Fråga {first.question.code} ({first.item}), " in message
        assert f"({code}): det lagrade talet {BIGGEST} är orimligt stort" in message
    client.force_login(staff)
    page = client.get(reverse("aggregation:runs")).content.decode()
    assert f"({first.item}), " in page and str(BIGGEST) in page
