"""This year beside the earlier one: the two-year bar chart and the shares documents'
previous-year column (figures 14, 20 and 37 of the 2024 report)."""

from __future__ import annotations

import pytest

from aggregation.models import ShareRow
from aggregation.selectors import ShareTable
from aggregation.services import aggregation_fresh_run, published_values_import
from reports.charts import comparison_chart
from reports.documents.shares import shares_html, shares_pdf, shares_xlsx
from reports.figures import share_chart, ticked_shares_chart
from surveys.answers import Value
from tests.reports.conftest import submit
from tests.reports.pdf_checks import html, pdf_text, table_rows
from tests.reports.test_pdf_shares import question_section
from tests.reports.test_table_documents import values, workbook
from tests.surveys.helpers import find_all, text

S02 = ["Ja, alla kommuner", "Ja, vissa kommuner", "Nej (kommunerna har inte samverkat)"]
FIGURE_37_2023 = (
    "question,item,option,level,unit,percent\n"
    'S02,,"Ja, alla kommuner",riket,SE,29\n'
    'S02,,"Ja, vissa kommuner",riket,SE,25\n'
    "S02,,Nej (kommunerna har inte samverkat),riket,SE,46\n"
)


def test_the_two_year_chart_draws_both_years_and_says_both_in_words():
    chart = comparison_chart(
        labels=S02,
        current=[25, 8, 67],
        previous=[29, 25, 46],
        years=(2024, 2023),
        caption="Andel RSS (%), fråga S02",
        chart_id="f37",
        sort=False,
    )

    assert chart.alt == (
        "Andel RSS (%), fråga S02. Ja, alla kommuner: 2024 25 %, 2023 29 %; "
        "Ja, vissa kommuner: 2024 8 %, 2023 25 %; "
        "Nej (kommunerna har inte samverkat): 2024 67 %, 2023 46 %."
    )
    for value in ("25 %", "8 %", "67 %", "29 %", "46 %", ">2024<", ">2023<"):
        assert value in chart.svg
    assert 'role="img"' in chart.svg
    assert 'id="f37-title"' in chart.svg
    assert "style=" not in chart.svg


def test_a_missing_earlier_value_reads_as_a_dash():
    chart = comparison_chart(
        labels=["Ja", "Nej"],
        current=[19, 2],
        previous=[16, None],
        years=(2024, 2023),
        caption="Antal regioner, fråga 2",
        chart_id="f14",
        unit="",
        maximum=21,
    )

    assert chart.alt.endswith("Ja: 2024 19, 2023 16; Nej: 2024 2, 2023 –.")
    # No bar and no label for the missing year: "Nej" has 2024's bar alone.
    assert ">–<" not in chart.svg
    assert ">16<" in chart.svg


def cell(option, count, n, percent, **previous):
    return ShareRow(
        question_code="2",
        item="",
        option=option,
        level="riket",
        unit="SE",
        counted=previous.pop("counted", "regions"),
        count=count,
        denominator=n,
        percent=percent,
        **previous,
    )


def table_of(cells, counted="regions", code="2") -> ShareTable:
    return ShareTable(
        code=code,
        text="Har regionen …?",
        item="",
        counted=counted,
        options=[c.option for c in cells],
        rows=[("riket", "Riket", cells)],
        year=2024,
    )


def test_region_shares_with_earlier_counts_are_drawn_as_counts_as_figure_14():
    chart = share_chart(
        table_of(
            [
                cell(
                    "Ja",
                    19,
                    21,
                    90,
                    previous_year=2023,
                    previous_count=16,
                    previous_denominator=21,
                    previous_percent=76,
                ),
                cell(
                    "Nej",
                    2,
                    21,
                    10,
                    previous_year=2023,
                    previous_count=5,
                    previous_denominator=21,
                    previous_percent=24,
                ),
            ]
        ),
        "f14",
    )

    assert chart is not None
    assert (
        chart.caption
        == "Antal regioner, fråga 2. Riket 2024 (n = 21) och 2023 (n = 21)"
    )
    assert chart.alt.endswith("Ja: 2024 19, 2023 16; Nej: 2024 2, 2023 5.")


