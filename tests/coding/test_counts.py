"""Counts per theme per riket, county and RSS from hand-made codings."""

from __future__ import annotations

import pytest

from coding.selectors import theme_counts
from coding.services import (
    codebook_get_or_create,
    coding_change,
    resolution_set,
    theme_create,
)
from tests.coding.conftest import answer

pytestmark = pytest.mark.django_db


def _shares(counts, theme):
    entry = next(t for t in counts.themes if t.theme == theme)
    return entry


def test_region_theme_counts_are_regions_of_those_that_answered(
    cycle_2024, region_codebook, staff, second_staff
):
    region = cycle_2024["region"]
    samverkan, bemanning = region_codebook.themes.all()
    stockholm = answer(region, "01", "3", "Vi samverkar med kommunerna.")
    uppsala = answer(region, "03", "3", "Samverkan och bemanning.")
    answer(region, "04", "3", "Inget särskilt.")
    # A draft does not count, whatever its codes.
    draft = answer(region, "05", "3", "Samverkan.", submitted=False)
    coding_change(
        codebook=region_codebook, response=stockholm, coder=staff, add=[samverkan]
    )
    coding_change(
        codebook=region_codebook,
        response=uppsala,
        coder=staff,
        add=[samverkan, bemanning],
    )
    coding_change(
        codebook=region_codebook, response=draft, coder=staff, add=[samverkan]
    )
    # A second coder disagrees on Uppsala's Bemanning: disputed, not counted...
    coding_change(
        codebook=region_codebook, response=uppsala, coder=second_staff, add=[samverkan]
    )
    counts = theme_counts(codebook=region_codebook)
    assert (counts.answered, counts.coded, counts.disputed) == (3, 2, 1)
    riket = _shares(counts, "Samverkan").riket
    assert (riket.count, riket.denominator, riket.percent) == (2, 3, 67)
    assert riket.phrase == "2 av 3 regioner"
    assert _shares(counts, "Bemanning").riket.phrase == "0 av 3 regioner"
    assert _shares(counts, "Bemanning").disputed == 1
    stockholm_county = next(
        s for s in _shares(counts, "Samverkan").counties if s.unit == "01"
    )
    assert (stockholm_county.count, stockholm_county.denominator) == (1, 1)
    # Regions have no RSS level.
    assert _shares(counts, "Samverkan").areas == []
    # ...until someone resolves it.
    resolution_set(
        codebook=region_codebook,
        response=uppsala,
        theme=bemanning,
        applies=True,
        by=staff,
    )
    counts = theme_counts(codebook=region_codebook)
    assert _shares(counts, "Bemanning").riket.phrase == "1 av 3 regioner"
    assert counts.disputed == 0


def test_municipal_theme_counts_per_rss_county_and_riket(cycle_2024, staff):
    municipality = cycle_2024["municipality"]
    codebook = codebook_get_or_create(
        question=municipality.questions.get(code="K02"), item="", by=staff
    )
    theme = theme_create(codebook=codebook, name="Hemsjukvård", by=staff)
    # Stockholm county (RSS-01): 0114, 0115, 0117; Uppsala county (RSS-03): 0381.
    ticked = [
        answer(municipality, code, "K02", "Hemsjukvården.") for code in ("0114", "0115")
    ]
    answer(municipality, "0117", "K02", "Annat.")
    ticked.append(answer(municipality, "0381", "K02", "Hemsjukvård."))
    for response in ticked:
        coding_change(codebook=codebook, response=response, coder=staff, add=[theme])
    counts = theme_counts(codebook=codebook)
    entry = counts.themes[0]
    assert counts.counted == "municipalities"
    assert (entry.riket.count, entry.riket.denominator, entry.riket.percent) == (
        3,
        4,
        75,
    )
    assert entry.riket.phrase == "75 % av kommunerna (3 av 4)"
    by_county = {s.unit: (s.count, s.denominator, s.percent) for s in entry.counties}
    assert by_county == {"01": (2, 3, 67), "03": (1, 1, 100)}
    by_rss = {s.unit: (s.count, s.denominator) for s in entry.areas}
    assert by_rss == {"RSS-01": (2, 3), "RSS-03": (1, 1)}
