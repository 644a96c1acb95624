"""Key figures: every published figure of the 2024 questionnaires has one stable name,
its value is the table's cell, and other apps can add their own figures."""

from __future__ import annotations

import pytest

from aggregation.key_figures import (
    KeyFigureError,
    cycle_key_figures,
    key_figure_namer,
    key_figure_providers,
    key_figures,
    organisation_segments,
    questionnaire_prefix,
    register_key_figure_provider,
    unregister_key_figure_provider,
)
from aggregation.rules.key_figures import (
    NAME_PATTERN,
    AppendixRecord,
    KeyFigure,
    ShareRecord,
    appendix_figures,
    name_key,
    share_figures,
)
from aggregation.selectors import appendix_tables, share_tables
from aggregation.services import aggregation_fresh_run
from regions.models import County, Organisation
from surveys.answers import Value
from surveys.models import QuestionType
from surveys.models.questionnaire import ANSWERED_OPTION, TICKED
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

ELDERLY = "… äldre personer med stora vård- och omsorgsbehov"
CLOSED = {
    QuestionType.YES_NO,
    QuestionType.YES_PARTLY_NO,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MATRIX,
    QuestionType.MULTIPLE_CHOICE,
}


def every_possible_name(questionnaire) -> list[str]:
    """Every name the tables of the questionnaire can have: every appendix column at
    Riket and at each of the 21 regions, every option of every closed question (of the
    municipal questions for the municipal shares) at every level and unit."""
    namer = key_figure_namer(questionnaire=questionnaire)
    counties = list(County.objects.values_list("code", flat=True))
    rss = list(
        Organisation.objects.filter(kind=Organisation.Kind.RSS).values_list(
            "code", flat=True
        )
    )
    units = [("riket", "SE")] + [("county", c) for c in counties]
    if questionnaire.audience != "region":
        units += [("rss", code) for code in rss]
    regions = organisation_segments(
        Organisation.objects.filter(kind=Organisation.Kind.REGION).values_list(
            "code", flat=True
        )
    )
    rows = ["riket", "riket.2023", *regions.values()]
    questions = list(questionnaire.questions.order_by("position"))
    cells = []
    shares = []
    for question in questions:
        items = list(question.items or []) or [""]
        if question.in_appendix:
            cells += [
                AppendixRecord(question.code, item, row, "1")
                for item in items
                for row in rows
            ]
        if question.type not in CLOSED:
            continue
        if question.type == QuestionType.MULTIPLE_CHOICE:
            pairs = [(item, TICKED) for item in items]
        else:
            pairs = [(i, o) for i in items for o in question.choice_options]
        shares += [
            ShareRecord(question.code, item, option, level, unit, "regions", 1, 2, 50)
            for item, option in pairs
            for level, unit in units
        ]
    rules = {q.code: str(q.rule) for q in questions}
    figures = [
        *appendix_figures(namer, cells, counted="regions", rules=rules),
        *share_figures(namer, shares),
    ]
    return [figure.name for figure in figures]


def test_names_are_unique_over_every_figure_of_the_2024_questionnaires(cycle_2024):
    names: list[str] = []
    for questionnaire in cycle_2024.values():
        names += every_possible_name(questionnaire)
    # The appendix and the shares of a region question share the name of the figure
    # as printed ("19/21"): the registry keeps the appendix's; everything else is one.
    keys = [name_key(name) for name in names]
    appendix_and_share = len(keys) - len(set(keys))
    shared = {k for k in keys if keys.count(k) > 1} if appendix_and_share else set()
    assert all(k.startswith("region.") for k in shared)
    assert all(not k.endswith((".count", ".denominator", ".percent")) for k in shared)
    assert len(names) > 10_000
    assert all(NAME_PATTERN.fullmatch(name) for name in names)


def test_names_are_the_same_when_computed_again(cycle_2024):
    first = {a: every_possible_name(q) for a, q in cycle_2024.items()}
    second = {a: every_possible_name(q) for a, q in cycle_2024.items()}
    assert first == second


