"""WCAG 2.2 AA in Chromium: axe-core over the respondent, coordinator and staff pages.

axe-core comes from the npm registry (tests/e2e/package.json, installed by bin/test with
`npm ci --prefix tests/e2e`) and is injected into each page by Playwright. Each test logs in
once as one role and walks its pages; every violation of every page is gathered and the
test fails listing them all (rule, help, the failing elements, per URL).

Each page is also shown at a phone's 390 px: it must not scroll sideways (WCAG 1.4.10
Reflow asks for 320 CSS px; a table may scroll inside its own region). The failure names
the page and its widest element.

A new page joins an audit by a line in a role's page list (ANONYMOUS_PAGES, AREA_PAGES,
STAFF_PAGES); `test_every_html_page_is_audited_or_excluded_with_a_reason` fails until
each URL name of the project is audited or excluded with the reason.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coding.services import (
    codebook_get_or_create,
    coding_change,
    quote_set,
    theme_create,
)
from regions.models import Organisation
from reports.models import ExportJob
from surveys.answers import Value
from surveys.models import Questionnaire, Response
from surveys.services import (
    invitation_create,
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from surveys.services.invitations import invitation_token
from tests.conftest import FIELDWORK_DAY, PASSWORD
from tests.factories import (
    UserFactory,
    waiting_import_upload,
    waiting_published_upload,
)
from tests.surveys.helpers import fill_response

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Only what the failure message needs crosses from the page to Python.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html})),
  }));
  // WCAG 2.1's 4.1.1 (axe-core leaves it out since WCAG 2.2 made it obsolete): labels,
  // aria-labelledby and aria-describedby need each id once.
  const seen = new Map();
  document.querySelectorAll("[id]").forEach((e) => {
    seen.set(e.id, (seen.get(e.id) || []).concat([e]));
  });
  const repeated = [...seen.values()].filter((elements) => elements.length > 1);
  if (repeated.length) {
    violations.push({
      id: "duplicate-id", impact: "serious", help: "id attribute values must be unique",
      nodes: repeated.map((e) => ({target: "#" + e[0].id, html: e[0].outerHTML})),
    });
  }
  return violations;
}"""

# The page's width beside the window's, and the element reaching furthest right (the
# outermost one, not its children; preferably not inside a box that scrolls by itself).
WIDEST_ELEMENT = """() => {
  const clips = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  // An absolutely placed element escapes a clipping box that is not its containing
  // block: when no other element sticks out, name the widest one of any kind.
  let widest = null, right = window.innerWidth, anyWidest = null, anyRight = right;
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    if (box.right > anyRight + 0.5) {
      anyWidest = e;
      anyRight = box.right;
    }
    if (box.width && box.right > right + 0.5 && !clips(e)) {
      widest = e;
      right = box.right;
    }
  }
  if (!widest) {
    widest = anyWidest;
    right = anyRight;
  }
  const name = widest && (widest.tagName.toLowerCase()
    + (widest.id ? "#" + widest.id : "")
    + [...widest.classList].map((c) => "." + c).join("")
    + " \u201c" + (widest.innerText || "").replace(/\\s+/g, " ").trim().slice(0, 60)
    + "\u201d");
  return {
    scroll: document.documentElement.scrollWidth, window: window.innerWidth,
    widest: name, right: Math.round(right),
  };
}"""

# URL names a browser does not show as a page: what they answer, and where it is tested.
NOT_PAGES = {
    "favicon": "a redirect to the icon",
    "aggregation:tables-moved": "a redirect to reports:results",
    "logout": "POST only, redirects",
    "surveys:response-start": "POST only (the start page's button), redirects",
    "surveys:response-submit": "POST only (the review page's button), redirects",
    "surveys:response-prefill": "POST only (the section's compile button), redirects",
    "surveys:contact-remove": "POST only, redirects",
    "surveys:staff-extend": "POST only, redirects",
    "surveys:staff-questionnaire-lock": "POST only: the confirmation page, then redirects",
    "surveys:staff-questionnaire-unlock": "POST only: the confirmation page, then redirects",
    "aggregation:run-request": "POST only, redirects",
    "reports:export-start": "POST only, redirects",
    "reports:job-status": "JSON for the reports page's script",
    "reports:results-chart": "a chart fragment: reports:results?question= shows it inline",
    "reports:job-download": "a file download",
    "reports:document-status": "JSON for the document page's script",
    "reports:document-download": "a file download",
    "reports:region-profile-pdf": "a PDF",
    "reports:receipt-pdf": "a PDF",
    "reports:questionnaire-pdf": "a PDF",
    "reports:staff-free-text": "a redirect to reports:area-free-text",
    "coding:codebook-start": "POST only, redirects to coding:codebook",
    "coding:code-answer": "POST only (the coding page's forms and script)",
    "coding:quote": "POST only (the coding page's forms and script)",
    "coding:blind": "POST only, redirects to coding:code",
    "reports:codings-export": "a file download",
}


