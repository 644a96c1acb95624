"""The section page's list of sections and its version field are built in Python
(surveys.templatetags.question_html): the same markup as Django's templates made."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django import forms
from django.template import engines

from surveys.templatetags.question_html import hidden_input, section_links

# The former loop of templates/surveys/section.html.
FORMER_LOOP = (
    "{% load i18n %}{% for p, url in progress_links %}\n"
    '          <li class="list-group-item d-flex justify-content-between '
    'align-items-start{% if p.section.pk == section.pk %} active{% endif %}">\n'
    '            <a class="ms-2 me-auto{% if p.section.pk == section.pk %} '
    'text-white{% endif %}" href="{{ url }}"{% if p.section.pk == section.pk %} '
    'aria-current="page"{% endif %}>{{ p.section.title }}</a>\n'
    '            <span class="badge {% if p.complete %}text-bg-success{% else %}'
    'text-bg-secondary{% endif %}">{{ p.answered }}/{{ p.total }}'
    '<span class="visually-hidden"> {% translate "answered" %}</span></span>\n'
    "          </li>\n"
    "        {% endfor %}"
)


@dataclass
class Section:
    pk: int
    title: str


@dataclass
class Progress:
    section: Section
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_the_list_of_sections_is_the_former_loops_markup_with_titles_escaped():
    sections = [Section(1, "Styrning & <ledning>"), Section(2, 'Vård "nära"')]
    links = [
        (Progress(sections[0], 3, 3), "/svar/7/avsnitt/1/"),
        (Progress(sections[1], 1, 4), "/svar/7/avsnitt/2/"),
    ]
    expected = (
        engines["django"]
        .from_string(FORMER_LOOP)
        .render({"progress_links": links, "section": sections[1]})
    )

    built = section_links(links, sections[1])

    assert built == expected
    assert "Styrning &amp; &lt;ledning&gt;" in built
    assert built.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    "form",
    [
        VersionForm(initial={"version": 4}),
        VersionForm(),
        VersionForm({"version": "12"}),
        VersionForm({"version": '"><script>'}),
        VersionForm({}),
    ],
    ids=["initial", "none", "sent", "sent-and-escaped", "missing"],
)
def test_the_version_field_is_djangos_hidden_input_markup(form):
    form.is_valid()

    assert hidden_input(form["version"]) == str(form["version"])