@pytest.mark.parametrize(
    "name",
    [
        "municipality.K04.äldre.riket.percent",
        "municipality.K04.personer-med-kroniska.län-01.count",
        "municipality.K04.äldre.nej.rss-14-fyr",
        "municipality.K01.samverkansinsatser.riket",
        "municipality.K17.fast-vårdkontakt.vet-ej.riket.percent",
        "region.2.riket",
        "region.4.nej-men.riket.percent",
        "region.8.primärvården.riket",
        "region.13.stöd-för.delvis.riket.count",
        "region.15.äldre.län-25",
        "region.35.riket",
        "region.35.riket.denominator",
        "region.4.riket.2023",
        "rss.S02.ja-alla.riket.percent",
    ],
)
def test_the_names_follow_the_documented_scheme(cycle_2024, name):
    audience = name.split(".")[0]
    assert name in every_possible_name(cycle_2024[audience])


def test_a_web_extra_question_has_its_own_prefix(cycle_2024):
    extra = cycle_2024["extra"]
    assert questionnaire_prefix(extra) == "extra"
    extra.source_file = "web:uppfoljning-av-lakemedel"
    assert questionnaire_prefix(extra) == "extra-uppfoljning-av-lakemedel"


@pytest.fixture
def region_run(cycle_2024, staff):
    region = cycle_2024["region"]
    for code, answer, share in (
        ("01", "Ja", 59),
        ("03", "Ja", 60),
        ("25", "Nej", None),
    ):
        submit(
            region,
            code,
            staff,
            {
                ("2", ""): Value(text=answer),
                ("35", ""): Value(number=share)
                if share is not None
                else Value(cannot_estimate=True),
            },
        )
    return aggregation_fresh_run(questionnaire=region)


def test_region_figures_are_the_appendix_cells_and_shares(region_run):
    figures = key_figures(questionnaire=region_run.questionnaire, run=region_run)
    assert figures["region.2.riket"] == KeyFigure(
        "region.2.riket", "2/3", "2 av 3 regioner"
    )
    assert figures["region.2.riket.percent"].text == "67 procent av regionerna"
    assert figures["region.2.riket.count"].value == "2"
    assert figures["region.2.län-25"].value == "Nej"
    assert figures["region.35.riket"] == KeyFigure(
        "region.35.riket", "60 %", "i genomsnitt 60 procent"
    )
    assert figures["region.35.riket.denominator"].text == "2 regioner"
    assert figures["region.35.län-25"].text == "Andelen kan inte uppskattas"
    # A region that did not answer: the missing figure's sign.
    assert figures["region.2.län-04"].value == ".."
    assert figures["region.2.län-04"].missing


def test_every_table_cell_has_a_figure_with_its_value(region_run):
    figures = key_figures(questionnaire=region_run.questionnaire, run=region_run)
    namer = key_figure_namer(questionnaire=region_run.questionnaire)
    codes = dict(
        region_run.appendix_cells.values_list("organisation", "organisation_code")
    )
    segments = organisation_segments(codes.values())
    checked = 0
    for table in appendix_tables(run=region_run):
        for row_name, values in table.rows:
            for item, value in zip(table.columns, values, strict=True):
                name = namer.appendix(table.code, item, segments[codes[row_name]])
                assert figures[name_key(name)].value == (value or ".."), name
                checked += 1
    for table in share_tables(run=region_run):
        for _level, _unit, cells in table.rows:
            for cell in cells:
                assert cell is not None
                base = namer.share(
                    cell.question_code, cell.item, cell.option, cell.level, cell.unit
                )
                assert figures[name_key(f"{base}.count")].value == str(cell.count)
                assert figures[name_key(f"{base}.denominator")].value == str(
                    cell.denominator
                )
                percent = figures[name_key(f"{base}.percent")].value
                assert percent == (
                    ".." if cell.percent is None else f"{cell.percent} %"
                )
                checked += 1
    assert checked > 500