def test_shares_with_an_earlier_percent_only_are_drawn_as_percentages():
    chart = share_chart(
        table_of(
            [
                cell(o, c, 24, p, counted="rss", previous_year=2023, previous_percent=b)
                for o, c, p, b in zip(
                    S02, (6, 2, 16), (25, 8, 67), (29, 25, 46), strict=True
                )
            ],
            counted="rss",
            code="S02",
        ),
        "f37",
    )

    assert chart.caption == "Andel RSS (%), fråga S02. Riket 2024 (n = 24) och 2023"
    # In the questionnaire's order, not sorted: the years side by side per option.
    assert chart.alt.endswith(
        "Ja, alla kommuner: 2024 25 %, 2023 29 %; Ja, vissa kommuner: 2024 8 %, "
        "2023 25 %; Nej (kommunerna har inte samverkat): 2024 67 %, 2023 46 %."
    )


def test_without_an_earlier_year_the_chart_is_the_one_year_chart():
    chart = share_chart(table_of([cell("Ja", 19, 21, 90), cell("Nej", 2, 21, 10)]), "c")

    assert chart.caption == "Andel regioner (%), fråga 2. Riket, n = 21"
    assert "2023" not in chart.alt


def test_a_multiple_choice_shows_the_alternatives_published_for_the_earlier_year():
    family = "Familjecentraler i samverkan med regionen"
    tables = [
        ShareTable(
            code="K01",
            text="Vilka …?",
            item=item,
            counted="municipalities",
            options=["Ja"],
            rows=[
                (
                    "riket",
                    "Riket",
                    [
                        ShareRow(
                            question_code="K01",
                            item=item,
                            option="Ja",
                            level="riket",
                            unit="SE",
                            counted="municipalities",
                            count=count,
                            denominator=280,
                            percent=percent,
                            **before,
                        )
                    ],
                )
            ],
            year=2024,
        )
        for item, count, percent, before in (
            (family, 146, 52, {"previous_year": 2023, "previous_percent": 43}),
            ("Anhörigstöd", 100, 36, {}),
        )
    ]

    chart = ticked_shares_chart(tables, "k01")

    assert chart.alt.endswith(
        f"{family}: 2024 52 %, 2023 43 %; Anhörigstöd: 2024 36 %, 2023 –."
    )


@pytest.fixture
def rss_with_2023(cycle_2024, staff):
    """Three RSS answered S02 (two "Nej", one "Ja, alla"); 2023's figure 37 imported."""
    rss = cycle_2024["rss"]
    for code, option in (("RSS-01", 2), ("RSS-03", 2), ("RSS-04", 0)):
        submit(rss, code, staff, {("S02", ""): Value(text=S02[option])})
    published_values_import(
        questionnaire=rss, year=2023, file=FIGURE_37_2023.encode(), file_name="f.csv"
    )
    return aggregation_fresh_run(questionnaire=rss)


@pytest.mark.django_db
def test_the_shares_pdf_draws_figure_37_and_gives_the_earlier_year_a_column(
    rss_with_2023,
):
    root = html(shares_html(run=rss_with_2023))

    section = question_section(root, "S02")
    (caption,) = [text(c) for c in find_all(section, "figcaption")]
    assert caption.endswith("Andel RSS (%), fråga S02. Riket 2024 (n = 3) och 2023")
    values_text = text(find_all(section, "p", **{"class": "chart-values"})[0])
    assert "Nej (kommunerna har inte samverkat): 2024 67 %, 2023 46 %" in values_text
    county = table_rows(find_all(section, "table")[0])
    assert county[1] == ["Antal", "Andel", "Andel 2023"] * 3
    assert county[2] == [
        "Riket",
        "3",
        "1",
        "33 %",
        "29 %",
        "0",
        "0 %",
        "25 %",
        "2",
        "67 %",
        "46 %",
    ]
    # No county figure was published for 2023: "..", never a blank.
    assert county[3][4] == ".."
    notes = [text(p) for p in find_all(section, "p", **{"class": "note"})]
    assert any(".. = uppgift saknas för 2023" in note for note in notes)
    assert "Andel 2023" in pdf_text(shares_pdf(run=rss_with_2023))


@pytest.mark.django_db
def test_the_shares_workbook_has_the_earlier_years_percent(rss_with_2023):
    wb = workbook(shares_xlsx(run=rss_with_2023))

    ws = next(wb[name] for name in wb.sheetnames if name.startswith("S02"))
    rows = [values(ws, row) for row in range(1, ws.max_row + 1)]
    header = next(r for r in rows if r and r[0] is None and "Antal" in r)
    assert header[2:6] == ["Antal", "Nämnare", "Procent", "Procent 2023"]
    riket = next(r for r in rows if r[:2] == ["Riket", "Riket"])
    assert riket[2:6] == [1, 3, 33, 29]
