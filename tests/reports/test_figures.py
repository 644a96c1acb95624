"""The charts built from the stored tables: read the published strings, sort, caption."""

from __future__ import annotations

import pytest

from aggregation.models import ShareRow
from aggregation.selectors import AppendixTable, ShareTable
from reports.figures import (
    appendix_chart,
    appendix_figure,
    parse_value,
    share_chart,
    ticked_shares_chart,
    yes_count_chart,
)


@pytest.mark.parametrize(
    ("printed", "number", "percent"),
    [
        ("59 %", 59, True),
        ("100 %", 100, True),
        ("4 245 026", 4245026, False),
        ("4\u00a0245\u00a0026", 4245026, False),
        ("1\u202f600\u202f000", 1600000, False),
        ("179", 179, False),
        ("0", 0, False),
    ],
)
def test_published_numbers_are_read_back(printed, number, percent):
    parsed = parse_value(printed)

    assert parsed is not None
    assert (parsed.number, parsed.percent) == (number, percent)


@pytest.mark.parametrize(
    "printed",
    [
        "19/21",
        ".",
        "Ja",
        "Nej, men förslag finns framtaget",
        "Andelen kan inte uppskattas",
        "Antalet kan inte uppskattas",
        "",
        "12 34",
        "-5",
    ],
)
def test_ratios_labels_and_blanks_are_not_numbers(printed):
    assert parse_value(printed) is None


def percent_table() -> AppendixTable:
    return AppendixTable(
        code="35",
        text="Hur stor andel av befolkningen hade en fast namngiven läkarkontakt?",
        columns=[""],
        rows=[
            ("Riket", ["60 %"]),
            ("Riket 2023", ["55 %"]),
            ("Stockholm", ["59 %"]),
            ("Uppsala", ["60 %"]),
            ("Gotland", [""]),
            ("Skåne", ["72 %"]),
            ("Norrbotten", ["Andelen kan inte uppskattas"]),
        ],
    )


def test_a_percent_table_charts_the_regions_that_gave_a_figure_sorted():
    chart = appendix_chart(percent_table(), "c35")

    assert chart is not None
    # Largest first; Riket rows, the blank and the label are not bars.
    assert chart.alt.endswith("Skåne: 72 %; Uppsala: 60 %; Stockholm: 59 %.")
    assert "Riket:" not in chart.alt.split(". ")[-1]
    assert "Gotland" not in chart.alt
    for value in ("72 %", "60 %", "59 %"):
        assert value in chart.svg


def test_a_percent_charts_caption_names_unit_answering_regions_and_riket():
    chart = appendix_chart(percent_table(), "c35")

    assert chart.caption.startswith("Andel (%) per region, fråga 35")
    assert "3 regioner har angett en siffra" in chart.caption
    assert "1 kan inte uppskatta den (Norrbotten)" in chart.caption
    assert "Riket: 60 %" in chart.caption
    assert chart.alt.startswith(chart.caption + ". ")
    assert 'id="c35-title"' in chart.svg


def test_a_count_table_reads_thousands_separators():
    table = AppendixTable(
        code="36",
        text="Hur många personer?",
        columns=[""],
        rows=[
            ("Riket", ["4 245 026"]),
            ("Stockholm", ["1 600 000"]),
            ("Uppsala", ["179"]),
            ("Skåne", ["2\u00a0644\u00a0847"]),
            ("Gotland", ["Antalet kan inte uppskattas"]),
        ],
    )

    chart = appendix_chart(table, "c36")

    assert chart is not None
    assert chart.caption.startswith("Antal per region, fråga 36")
    assert "Riket: 4 245 026" in chart.caption
    labels = [part.split(":")[0] for part in chart.alt.split(". ", 3)[-1].split("; ")]
    assert labels == ["Skåne", "Stockholm", "Uppsala"]
    assert "2\u00a0644\u00a0847" in chart.alt
    assert "179" in chart.alt


@pytest.mark.parametrize(
    "values",
    [
        ["Ja", "Nej", "Ja"],
        ["Ja", ".", "."],
        ["Nej, men förslag finns framtaget", "Ja", "Nej"],
        ["", "", ""],
    ],
)
def test_tables_of_answers_that_are_not_numbers_get_no_chart(values):
    table = AppendixTable(
        code="2",
        text="Har regionen …?",
        columns=[""],
        rows=[
            ("Riket", ["2/3"]),
            *[
                (name, [v])
                for name, v in zip(
                    ["Stockholm", "Uppsala", "Skåne"], values, strict=True
                )
            ],
        ],
    )

    assert appendix_chart(table, "c2") is None


def test_a_matrix_with_a_numeric_column_charts_that_column():
    table = AppendixTable(
        code="99",
        text="Matris",
        columns=["Svar", "Andel"],
        rows=[
            ("Riket", ["1/2", "50 %"]),
            ("Stockholm", ["Ja", "40 %"]),
            ("Uppsala", ["Nej", "60 %"]),
        ],
    )

    chart = appendix_chart(table, "c99")

    assert chart is not None
    assert "fråga 99, Andel" in chart.caption
    assert chart.alt.endswith("Uppsala: 60 %; Stockholm: 40 %.")


