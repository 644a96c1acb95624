"""The naming, the sentences and the look-up of key figures (pure rules)."""

from __future__ import annotations

import pytest

from aggregation.rules.key_figures import (
    AppendixRecord,
    KeyFigure,
    Namer,
    QuestionLabels,
    ShareRecord,
    appendix_figures,
    distinct_slugs,
    name_key,
    organisation_segment,
    percent_text,
    printed_text,
    ratio_text,
    share_figures,
    slug,
    suggestions,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "… äldre personer med stora vård- och omsorgsbehov",
            "äldre-personer-med-stora-vård-och-omsorgsbehov",
        ),
        ("Nej, men förslag finns framtaget", "nej-men-förslag-finns-framtaget"),
        (
            "Hälsofrämjande, förebyggande och rehabiliterande",
            "hälsofrämjande-förebyggande-och-rehabiliterande",
        ),
        (
            "Rehabiliterande och/eller habiliterande",
            "rehabiliterande-och-eller-habiliterande",
        ),
        ("Café Åre ÖVRIGT?", "cafe-åre-övrigt"),
        ("RSS-14-FYR", "rss-14-fyr"),
        ("…?", ""),
    ],
)
def test_slugs_keep_swedish_letters_and_drop_the_rest(text, expected):
    assert slug(text) == expected


def test_items_get_the_shortest_distinct_leading_words():
    items = [
        "… personer med funktionsnedsättning?",
        "… äldre personer med stora vård- och omsorgsbehov",
        "… personer med kroniska sjukdomar?",
        "… barn och unga?",
    ]
    assert list(distinct_slugs(items).values()) == [
        "personer-med-funktionsnedsättning",
        "äldre",
        "personer-med-kroniska",
        "barn",
    ]


def test_a_short_first_word_takes_the_next_one_and_a_prefix_item_keeps_its_words():
    assert list(distinct_slugs(["Ja", "Nej", "Vet ej"]).values()) == [
        "ja",
        "nej",
        "vet-ej",
    ]
    assert list(distinct_slugs(["Mobila team", "Mobila team i kommunen"]).values()) == [
        "mobila-team",
        "mobila-team-i",
    ]


def test_items_with_the_same_words_are_numbered_and_empty_ones_take_their_place():
    assert list(distinct_slugs(["Vård", "vård!", "?"]).values()) == [
        "vård",
        "vård-2",
        "3",
    ]


def test_names_follow_the_scheme():
    namer = Namer(
        "municipality",
        [QuestionLabels("K04", ["… äldre personer", "… barn och unga"], ["Ja", "Nej"])],
    )
    assert namer.share("K04", "… äldre personer", "Ja", "riket", "SE", "percent") == (
        "municipality.K04.äldre.riket.percent"
    )
    assert namer.share("K04", "… barn och unga", "Nej", "county", "01") == (
        "municipality.K04.barn.nej.län-01"
    )
    assert namer.share("K04", "… äldre personer", "Ja", "rss", "RSS-14-FYR") == (
        "municipality.K04.äldre.rss-14-fyr"
    )
    assert namer.appendix("K06", "", "riket.2023") == "municipality.K06.riket.2023"


@pytest.mark.parametrize(
    ("kind", "code", "county", "expected"),
    [
        ("", "SE", "", "riket"),
        ("", "SE-2023", "", "riket.2023"),
        ("region", "25", "25", "län-25"),
        ("rss", "RSS-01", "01", "rss-01"),
        ("municipality", "0114", "01", "kommun-0114"),
    ],
)
def test_appendix_rows_are_levels(kind, code, county, expected):
    assert organisation_segment(kind, code, county) == expected


def test_sentences_in_the_reports_style():
    assert ratio_text(19, 21, "regions") == "19 av 21 regioner"
    assert ratio_text(1, 1, "regions") == "1 av 1 region"
    assert ratio_text(1200, 1300, "municipalities") == "1 200 av 1 300 kommuner"
    assert percent_text(91, "municipalities") == "91 procent av kommunerna"
    assert percent_text(67, "rss") == "67 procent av RSS:erna"
    assert printed_text("19/21", "regions") == "19 av 21 regioner"
    assert printed_text("59 %", "regions", "mean_percent") == "i genomsnitt 59 procent"
    assert printed_text("72 %", "regions") == "72 procent"
    assert printed_text("4 245 026", "regions", "sum_count") == "totalt 4 245 026"
    assert printed_text(".", "regions") == "Nej"
    assert printed_text("", "regions") == "uppgift saknas"
    assert printed_text("Nej, men förslag finns framtaget", "regions") == (
        "Nej, men förslag finns framtaget"
    )


def test_a_share_gives_its_figure_and_its_parts():
    namer = Namer("rss", [QuestionLabels("S06", [], ["Ja", "Nej"])])
    share = ShareRecord("S06", "", "Ja", "riket", "SE", "rss", 16, 24, 67)
    assert list(share_figures(namer, [share])) == [
        KeyFigure("rss.S06.riket", "16/24", "16 av 24 RSS"),
        KeyFigure("rss.S06.riket.count", "16", "16 RSS"),
        KeyFigure("rss.S06.riket.denominator", "24", "24 RSS"),
        KeyFigure("rss.S06.riket.percent", "67 %", "67 procent av RSS:erna"),
    ]


def test_a_share_nobody_answered_is_missing_not_zero():
    namer = Namer("rss", [QuestionLabels("S06", [], ["Ja", "Nej"])])
    share = ShareRecord("S06", "", "Nej", "county", "09", "rss", 0, 0, None)
    figures = {f.name: f for f in share_figures(namer, [share])}
    assert figures["rss.S06.nej.län-09"].value == ".."
    assert figures["rss.S06.nej.län-09.percent"].text == "uppgift saknas"
    assert figures["rss.S06.nej.län-09.denominator"].value == "0"


def test_a_national_mean_counts_the_regions_that_gave_a_figure():
    namer = Namer("region", [QuestionLabels("35")])
    cells = [
        AppendixRecord("35", "", "riket", "60 %"),
        AppendixRecord("35", "", "län-01", "59 %"),
        AppendixRecord("35", "", "län-03", "60 %"),
        AppendixRecord("35", "", "län-25", "Andelen kan inte uppskattas"),
        AppendixRecord("35", "", "län-04", ""),
    ]
    figures = {
        f.name: f
        for f in appendix_figures(
            namer, cells, counted="regions", rules={"35": "mean_percent"}
        )
    }
    assert figures["region.35.riket"].text == "i genomsnitt 60 procent"
    assert figures["region.35.riket.denominator"] == KeyFigure(
        "region.35.riket.denominator", "2", "2 regioner"
    )
    assert figures["region.35.län-04"].value == ".."


def test_names_are_looked_up_without_case_and_suggested_without_å_ä_ö():
    assert name_key(" Municipality.K04.ÄLDRE.riket ") == "municipality.k04.äldre.riket"
    names = ["municipality.K04.äldre.riket", "municipality.K04.äldre.riket.percent"]
    assert suggestions("municipality.K04.aldre.riket", names)[0] == names[0]
    assert suggestions("municipality.K04.äldre.riket.procent", names)[0] == names[1]
    assert suggestions("something.else", names) == []