@dataclass(frozen=True)
class Page:
    """A page to audit: its URL name, its arguments from the test's data, a query."""

    name: str
    kwargs: Callable[[SimpleNamespace], dict] = lambda data: {}
    query: str = ""
    status: int = 200

    def url(self, data: SimpleNamespace) -> str:
        return reverse(self.name, kwargs=self.kwargs(data)) + self.query


ANONYMOUS_PAGES = [
    Page("login"),
    Page("surveys:invitation-accept", lambda d: {"token": d.token}),
    Page(
        "surveys:invitation-accept",
        lambda d: {"token": "not-a-real-token"},
        status=410,
    ),
    Page("password_reset"),
    Page("password_reset_done"),
    # A link that does not work (used, expired or made up); tests/e2e/
    # test_password_reset.py audits the form for the new password.
    Page("password_reset_confirm", lambda d: {"uidb64": "MQ", "token": "x-y"}),
    Page("password_reset_complete"),
    Page("personal-data"),
    Page("accessibility"),
]
# Pages the respondent flow visits by clicking and posting (test_respondent_pages...).
RESPONDENT_FLOW = {
    "surveys:home",
    "surveys:response-section",
    "surveys:response-review",
    "surveys:response-summary",
}
AREA_PAGES = [
    Page("surveys:home"),
    Page("surveys:area-rates", lambda d: {"code": d.rss.code}),
    Page("surveys:area-invitations", lambda d: {"code": d.rss.code}),
    Page("surveys:contacts", lambda d: {"org_code": d.rss.code}),
    Page("reports:area-free-text", lambda d: {"code": d.rss.code}),
    # A question with items, a search that marks its text.
    Page(
        "reports:area-free-text-question",
        lambda d: {
            "code": d.rss.code,
            "questionnaire_pk": d.municipality.pk,
            "question": "K05",
        },
        query="?sok=text",
    ),
    Page("surveys:staff-import", status=403),  # the 403 page
]
# Staff pages in three groups, audited in parallel where the suite runs on two workers.
STAFF_PAGES = {
    "fieldwork": [
        Page("surveys:home"),
        Page("surveys:staff-questionnaire", lambda d: {"pk": d.region.pk}),
        Page("surveys:staff-questionnaire-edit", lambda d: {"pk": d.region.pk}),
        Page("surveys:staff-rates", lambda d: {"pk": d.region.pk}),
        Page("surveys:staff-fieldwork"),
        Page("surveys:staff-invitations", lambda d: {"pk": d.region.pk}),
        Page("surveys:staff-import"),
        Page("surveys:staff-import-preview", lambda d: {"pk": d.import_upload.pk}),
        Page("surveys:staff-cycles"),
        Page("surveys:staff-cycle-copy"),
        Page("surveys:staff-extra-question"),
        Page("surveys:response-audit", lambda d: {"pk": d.region_response.pk}),
        Page("surveys:response-reopen", lambda d: {"pk": d.region_response.pk}),
        Page("surveys:contacts", lambda d: {"org_code": "01"}),
        Page("surveys:area-rates", lambda d: {"code": "RSS-01"}),
        Page("surveys:area-invitations", lambda d: {"code": "RSS-01"}),
    ],
    "results": [
        Page("aggregation:runs"),
        Page("aggregation:quality-list", lambda d: {"questionnaire_pk": d.region.pk}),
        Page("aggregation:published-upload"),
        Page("aggregation:published-preview", lambda d: {"pk": d.published_upload.pk}),
        Page("reports:index"),
        Page("reports:results", lambda d: {"questionnaire_pk": d.region.pk}),
        # One question: its charts are built into the page, not loaded afterwards.
        Page(
            "reports:results",
            lambda d: {"questionnaire_pk": d.region.pk},
            query="?question=13",
        ),
        Page(
            "reports:region-profile",
            lambda d: {"questionnaire_pk": d.region.pk, "code": "01"},
        ),
        # Staff choose the area.
        Page(
            "reports:area-free-text-question",
            lambda d: {
                "code": "RSS-01",
                "questionnaire_pk": d.municipality.pk,
                "question": "K02",
            },
        ),
        # Every row's key figure names: the widest the tables get.
        Page(
            "reports:results",
            lambda d: {"questionnaire_pk": d.region.pk},
            query="?namn=alla",
        ),
        Page("reports:key-figures"),
        # A document a page offers: queued (waiting for a worker), and ready.
        Page("reports:document", lambda d: {"pk": d.queued_job.pk}),
        Page("reports:document", lambda d: {"pk": d.receipt_job.pk}),
    ],
    # Two coders' codes of three municipalities' answers, one disagreement, a quote.
    "coding": [
        Page("coding:index"),
        Page("coding:codebook", lambda d: {"pk": d.codebook.pk}),
        Page(
            "coding:theme-edit",
            lambda d: {"pk": d.codebook.pk, "theme_pk": d.theme.pk},
        ),
        Page("coding:code", lambda d: {"pk": d.codebook.pk}),
        Page("coding:agreement", lambda d: {"pk": d.codebook.pk}),
        Page("coding:history", lambda d: {"pk": d.codebook.pk}),
        Page("reports:theme-counts", lambda d: {"codebook_pk": d.codebook.pk}),
        # Every row's key figure name.
        Page(
            "reports:theme-counts",
            lambda d: {"codebook_pk": d.codebook.pk},
            query="?namn=alla",
        ),
    ],
}
# A URL that matches no pattern: the 404 page.
MISSING = "/finns-inte/"