def test_the_national_row_and_the_share_of_ja_agree(region_run):
    """The appendix's Riket ("2/3") is the count and denominator of the share of "Ja"."""
    figures = key_figures(questionnaire=region_run.questionnaire, run=region_run)
    for lookup, figure in figures.items():
        if lookup.endswith(".riket") and f"{lookup}.count" in figures:
            count = figures[f"{lookup}.count"].value
            denominator = figures[f"{lookup}.denominator"].value
            if figure.value != "..":
                assert figure.value == f"{count}/{denominator}", lookup


@pytest.fixture
def municipal_run(cycle_2024, staff):
    """RSS-01 (26 municipalities) counted K04: 12 of 26 Ja for the elderly."""
    rss = cycle_2024["rss"]
    question = rss.questions.get(code="S03-K04")
    overrides = {}
    for cell in question.cells:
        if cell["option"] == ANSWERED_OPTION:
            continue
        count = 0
        if cell["item"] == ELDERLY:
            count = 12 if cell["option"] == "Ja" else 14
        overrides[("S03-K04", cell["label"])] = Value(number=count)
    submit(rss, "RSS-01", staff, overrides)
    return aggregation_fresh_run(questionnaire=cycle_2024["municipality"])


def test_municipal_shares_are_named_with_sentences(municipal_run):
    figures = key_figures(questionnaire=municipal_run.questionnaire, run=municipal_run)
    assert figures["municipality.k04.äldre.riket"] == KeyFigure(
        "municipality.K04.äldre.riket", "12/26", "12 av 26 kommuner"
    )
    assert figures["municipality.k04.äldre.riket.percent"] == KeyFigure(
        "municipality.K04.äldre.riket.percent", "46 %", "46 procent av kommunerna"
    )
    assert figures["municipality.k04.äldre.nej.rss-01.count"].text == "14 kommuner"
    assert figures["municipality.k04.äldre.län-01.denominator"].value == "26"


def test_the_cycle_holds_every_questionnaires_figures(region_run, municipal_run):
    cycle = region_run.questionnaire.cycle
    collected = cycle_key_figures(cycle=cycle)
    assert "region.2.riket" in collected.figures
    assert "municipality.k04.äldre.riket" in collected.figures
    assert {q.key for q in collected.without_results} == {"rss", "extra", "statsbidrag"}
    assert collected.stale == []


@pytest.fixture
def provider():
    """Registers providers for one test; the apps' own (coding's "themes") come back."""
    before = key_figure_providers()
    added = []

    def add(key, function):
        register_key_figure_provider(key, function)
        added.append(key)

    yield add
    for key in added:
        unregister_key_figure_provider(key)
        if key in before:
            register_key_figure_provider(key, before[key])


def test_another_app_adds_figures_through_a_provider(cycle_2024, provider):
    extra = cycle_2024["extra"]

    def themes(questionnaire, run):
        if questionnaire.audience == "extra":
            yield KeyFigure("extra.E01.tema.kolada.count", "12", "12 kommuner")

    provider("themes", themes)
    figures = key_figures(questionnaire=extra, run=None)
    assert figures["extra.e01.tema.kolada.count"].text == "12 kommuner"


def test_a_provider_outside_its_prefix_is_refused(cycle_2024, provider):
    provider("bad", lambda q, run: [KeyFigure("region.2.riket", "1", "1")])
    with pytest.raises(KeyFigureError, match="inte ett giltigt namn"):
        key_figures(questionnaire=cycle_2024["extra"], run=None)


def test_a_name_given_twice_is_refused(region_run, provider):
    provider("twice", lambda q, run: [KeyFigure("region.2.RIKET", "1", "1")])
    with pytest.raises(KeyFigureError, match="två gånger"):
        key_figures(questionnaire=region_run.questionnaire, run=region_run)
