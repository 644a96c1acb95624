"""Published values of an earlier year: the import (all or nothing, replace) and where
they show (previous_percent of the shares, the appendix's "Riket <year>")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from aggregation.compute import compute_results
from aggregation.models import AggregationRun, PublishedValue
from aggregation.services import aggregation_fresh_run, published_values_import
from reports.documents.shares import shares_csv
from surveys.answers import Value
from surveys.models import Answer, QuestionType, Response
from surveys.models.questionnaire import Rule
from tests.aggregation.test_compute import submit
from tests.factories import (
    CountyFactory,
    CycleFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    ResponseFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "question,item,option,level,unit,percent,count,denominator\n"
FIGURE_37 = (
    HEADER
    + 'S02,,"Ja, alla kommuner",riket,SE,29,,\n'
    + 'S02,,"Ja, vissa kommuner",riket,SE,25,,\n'
    + "S02,,Nej (kommunerna har inte samverkat),riket,SE,46,,\n"
)
EXAMPLES = Path(__file__).resolve().parents[2] / "surveys/definitions/2024/published"


@pytest.fixture
def user(national_frame, staff):
    return staff


def imported(questionnaire, text, year=2023):
    return published_values_import(
        questionnaire=questionnaire, year=year, file=text.encode(), file_name="f.csv"
    )


def refusal(questionnaire, text, year=2023) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        imported(questionnaire, text, year)
    return caught.value.messages


def test_a_good_file_stores_each_figure_against_this_cycles_question(cycle_2024):
    rss = cycle_2024["rss"]

    assert imported(rss, FIGURE_37).count == 3

    stored = PublishedValue.objects.order_by("row")
    assert [
        (v.question.code, v.option, v.level, v.unit, v.percent) for v in stored
    ] == [
        ("S02", "Ja, alla kommuner", "riket", "SE", 29),
        ("S02", "Ja, vissa kommuner", "riket", "SE", 25),
        ("S02", "Nej (kommunerna har inte samverkat)", "riket", "SE", 46),
    ]
    assert {v.question.questionnaire_id for v in stored} == {rss.pk}
    assert {(v.year, v.source, v.row) for v in stored} == {
        (2023, "f.csv", 2),
        (2023, "f.csv", 3),
        (2023, "f.csv", 4),
    }


def test_the_header_may_leave_out_count_and_denominator_and_use_semicolons(
    cycle_2024,
):
    text = (
        "Question;Item;Option;Level;Unit;Percent\n"
        "K01;Familjecentraler i samverkan med regionen;Ja;county;1;43\n"
    )

    assert imported(cycle_2024["municipality"], text).count == 1
    assert PublishedValue.objects.get().unit == "01"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("S99,,Ja,riket,SE,50,,", "Rad 2, question: frågan ”S99” finns inte"),
        ("S01,,,riket,SE,50,,", "Rad 2, question: fråga S01 har inga publicerade"),
        ("S03-K06,,Ja,riket,SE,50,,", "importera kommunernas andelar"),
        ("S02,Något,Ja,riket,SE,50,,", "Rad 2, item: fråga S02 har inga delfrågor"),
        ("S02,,Kanske,riket,SE,50,,", "Rad 2, option: ”Kanske” är inte ett"),
        ("S02,,Nej (kommunerna har inte samverkat),kommun,SE,50,,", "Rad 2, level:"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,01,50,,", "Rad 2, unit:"),
        ("S02,,Nej (kommunerna har inte samverkat),county,99,50,,", "länskoden ”99”"),
        ("S02,,Nej (kommunerna har inte samverkat),rss,RSS-99,50,,", "RSS-koden"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,101,,", "över 100"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,45.5,,", "inte ett heltal"),
        (
            "S02,,Nej (kommunerna har inte samverkat),riket,SE,,,",
            "Rad 2, percent: ange",
        ),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,50,30,24", "fler än"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,50,12,", "både count"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,50,11,24", "stämmer inte"),
        ("S02,,Nej (kommunerna har inte samverkat),riket,SE,-4,,", "negativt"),
        (
            "S02,,Nej (kommunerna har inte samverkat),riket,SE,50,"
            "1000000000000000,2000000000000000",
            "Rad 2, count: 1000000000000000 är orimligt stort",
        ),
        (
            "S02,,Nej (kommunerna har inte samverkat),riket,SE,50,2000000,4000000",
            "Rad 2, count: 2000000 är fler organisationer än det finns",
        ),
    ],
)
def test_each_bad_row_is_refused_naming_the_row_and_the_field(
    cycle_2024, row, expected
):
    messages = refusal(cycle_2024["rss"], HEADER + row + "\n")

    assert any(expected in message for message in messages), messages
    assert not PublishedValue.objects.exists()


def test_matrix_items_and_multiple_choice_options_are_checked(cycle_2024):
    municipal = cycle_2024["municipality"]
    text = (
        HEADER
        + "K01,Familjecentraler,Ja,riket,SE,43,,\n"
        + "K01,Familjecentraler i samverkan med regionen,Nej,riket,SE,43,,\n"
        + "K04,… barn och unga,Kanske,riket,SE,43,,\n"
    )

    messages = refusal(municipal, text)

    assert messages[0].startswith("Rad 2, item: ”Familjecentraler” är inte en delfråga")
    assert messages[1].startswith("Rad 3, option: fråga K01 är en flervalsfråga")
    assert messages[2].startswith("Rad 4, option: ”Kanske”")


def test_a_region_file_has_no_rss_level(cycle_2024):
    messages = refusal(cycle_2024["region"], HEADER + "2,,Ja,rss,RSS-01,50,,\n")

    assert messages == [
        "Rad 2, level: ”rss” är ingen nivå för den här enkäten; välj riket, county."
    ]


def test_a_count_question_takes_its_sum_in_count_and_no_percent(cycle_2024):
    region = cycle_2024["region"]

    assert refusal(region, HEADER + "36,,,riket,SE,50,,\n")[0].startswith(
        "Rad 2, count: fråga 36 är en antalsfråga"
    )
    assert imported(region, HEADER + "36,,,riket,SE,,4245026,\n").count == 1


def test_the_same_figure_twice_and_a_bad_header_are_refused(cycle_2024):
    rss = cycle_2024["rss"]
    twice = FIGURE_37 + 'S02,,"Ja, alla kommuner",riket,SE,29,,\n'

    assert refusal(rss, twice) == [
        "Rad 5: samma värde som rad 2 (fråga S02, –, Ja, alla kommuner, riket SE)."
    ]
    assert refusal(rss, "question,item,option,level,percent\nS02,,x,riket,1\n") == [
        "Rad 1: rubrikraden ska ha kolumnerna question,item,option,level,unit,"
        "percent och kan ha count,denominator (saknas: unit)."
    ]
    assert refusal(rss, "") == ["Filen är tom."]
    assert refusal(rss, HEADER) == ["Filen innehåller rubrikraden men inga värden."]


def test_the_year_must_be_earlier_than_the_cycle(cycle_2024):
    assert refusal(cycle_2024["rss"], FIGURE_37, year=2024)[0].startswith(
        "Året 2024 är inte ett tidigare år än omgången 2024"
    )


def test_one_bad_row_stores_nothing_and_keeps_the_values_before(cycle_2024):
    rss = cycle_2024["rss"]
    imported(rss, FIGURE_37)
    before = list(PublishedValue.objects.values_list("pk", "percent"))

    messages = refusal(
        rss, HEADER + 'S02,,"Ja, alla kommuner",riket,SE,30,,\nS02,,Nix,riket,SE,1,,\n'
    )

    assert len(messages) == 1
    assert list(PublishedValue.objects.values_list("pk", "percent")) == before


def test_a_new_file_replaces_that_years_values_and_keeps_other_years(cycle_2024):
    rss = cycle_2024["rss"]
    imported(rss, FIGURE_37, year=2022)
    imported(rss, FIGURE_37)

    imported(rss, HEADER + 'S02,,"Ja, alla kommuner",riket,SE,30,,\n')

    assert sorted(PublishedValue.objects.values_list("year", "percent")) == [
        (2022, 25),
        (2022, 29),
        (2022, 46),
        (2023, 30),
    ]


def _shares_csv(questionnaire) -> list[dict[str, str]]:
    run = aggregation_fresh_run(questionnaire=questionnaire)
    text = shares_csv(run=run, excel=False).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_shares_export_gives_the_published_previous_percent(cycle_2024, user):
    rss = cycle_2024["rss"]
    options = rss.questions.get(code="S02").options
    for code in ("RSS-01", "RSS-03", "RSS-04"):
        submit(rss, code, user, {("S02", ""): Value(text=options[2])})
    imported(rss, FIGURE_37)

    rows = _shares_csv(rss)

    assert list(rows[0])[-1] == "previous_percent"
    national = {
        r["option"]: (r["percent"], r["previous_percent"])
        for r in rows
        if r["question"] == "S02" and r["level"] == "riket"
    }
    assert national == {
        "Ja, alla kommuner": ("0", "29"),
        "Ja, vissa kommuner": ("0", "25"),
        "Nej (kommunerna har inte samverkat)": ("100", "46"),
    }
    county = [r for r in rows if r["question"] == "S02" and r["level"] == "county"]
    assert county and {r["previous_percent"] for r in county} == {""}


def test_an_import_makes_the_stored_results_stale_and_queues_a_run(
    cycle_2024, user, django_capture_on_commit_callbacks
):
    rss = cycle_2024["rss"]
    submit(rss, "RSS-01", user)
    first = aggregation_fresh_run(questionnaire=rss)

    with django_capture_on_commit_callbacks(execute=True):
        imported(rss, FIGURE_37)

    current = AggregationRun.objects.get(questionnaire=rss, is_current=True)
    assert current.pk != first.pk
    assert current.fingerprint != first.fingerprint
    previous = current.share_rows.filter(question_code="S02", level="riket")
    assert sorted(previous.values_list("previous_percent", flat=True)) == [25, 29, 46]
    assert set(previous.values_list("previous_year", flat=True)) == {2023}


def test_the_appendix_prints_riket_2023_from_published_values(cycle_2024, user):
    region = cycle_2024["region"]
    submit(region, "01", user, {("2", ""): Value(text="Ja")})
    imported(
        region,
        HEADER
        + "2,,Ja,riket,SE,76,16,21\n4,,Ja,riket,SE,86,,\n"
        + "35,,,riket,SE,57,,\n36,,,riket,SE,,4245026,\n",
    )

    appendix = compute_results(questionnaire=region).appendix

    def rows(code):
        cells = appendix[appendix["question"] == code]
        return list(zip(cells["organisation"], cells["value"], strict=True))[:3]

    assert rows("2") == [("Riket", "1/1"), ("Riket 2023", "16/21"), ("Stockholm", "Ja")]
    assert rows("4")[1] == ("Riket 2023", "86 %")
    assert rows("35")[1] == ("Riket 2023", "57 %")
    assert rows("36")[1] == ("Riket 2023", "4 245 026")


@pytest.fixture
def two_cycles(empty_frame):
    """2023 and 2024 region questionnaires with question 2 linked across the years."""
    regions = [
        RegionFactory(county=CountyFactory(code=code), name=name)
        for code, name in (("01", "Stockholm"), ("03", "Uppsala"))
    ]
    old = SectionFactory(
        questionnaire=QuestionnaireFactory(cycle=CycleFactory(year=2023))
    )
    new = SectionFactory(
        questionnaire=QuestionnaireFactory(cycle=CycleFactory(year=2024))
    )
    old_2 = QuestionFactory(
        section=old,
        code="2",
        type=QuestionType.YES_NO,
        rule=Rule.YES_COUNT,
        in_appendix=True,
    )
    for code, previous in (("2", old_2), ("5", None)):
        QuestionFactory(
            section=new,
            code=code,
            type=QuestionType.YES_NO,
            rule=Rule.YES_COUNT,
            in_appendix=True,
            previous=previous,
        )
    return regions, old.questionnaire, new.questionnaire


def _answer(questionnaire, region, code, text):
    response = Response.objects.filter(
        questionnaire=questionnaire, organisation=region
    ).first() or ResponseFactory(
        questionnaire=questionnaire,
        organisation=region,
        status=Response.Status.SUBMITTED,
    )
    Answer.objects.create(
        response=response, question=questionnaire.questions.get(code=code), text=text
    )


def test_a_previous_cycle_run_in_the_system_wins_over_published_values(two_cycles):
    (stockholm, uppsala), old, new = two_cycles
    _answer(old, stockholm, "2", "Ja")
    _answer(old, uppsala, "2", "Nej")
    _answer(new, stockholm, "2", "Ja")
    _answer(new, uppsala, "2", "Ja")
    _answer(new, stockholm, "5", "Ja")
    imported(
        new,
        HEADER + "2,,Ja,riket,SE,76,16,21\n5,,Ja,riket,SE,40,,\n",
    )

    results = compute_results(questionnaire=new)

    shares = results.shares[
        (results.shares["level"] == "riket") & (results.shares["option"] == "Ja")
    ]
    previous = {
        q: (int(y), int(p))
        for q, y, p in zip(
            shares["question"],
            shares["previous_year"],
            shares["previous_percent"],
            strict=True,
        )
    }
    # 2: computed from 2023's answers (1 of 2), not the published 76 %; 5 is not
    # linked, so its published value stands.
    assert previous == {"2": (2023, 50), "5": (2023, 40)}
    appendix = results.appendix
    riket_2023 = appendix[appendix["organisation"] == "Riket 2023"]
    assert dict(zip(riket_2023["question"], riket_2023["value"], strict=True)) == {
        "2": "1/2",
        "5": "40 %",
    }


def test_published_values_stand_where_the_linked_cycle_has_no_answers(two_cycles):
    (stockholm, _uppsala), _old, new = two_cycles
    _answer(new, stockholm, "2", "Ja")
    imported(new, HEADER + "2,,Ja,riket,SE,76,16,21\n")

    shares = compute_results(questionnaire=new).shares
    row = shares[
        (shares["question"] == "2")
        & (shares["option"] == "Ja")
        & (shares["level"] == "riket")
    ].iloc[0]

    assert (row["previous_percent"], row["previous_count"]) == (76, 16)


def test_the_command_imports_a_file_and_refuses_a_bad_one(cycle_2024, tmp_path):
    good = tmp_path / "rss.csv"
    good.write_text(FIGURE_37, encoding="utf-8")
    out = io.StringIO()

    call_command(
        "import_published_values",
        "--cycle=2024",
        "--questionnaire=rss",
        "--year=2023",
        str(good),
        stdout=out,
    )

    assert "3 publicerade värden för 2023" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "S02,,Nix,riket,SE,1,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Rad 2, option"):
        call_command(
            "import_published_values",
            "--cycle=2024",
            "--questionnaire=rss",
            "--year=2023",
            str(bad),
        )
    assert PublishedValue.objects.count() == 3
    with pytest.raises(CommandError, match="Enkäten ”x” finns inte"):
        call_command(
            "import_published_values",
            "--cycle=2024",
            "--questionnaire=x",
            "--year=2023",
            str(good),
        )


def test_the_command_prints_what_a_file_replaced(cycle_2024, tmp_path):
    first = tmp_path / "rss.csv"
    first.write_text(FIGURE_37, encoding="utf-8")
    second = tmp_path / "rss-ny.csv"
    second.write_text(
        HEADER
        + 'S02,,"Ja, alla kommuner",riket,SE,30,,\n'
        + 'S02,,"Ja, vissa kommuner",riket,SE,25,,\n',
        encoding="utf-8",
    )
    args = ["--cycle=2024", "--questionnaire=rss", "--year=2023"]
    out = io.StringIO()

    call_command("import_published_values", *args, str(first), stdout=out)
    call_command("import_published_values", *args, str(second), stdout=out)

    first_line, second_line = out.getvalue().splitlines()
    assert first_line.endswith(
        "0 ersatte sparade värden (0 med ett annat värde), 3 nya, "
        "0 sparade värden som saknades i filen togs bort."
    )
    assert second_line.startswith("rss-ny.csv: 2 publicerade värden för 2023")
    assert second_line.endswith(
        "2 ersatte sparade värden (1 med ett annat värde), 0 nya, "
        "1 sparade värden som saknades i filen togs bort."
    )


def test_the_shipped_2023_values_of_the_report_load(cycle_2024):
    out = io.StringIO()

    call_command(
        "import_published_values", "--cycle=2024", "--from-definitions", stdout=out
    )

    values = {
        (
            v.question.questionnaire.audience,
            v.question.code,
            v.item,
            v.option,
        ): v.percent
        for v in PublishedValue.objects.select_related("question__questionnaire")
    }
    assert values[("rss", "S02", "", "Nej (kommunerna har inte samverkat)")] == 46
    assert values[("rss", "S02", "", "Ja, alla kommuner")] == 29
    assert values[("rss", "S02", "", "Ja, vissa kommuner")] == 25
    rehab = "Rehabiliterande och/eller habiliterande insatser i samverkan med regionen"
    assert values[("municipality", "K01", rehab, "Ja")] == 59
    family = "Familjecentraler i samverkan med regionen"
    assert values[("municipality", "K01", family, "Ja")] == 43
    assert values[("region", "2", "", "Ja")] == 76
    assert values[("region", "4", "", "Ja")] == 86
    assert sorted(p.name for p in EXAMPLES.glob("*.csv")) == [
        "municipality-2023.csv",
        "region-2023.csv",
        "rss-2023.csv",
    ]