def _require_axe() -> None:
    if AXE_JS.exists():
        return
    message = (
        f"axe-core is not installed ({AXE_JS}): run "
        "`npm ci --prefix tests/e2e` (bin/test does it where npm exists)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {message}")
    pytest.skip(f"Accessibility audit skipped: {message}")


@dataclass
class Audit:
    """Runs axe on the pages a browser page shows and gathers the violations per URL."""

    page: object
    base_url: str
    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def visit(self, path: str, status: int = 200) -> None:
        answer = self.page.goto(self.base_url + path)
        assert answer is not None and answer.status == status, (
            f"{path}: HTTP {answer and answer.status}, expected {status}"
        )
        self.check()

    def check(self) -> None:
        """Audit the page as it is shown now (after a click or a posted form too)."""
        # Evaluated by the browser's DevTools protocol: a <script> tag with the code in it
        # would be refused by the site's Content-Security-Policy (no inline script).
        self.page.evaluate(_axe_source())
        url = self.page.url.removeprefix(self.base_url)
        self.checked.append(url)
        self.check_phone_width(url)
        for violation in self.page.evaluate(RUN_AXE, WCAG_TAGS):
            nodes = "\n".join(
                f"      {node['target']}: {node['html'][:200]}"
                for node in violation["nodes"]
            )
            self.failures.append(
                f"{url}: {violation['id']} ({violation['impact']}): "
                f"{violation['help']}\n{nodes}"
            )

    def check_phone_width(self, url: str) -> None:
        """The same page in a 390 px window: nothing may stick out to the right."""
        self.page.set_viewport_size(PHONE)
        try:
            width = self.page.evaluate(WIDEST_ELEMENT)
        finally:
            self.page.set_viewport_size(DESKTOP)
        if width["scroll"] > width["window"]:
            self.failures.append(
                f"{url}: scrolls sideways at {width['window']} px: the page is "
                f"{width['scroll']} px wide; widest element {width['widest']} reaches "
                f"{width['right']} px"
            )

    def assert_clean(self) -> None:
        assert not self.failures, (
            f"{len(self.failures)} problems (axe WCAG 2.2 A/AA, sideways scrolling at "
            f"{PHONE['width']} px) on {len(self.checked)} pages:\n"
            + "\n".join(self.failures)
        )


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _submitted(questionnaire: Questionnaire, code: str, by) -> Response:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by)
    return response_submit(response=response, by=by, version=response.version)


