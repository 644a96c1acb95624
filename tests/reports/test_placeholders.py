"""A draft's {{ name }} placeholders filled in: plain substitution, never a template."""

from __future__ import annotations

import time

from aggregation.rules.key_figures import KeyFigure, name_key
from reports.placeholders import fill, placeholder_count

FIGURES = {
    name_key(f.name): f
    for f in (
        KeyFigure("region.5.riket", "19/21", "19 av 21 regioner"),
        KeyFigure(
            "municipality.K04.äldre.riket.percent", "91 %", "91 procent av kommunerna"
        ),
        KeyFigure("region.2.län-04", "..", "uppgift saknas"),
    )
}


def test_known_names_become_their_sentences_or_values():
    filled = fill(
        "Det är {{ region.5.riket }} som svarat ja ({{region.5.riket|värde}}); "
        "{{ Municipality.K04.äldre.riket.percent }} har ändrat arbetssätt. "
        "Återigen {{ region.5.riket }}.",
        FIGURES,
    )
    assert filled.text == (
        "Det är 19 av 21 regioner som svarat ja (19/21); 91 procent av kommunerna "
        "har ändrat arbetssätt. Återigen 19 av 21 regioner."
    )
    assert [(u.name, u.figure.value, u.count) for u in filled.used] == [
        ("region.5.riket", "19/21", 3),
        ("municipality.K04.äldre.riket.percent", "91 %", 1),
    ]
    assert filled.unknown == []


def test_unknown_names_refuse_the_text_and_are_listed_with_suggestions():
    filled = fill(
        "{{ region.5.riket }} {{ municipality.K04.aldre.riket.percent }} "
        "{{ region.99.riket }} {{ region.99.riket }}",
        FIGURES,
    )
    assert filled.text is None
    assert [u.written for u in filled.unknown] == [
        "{{ municipality.K04.aldre.riket.percent }}",
        "{{ region.99.riket }}",
    ]
    assert filled.unknown[0].suggestions == ("municipality.K04.äldre.riket.percent",)


def test_template_syntax_and_html_are_never_run():
    text = (
        "{{ x.__class__ }} {{ region.5.riket.__class__.__mro__ }} {% load static %}"
        "{% if 1 %}ja{% endif %} <script>alert(1)</script> {{ 7*7 }} {{ a|safe }}"
    )
    filled = fill(text, FIGURES)
    assert filled.text is None
    assert [u.written for u in filled.unknown] == [
        "{{ x.__class__ }}",
        "{{ region.5.riket.__class__.__mro__ }}",
        "{{ 7*7 }}",
        "{{ a|safe }}",
    ]
    kept = fill("{% if 1 %}ja{% endif %} <b>{{ region.5.riket }}</b> {# x #}", FIGURES)
    assert kept.text == "{% if 1 %}ja{% endif %} <b>19 av 21 regioner</b> {# x #}"


def test_a_missing_figure_is_filled_with_its_sign_and_flagged():
    filled = fill("Gotland: {{ region.2.län-04 }}", FIGURES)
    assert filled.text == "Gotland: uppgift saknas"
    assert [u.name for u in filled.missing] == ["region.2.län-04"]


def test_a_text_without_placeholders_comes_back_unchanged():
    text = "Inga siffror här, bara { enkla } klamrar och }} åt fel håll {{"
    assert fill(text, FIGURES).text == text
    assert placeholder_count("{{ a }} {{ b }}") == 2


def test_a_text_full_of_braces_is_read_in_linear_time():
    started = time.perf_counter()
    text = "{{" * 100_000

    assert fill(text, FIGURES).text == text
    assert placeholder_count(text) == 0
    assert time.perf_counter() - started < 1


def test_braces_inside_a_placeholder_leave_the_innermost_one():
    filled = fill("{{ {{ region.5.riket }} }}", FIGURES)
    assert filled.text == "{{ 19 av 21 regioner }}"