def share(option, count, denominator, percent, level="riket", counted="municipalities"):
    return ShareRow(
        question_code="K06",
        item="",
        option=option,
        level=level,
        unit="SE",
        counted=counted,
        count=count,
        denominator=denominator,
        percent=percent,
    )


def share_table(counted="municipalities") -> ShareTable:
    options = ["Ja", "Nej", "Vet ej"]
    riket = [
        share("Ja", 100, 287, 35, counted=counted),
        share("Nej", 170, 287, 59, counted=counted),
        share("Vet ej", 17, 287, 6, counted=counted),
    ]
    county = [share(o, 1, 1, 100, level="county", counted=counted) for o in options]
    return ShareTable(
        code="K06",
        text="Har kommunen …?",
        item="",
        counted=counted,
        options=options,
        rows=[("riket", "Riket", riket), ("county", "Stockholms län", county)],
    )


def test_a_share_chart_shows_the_national_shares_per_option_sorted():
    chart = share_chart(share_table(), "s1")

    assert chart is not None
    assert chart.alt.endswith("Nej: 59 %; Ja: 35 %; Vet ej: 6 %.")
    for value in ("59 %", "35 %", "6 %"):
        assert value in chart.svg


@pytest.mark.parametrize(
    ("counted", "unit"),
    [
        ("municipalities", "Andel kommuner (%)"),
        ("rss", "Andel RSS (%)"),
        ("regions", "Andel regioner (%)"),
    ],
)
def test_a_share_charts_caption_names_what_is_counted_and_the_denominator(
    counted, unit
):
    chart = share_chart(share_table(counted), "s1")

    assert chart.caption.startswith(f"{unit}, fråga K06")
    assert "n = 287" in chart.caption


def test_a_share_chart_names_the_item_of_a_matrix():
    table = share_table()
    table.item = "fast vårdkontakt"

    chart = share_chart(table, "s1")

    assert "fråga K06: fast vårdkontakt" in chart.caption


def test_differing_denominators_show_as_a_range():
    table = share_table()
    table.rows[0][2][2].denominator = 280

    assert "n = 280–287" in share_chart(table, "s1").caption


def test_no_share_chart_without_a_national_row_or_without_answers():
    without_riket = share_table()
    without_riket.rows = without_riket.rows[1:]
    nobody = share_table()
    for cell in nobody.rows[0][2]:
        cell.count, cell.denominator, cell.percent = 0, 0, None

    assert share_chart(without_riket, "s1") is None
    assert share_chart(nobody, "s2") is None


def test_a_multiple_choice_is_charted_as_one_bar_per_alternative():
    tables = []
    for item, count in [("Anhörigstöd", 76), ("Fallprevention", 88), ("Annat", 69)]:
        tables.append(
            ShareTable(
                code="K01",
                text="Vilka områden …?",
                item=item,
                counted="municipalities",
                options=["Ja"],
                rows=[
                    ("riket", "Riket", [share("Ja", count, 202, round(count / 2.02))])
                ],
            )
        )

    chart = ticked_shares_chart(tables, "k01")

    assert chart is not None
    assert chart.alt.endswith("Fallprevention: 44 %; Anhörigstöd: 38 %; Annat: 34 %.")
    assert chart.caption.startswith("Andel kommuner (%) som valt respektive alternativ")
    assert "n = 202" in chart.caption


def yes_table() -> AppendixTable:
    return AppendixTable(
        code="13",
        text="Finns det rutiner?",
        columns=["Samverkan", "Utskrivning", "Uppföljning"],
        rows=[
            ("Riket", ["11/18", "15/18", "4/17"]),
            ("Stockholm", ["Ja", "Ja", "Nej"]),
        ],
    )


def test_a_table_of_yes_columns_is_drawn_as_the_ja_count_per_item_sorted():
    chart = yes_count_chart(yes_table(), "f13")

    assert chart is not None
    assert chart.caption == (
        "Antal regioner som svarat ”Ja”, fråga 13, av 17–18 regioner som besvarat frågan"
    )
    assert chart.alt.endswith("Utskrivning: 15; Samverkan: 11; Uppföljning: 4.")
    assert ">15<" in chart.svg


def test_the_results_page_and_the_pdf_draw_the_same_figure_for_each_kind_of_table():
    numeric = AppendixTable(
        code="35",
        text="Andel",
        columns=[""],
        rows=[("Riket", ["60 %"]), ("Stockholm", ["59 %"]), ("Uppsala", ["61 %"])],
    )
    one_yes_column = AppendixTable(
        code="2", text="Ja?", columns=[""], rows=[("Riket", ["2/3"])]
    )

    assert (
        appendix_figure(yes_table(), "a").alt == yes_count_chart(yes_table(), "a").alt
    )
    assert appendix_figure(numeric, "b").alt == appendix_chart(numeric, "b").alt
    assert appendix_figure(one_yes_column, "c") is None