def _open_follow_ups(response: Response, *, by) -> Response:
    """Save only the answers on which follow-up questions depend, so they are shown."""
    values = {
        (q.show_if["question"], q.show_if.get("item") or ""): Value(
            text=q.show_if["equals"]
        )
        for q in response.questionnaire.questions.all()
        if q.show_if
    }
    return response_save_answers(
        response=response, values=values, by=by, version=response.version
    )


# Which respondent answers each 2024 questionnaire, and for which organisation.
RESPONDENTS = {
    "region": ("region_respondent", "01"),
    "municipality": ("municipality_respondent", "0114"),
    "rss": ("rss_coordinator", "RSS-01"),
    "extra": ("municipality_respondent", "0114"),
    "statsbidrag": ("municipality_respondent", "0114"),
}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("audience", list(RESPONDENTS))
def test_respondent_pages_have_no_wcag_violations(
    request, live_server, page, cycle_2024, audience
):
    """Start page, every section (errors shown, then answered), review, summary."""
    _require_axe()
    fixture, code = RESPONDENTS[audience]
    user = request.getfixturevalue(fixture)
    questionnaire = cycle_2024[audience]
    # The extra question opened late (2025-03-20); this test is about rendering.
    questionnaire.opens_on = min(questionnaire.opens_on, FIELDWORK_DAY)
    questionnaire.save(update_fields=["opens_on"])
    audit = Audit(page, live_server.url)
    _log_in(page, live_server.url, user)
    audit.check()  # the start page
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    positions = list(questionnaire.sections.values_list("position", flat=True))

    # Only the answers that open the follow-ups: the review lists the problems, and each
    # section shows them at every question, follow-ups included.
    response = _open_follow_ups(response, by=user)
    audit.visit(reverse("surveys:response-review", args=[response.pk]))
    assert page.locator("main a[href*='check=']").count() > 0, "no problems listed"
    shown = 0
    for position in positions:
        audit.visit(
            reverse("surveys:response-section", args=[response.pk, position])
            + "?check=1"
        )
        shown += page.locator(".question.followup:not([hidden])").count()
    assert shown == sum(1 for q in questionnaire.questions.all() if q.show_if)

    # A number out of range, saved: the page with the error at its question (the
    # municipal and the extra questionnaire have no numbers; ?check=1 showed theirs).
    numeric = next(
        (q for q in questionnaire.questions.order_by("position") if q.is_numeric),
        None,
    )
    if numeric is not None:
        audit.visit(
            reverse(
                "surveys:response-section",
                args=[response.pk, numeric.section.position],
            )
        )
        page.locator(f"#q-{numeric.code} input[type=text]").first.fill("-5")
        page.get_by_role("button", name="Spara utkast").click()
        page.locator(f"#q-{numeric.code}-errors").wait_for()
        audit.check()

    fill_response(response, by=user)
    audit.visit(reverse("surveys:response-review", args=[response.pk]))
    page.get_by_role("button", name="Skicka in enkäten").click()
    page.get_by_text("Tack! Enkäten är inskickad.").wait_for()
    audit.check()  # the summary
    audit.assert_clean()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_anonymous_pages_have_no_wcag_violations(live_server, page, national_frame):
    """Login, invitation and password reset pages (as shown and with their errors), the
    footer's pages, the 404 page."""
    _require_axe()
    invitation, _link = invitation_create(
        organisation=Organisation.objects.get(code="0114"),
        email="ny@upplandsvasby.se",
        send_email=False,
    )
    audit = Audit(page, live_server.url)
    data = SimpleNamespace(token=invitation_token(invitation))
    for entry in ANONYMOUS_PAGES:
        audit.visit(entry.url(data), entry.status)
    audit.visit(ANONYMOUS_PAGES[1].url(data))
    page.locator("#id_first_name").fill("Ny")
    page.locator("#id_last_name").fill("Person")
    page.locator("#id_password1").fill("ett-langt-losenord-1")
    page.locator("#id_password2").fill("ett-annat-losenord-2")
    page.locator("form [type=submit]").click()
    page.locator("form .invalid-feedback").first.wait_for()
    audit.check()
    audit.visit(reverse("login"))
    page.get_by_label("Användarnamn").fill("nobody@example.se")
    page.get_by_label("Lösenord").fill("wrong-password")
    page.get_by_role("button", name="Logga in").click()
    page.locator("form .alert, form .invalid-feedback").first.wait_for()
    audit.check()
    audit.visit(reverse("password_reset"))
    page.get_by_label("E-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Skicka länk").click()
    page.locator("form .invalid-feedback").first.wait_for()
    audit.check()
    audit.visit(MISSING, 404)
    # An invitation to an address that already has an account: log in first, then accept.
    UserFactory(
        username="befintlig@upplandsvasby.se", email="befintlig@upplandsvasby.se"
    )
    existing, _link = invitation_create(
        organisation=Organisation.objects.get(code="0114"),
        email="befintlig@upplandsvasby.se",
        send_email=False,
    )
    audit.visit(reverse("surveys:invitation-accept", args=[invitation_token(existing)]))
    page.locator("main a[href*='next=']").first.wait_for()
    audit.check()
    audit.assert_clean()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_rss_coordinator_area_pages_have_no_wcag_violations(
    live_server, page, cycle_2024, rss_coordinator, municipality_respondent
):
    """The coordinator's start page with the area, its rates, invitations, contacts and
    free-text answers."""
    _require_axe()
    _submitted(cycle_2024["municipality"], "0114", municipality_respondent)
    data = SimpleNamespace(
        rss=Organisation.objects.get(code="RSS-01"),
        municipality=cycle_2024["municipality"],
    )
    audit = Audit(page, live_server.url)
    _log_in(page, live_server.url, rss_coordinator)
    for entry in AREA_PAGES:
        audit.visit(entry.url(data), entry.status)
    audit.assert_clean()


