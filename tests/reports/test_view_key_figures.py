"""The staff page that fills a draft's {{ name }} placeholders with key figures, and the
names beside the figures on the results page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aggregation.services import aggregation_fresh_run
from surveys.answers import Value
from tests.reports.conftest import submit
from tests.surveys.helpers import attrs, by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

URL = reverse("reports:key-figures")


@pytest.fixture
def run(cycle_2024, staff):
    region = cycle_2024["region"]
    for code, answer in (("01", "Ja"), ("03", "Ja"), ("25", "Nej")):
        submit(region, code, staff, {("2", ""): Value(text=answer)})
    return aggregation_fresh_run(questionnaire=region)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def name_text(element) -> str:
    """A name as shown: broken after its dots (<wbr>), read without the breaks."""
    return "".join(text(element).split())


def kf_names(root) -> list:
    return [
        c for c in find_all(root, "code") if "kf-name" in (attrs(c).get("class") or "")
    ]


def post(client, text: str):
    return client.post(URL, {"cycle": "2024", "text": text})


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "actor", ["region_respondent", "municipality_respondent", "rss_coordinator"]
)
def test_respondents_may_not_fill_in_figures(client, request, actor, run):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(URL).status_code == 403
    assert post(client, "{{ region.2.riket }}").status_code == 403


def test_known_names_are_filled_in_and_listed(staff_client, run):
    response = post(
        staff_client,
        "Det är {{ region.2.riket }} ({{ region.2.riket.percent|värde }}) som "
        "svarat ja; {{ region.2.riket }}.",
    )

    assert response.status_code == 200
    html = page(response)
    assert text(by_id(html, "filled-text")) == (
        "Det är 2 av 3 regioner (67 %) som svarat ja; 2 av 3 regioner."
    )
    rows = [
        [name_text(find_all(row, "th")[0])]
        + [text(cell) for cell in find_all(row, "td")]
        for row in find_all(by_id(html, "used-figures"), "tr")[1:]
    ]
    assert rows == [
        ["region.2.riket", "2/3", "2 av 3 regioner", "2"],
        ["region.2.riket.percent", "67 %", "67 procent av regionerna", "1"],
    ]
    assert by_id(html, "unknown-names") is None
    # The municipal, RSS and extra questionnaires have no results yet: said so.
    assert by_id(html, "without-results") is not None


def test_unknown_names_are_refused_with_suggestions(staff_client, run):
    response = post(staff_client, "{{ region.2.riket }} och {{ Region.2.rikett }}")

    html = page(response)
    assert by_id(html, "filled-text") is None
    unknown = by_id(html, "unknown-names")
    assert "{{ Region.2.rikett }}" in text(unknown)
    assert "region.2.riket" in [name_text(code) for code in find_all(unknown, "code")]
    assert "region.2.riket" in name_text(by_id(html, "used-figures"))
    # The draft stays in the form to be corrected.
    assert "{{ Region.2.rikett }}" in text(by_id(html, "id_text"))
    assert text(find_all(html, "title")[0]).startswith(tr("Error:"))


def test_template_code_and_html_in_the_text_are_not_run(staff_client, run):
    response = post(
        staff_client,
        "<script>alert(1)</script> {% now 'Y' %} {{ region.2.riket }}",
    )

    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; {% now &#x27;Y&#x27; %} 2 av 3 regioner"
        in body
    )

    refused = post(staff_client, "{{ x.__class__ }} {{ settings.SECRET_KEY }}")
    body = refused.content.decode()
    assert "{{ x.__class__ }}" in text(by_id(page(refused), "unknown-names"))
    assert "&lt;class" not in body and "<class" not in body


def test_an_empty_or_huge_text_is_refused_with_a_message(staff_client, run):
    html = page(post(staff_client, "   "))
    assert by_id(html, "text-errors") is not None

    html = page(post(staff_client, "{{ a }}" * 5001))
    assert "5001" in text(by_id(html, "text-errors"))


def test_an_unknown_cycle_is_refused(staff_client, run):
    response = staff_client.post(URL, {"cycle": "1999", "text": "{{ a.b }}"})

    assert response.status_code == 200
    assert by_id(page(response), "filled-text") is None


# Names on the results page ------------------------------------------------------------


def test_the_results_page_shows_the_national_names_and_all_on_request(
    staff_client, run
):
    url = reverse("reports:results", args=[run.questionnaire.pk])
    html = page(staff_client.get(url))

    names = [name_text(c) for c in kf_names(html)]
    assert "region.2.riket" in names
    assert "region.8.primärvården.riket" in names
    assert "region.2.län-01" not in names
    # A share's national row: its figure's name.
    assert "region.4.nej-men.riket" in names

    everything = page(staff_client.get(url + "?namn=alla"))
    names = [name_text(c) for c in kf_names(everything)]
    assert "region.2.län-01" in names
    assert "region.2.län-25" in names


def test_every_name_on_the_results_page_is_a_key_figure_with_the_cells_value(
    staff_client, run
):
    from aggregation.key_figures import key_figures

    figures = key_figures(questionnaire=run.questionnaire, run=run)
    url = reverse("reports:results", args=[run.questionnaire.pk]) + "?namn=alla"
    html = page(staff_client.get(url))
    cells = [cell for cell in find_all(html, "td") if kf_names(cell)]
    assert len(cells) > 500
    for cell in cells:
        name_code = kf_names(cell)[0]
        name = name_text(name_code)
        figure = figures[name.casefold()]
        shown = text(cell).replace(text(name_code), "").strip()
        if name.endswith(".count"):
            # A county's share beside the region's own answer: the count is named.
            assert shown.startswith(figure.value + "/"), name
        elif figure.value.count("/") == 1 and "(" in shown:
            # A share: "2/3 (67 %)"; the name is of "2/3".
            assert shown.startswith(figure.value + " "), name
        else:
            # A missing figure is ".." on the page and in the key figures.
            assert shown.split(" ⚠")[0] == figure.value, name


def test_the_region_profile_names_the_figures_for_staff_only(
    staff_client, client, run, region_respondent
):
    url = reverse("reports:region-profile", args=[run.questionnaire.pk, "01"])
    names = [name_text(c) for c in kf_names(page(staff_client.get(url)))]
    assert "region.2.län-01" in names
    assert "region.2.riket" in names

    client.force_login(region_respondent)
    response = client.get(url)
    assert response.status_code == 200
    assert kf_names(page(response)) == []
