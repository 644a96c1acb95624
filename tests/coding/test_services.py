"""Coding writes: audit, concurrent coders, blind coding, quotes, reuse across cycles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coding.models import Codebook, CodingChange, Quote
from coding.selectors import Filters, coding_page
from coding.services import (
    codebook_get_or_create,
    coding_change,
    quote_set,
    theme_create,
    theme_delete,
)
from surveys.services.cycles import cycle_copy
from tests.coding.conftest import answer

pytestmark = pytest.mark.django_db


def test_every_coding_change_is_audited_with_who_and_what(
    cycle_2024, region_codebook, staff
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Samverkan.")
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    # Ticking a ticked theme again changes nothing and is not logged twice.
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    coding_change(
        codebook=region_codebook, response=response, coder=staff, remove=[samverkan]
    )
    quote_set(
        codebook=region_codebook, response=response, show_organisation=True, by=staff
    )
    log = list(
        CodingChange.objects.filter(codebook=region_codebook, response=response)
        .order_by("id")
        .values_list("action", "theme", "by__username")
    )
    assert log == [
        ("coded", "", "staff@socialstyrelsen.se"),
        ("code_added", "Samverkan", "staff@socialstyrelsen.se"),
        ("code_removed", "Samverkan", "staff@socialstyrelsen.se"),
        ("quote_marked", "", "staff@socialstyrelsen.se"),
    ]
    assert (
        CodingChange.objects.filter(
            codebook=region_codebook, action="theme_created"
        ).count()
        == 2
    )


def test_two_coders_and_two_windows_keep_each_others_ticks(
    cycle_2024, region_codebook, staff, second_staff
):
    samverkan, bemanning = region_codebook.themes.all()
    response = answer(cycle_2024["region"], "01", "3", "Samverkan och bemanning.")
    # The same coder in two windows ticks two themes; the second window never saw the first.
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    mine = coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[bemanning]
    )
    assert mine == {samverkan.pk, bemanning.pk}
    # Another coder's codes are theirs alone.
    theirs = coding_change(
        codebook=region_codebook, response=response, coder=second_staff, add=[bemanning]
    )
    assert theirs == {bemanning.pk}
    page = coding_page(
        codebook=region_codebook, coder=staff, filters=Filters(), blind=False
    )
    assert page.rows[0].mine == {samverkan.pk, bemanning.pk}
    assert page.rows[0].others == {"second@socialstyrelsen.se": {bemanning.pk}}
    assert page.rows[0].disputed


def test_a_blind_coder_does_not_see_the_first_coders_codes(
    cycle_2024, region_codebook, staff, second_staff
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Samverkan.")
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    page = coding_page(
        codebook=region_codebook, coder=second_staff, filters=Filters(), blind=True
    )
    row = page.rows[0]
    assert (row.mine, row.others, row.disputed, row.coded_by_me) == (
        set(),
        {},
        False,
        False,
    )
    # Filtering by theme looks at the blind coder's own codes only.
    by_theme = coding_page(
        codebook=region_codebook,
        coder=second_staff,
        filters=Filters(theme=samverkan.pk),
        blind=True,
    )
    assert by_theme.rows == []


def test_filters_search_and_suggestions_with_escaped_highlighting(
    cycle_2024, region_codebook, staff
):
    region = cycle_2024["region"]
    answer(region, "01", "3", "Vi samverkar <b>tätt</b> med kommunerna.")
    answer(region, "03", "3", "Bemanningen är svår.", submitted=False)
    page = coding_page(
        codebook=region_codebook,
        coder=staff,
        filters=Filters(search="kommun"),
        blind=False,
    )
    [row] = page.rows
    assert "&lt;b&gt;tätt&lt;/b&gt;" in row.html
    assert "<mark>kommun</mark>erna" in row.html
    assert '<mark class="suggested">samverkar</mark>' in row.html
    assert [s.name for s in row.suggested] == ["Samverkan"]
    # A suggestion is never a code.
    assert row.mine == set() and not row.coded_by_me
    drafts = coding_page(
        codebook=region_codebook,
        coder=staff,
        filters=Filters(status="draft"),
        blind=False,
    )
    assert [r.answer.organisation.code for r in drafts.rows] == ["03"]
    assert [s.name for s in drafts.rows[0].suggested] == ["Bemanning"]
    uppsala = coding_page(
        codebook=region_codebook, coder=staff, filters=Filters(county="03"), blind=False
    )
    assert [r.answer.organisation.code for r in uppsala.rows] == ["03"]


def test_codes_of_another_questionnaire_or_codebook_are_refused(
    cycle_2024, region_codebook, staff
):
    other = codebook_get_or_create(
        question=cycle_2024["region"].questions.get(code="2b"), item="", by=staff
    )
    foreign = theme_create(codebook=other, name="Annat", by=staff)
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    with pytest.raises(ValidationError):
        coding_change(
            codebook=region_codebook, response=response, coder=staff, add=[foreign]
        )
    municipal = answer(cycle_2024["municipality"], "0114", "K02", "Text.")
    with pytest.raises(ValidationError):
        coding_change(codebook=region_codebook, response=municipal, coder=staff)


def test_only_staff_code(cycle_2024, region_codebook, region_respondent):
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    with pytest.raises(PermissionDenied):
        coding_change(
            codebook=region_codebook, response=response, coder=region_respondent
        )


def test_a_ticked_theme_is_not_deleted(cycle_2024, region_codebook, staff):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    with pytest.raises(ValidationError):
        theme_delete(theme=samverkan, by=staff)


def test_quote_with_organisation_hidden_or_shown(cycle_2024, region_codebook, staff):
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    quote_set(
        codebook=region_codebook, response=response, show_organisation=False, by=staff
    )
    assert Quote.objects.get().show_organisation is False
    quote_set(
        codebook=region_codebook, response=response, show_organisation=True, by=staff
    )
    assert Quote.objects.get().show_organisation is True
    quote_set(
        codebook=region_codebook, response=response, show_organisation=None, by=staff
    )
    assert not Quote.objects.exists()


def test_a_linked_question_of_the_next_cycle_reuses_the_codebook(
    cycle_2024, region_codebook, staff
):
    cycle = cycle_copy(from_year=2024, to_year=2025, by=staff)
    next_region = cycle.questionnaires.get(audience="region")
    question = next_region.questions.get(code="3")
    assert question.previous_id == region_codebook.question_id
    codebook = codebook_get_or_create(question=question, item="", by=staff)
    assert list(codebook.themes.values_list("name", "keywords")) == [
        ("Samverkan", "samverkan"),
        ("Bemanning", "bemanning, kompetens"),
    ]
    assert Codebook.objects.count() == 2