def _coded(data: SimpleNamespace, staff) -> None:
    """Three answers to the codebook's question coded by two coders: they disagree on
    one theme of one answer (the agreement page lists it); one answer is a quote."""
    codebook = data.codebook
    second = UserFactory(username="kodare@socialstyrelsen.se", is_staff=True)
    bemanning = theme_create(
        codebook=codebook, name="Bemanning", keywords="bemanning", by=staff
    )
    theme_create(codebook=codebook, name="Digitala vårdtjänster", by=staff)
    responses = [data.municipal_response] + [
        _submitted(data.municipality, code, staff) for code in ("0115", "0117")
    ]
    for index, response in enumerate(responses):
        first = [data.theme, bemanning] if index == 0 else [data.theme]
        coding_change(codebook=codebook, response=response, coder=staff, add=first)
        coding_change(
            codebook=codebook, response=response, coder=second, add=[data.theme]
        )
    quote_set(
        codebook=codebook,
        response=responses[1],
        show_organisation=True,
        by=staff,
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("group", list(STAFF_PAGES))
def test_staff_pages_have_no_wcag_violations(
    live_server, page, cycle_2024, staff, group
):
    """Every staff page, with submitted answers and published aggregation results."""
    _require_axe()
    region_response = _submitted(cycle_2024["region"], "01", staff)
    _submitted(cycle_2024["region"], "03", staff)
    municipal_response = _submitted(cycle_2024["municipality"], "0114", staff)
    codebook = codebook_get_or_create(
        question=cycle_2024["municipality"].questions.get(code="K02"), item="", by=staff
    )
    data = SimpleNamespace(
        codebook=codebook,
        theme=theme_create(codebook=codebook, name="Samverkan", by=staff),
        region=cycle_2024["region"],
        municipality=cycle_2024["municipality"],
        municipal_response=municipal_response,
        region_response=region_response,
        # The receipt, built when the response was submitted (tasks run eagerly here).
        receipt_job=ExportJob.objects.get(document="receipt", response=region_response),
        queued_job=ExportJob.objects.create(
            document="questionnaire",
            format="pdf",
            questionnaire=cycle_2024["region"],
            version="queued",
        ),
        # A file that changes a submitted response: the preview shows its warning.
        import_upload=waiting_import_upload(cycle_2024, by=staff),
        published_upload=waiting_published_upload(cycle_2024, by=staff),
    )
    if group == "coding":
        _coded(data, staff)
    audit = Audit(page, live_server.url)
    _log_in(page, live_server.url, staff)
    for entry in STAFF_PAGES[group]:
        audit.visit(entry.url(data), entry.status)
    if group == "fieldwork":
        # Locking changes every region's response: the confirmation page comes first.
        audit.visit(reverse("surveys:staff-rates", args=[data.region.pk]))
        lock = reverse("surveys:staff-questionnaire-lock", args=[data.region.pk])
        page.locator(f"form[action='{lock}'] button").click()
        page.locator("#confirm-summary").wait_for()
        audit.check()
    if group == "results":
        # A draft with an unknown name (refused, with suggestions), then a filled one.
        audit.visit(reverse("reports:key-figures"))
        page.locator("#id_text").fill("{{ region.2.riket }} och {{ region.2.rikett }}")
        page.get_by_role("button", name="Fyll i", exact=True).click()
        page.locator("#unknown-names").wait_for()
        audit.check()
        page.locator("#id_text").fill("Det är {{ region.2.riket }} som svarat ja.")
        page.get_by_role("button", name="Fyll i", exact=True).click()
        page.locator("#filled-text").wait_for()
        audit.check()
    audit.assert_clean()


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin":
                continue  # Django's own admin
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_html_page_is_audited_or_excluded_with_a_reason():
    audited = (
        {p.name for p in ANONYMOUS_PAGES + AREA_PAGES}
        | {p.name for pages in STAFF_PAGES.values() for p in pages}
        | RESPONDENT_FLOW
    )
    project = _url_names(get_resolver())
    assert project - audited - set(NOT_PAGES) == set(), "pages nobody audits"
    assert set(NOT_PAGES) - project == set(), "excluded names that no longer exist"


def _accessibility_nodes(page, selector: str) -> list[tuple[str, str]]:
    """Chromium's own role and accessible name (what a screen reader gets) per element."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    found = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
    result = []
    for node_id in found["nodeIds"]:
        tree = cdp.send(
            "Accessibility.getPartialAXTree",
            {"nodeId": node_id, "fetchRelatives": False},
        )
        node = tree["nodes"][0]
        result.append((node["role"]["value"], node.get("name", {}).get("value", "")))
    cdp.detach()
    return result


def _open_section_of(page, base_url: str, response: Response, code: str) -> str:
    question = response.questionnaire.questions.get(code=code)
    position = question.section.position
    page.goto(
        base_url + reverse("surveys:response-section", args=[response.pk, position])
    )
    return f"#q-{code}"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_each_matrix_input_is_named_by_its_item_and_its_option(
    live_server, page, cycle_2024, region_respondent
):
    """A screen reader hears the row (item) and the column (option) of each radio."""
    questionnaire = cycle_2024["region"]
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code="01")
    )
    _log_in(page, live_server.url, region_respondent)
    for question in questionnaire.questions.filter(type="matrix"):
        fieldset = _open_section_of(page, live_server.url, response, question.code)

        radios = _accessibility_nodes(page, f"{fieldset} input")

        assert radios == [
            ("radio", f"{item} {option}")
            for item in question.items
            for option in question.choice_options
        ], question.code
        assert _accessibility_nodes(page, f"{fieldset} th[scope=col]") == [
            ("columnheader", option) for option in question.choice_options
        ]
        assert _accessibility_nodes(page, f"{fieldset} th[scope=row]") == [
            ("rowheader", item) for item in question.items
        ]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_each_count_per_option_input_is_named_by_its_row_and_its_column(
    live_server, page, cycle_2024, rss_coordinator
):
    """Counts of a compiled matrix form an items × options grid; others a list by option."""
    questionnaire = cycle_2024["rss"]
    response = response_get_or_create(
        questionnaire=questionnaire,
        organisation=Organisation.objects.get(code="RSS-01"),
    )
    _log_in(page, live_server.url, rss_coordinator)
    grid = questionnaire.questions.get(code="S03-K04")  # compiles the matrix K04
    source = cycle_2024["municipality"].questions.get(code="K04")
    fieldset = _open_section_of(page, live_server.url, response, grid.code)

    assert _accessibility_nodes(page, f"{fieldset} input") == [
        ("textbox", f"{item} {option}")
        for item in source.items
        for option in source.choice_options
    ]
    assert _accessibility_nodes(page, f"{fieldset} th[scope=col]") == [
        ("columnheader", option) for option in source.choice_options
    ]
    assert _accessibility_nodes(page, f"{fieldset} th[scope=row]") == [
        ("rowheader", item) for item in source.items
    ]

    listed = questionnaire.questions.get(code="S03-K06")  # compiles the yes/no K06
    fieldset = _open_section_of(page, live_server.url, response, listed.code)
    municipalities = page.locator(f"{fieldset}-count").inner_text()
    assert _accessibility_nodes(page, f"{fieldset} input") == [
        ("textbox", f"{cell['label']} {municipalities}") for cell in listed.cells
    ]
