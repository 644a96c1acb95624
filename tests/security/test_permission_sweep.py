"""Every URL of the project × every role, with the status each role must get.

A new URL pattern without a line in EXPECTED fails test_every_url_pattern_has_a_rule, so no
view goes live without a decision about who may reach it. Statuses: 200 shown, 302 to the
login page (anonymous) or onwards after an action, 403 refused, 404 hidden (the object is
not theirs; no hint that it exists), 405 wrong method, 410 invitation link not valid.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
)

from tests.security.conftest import ROLES, World

pytestmark = pytest.mark.django_db

# Roles in the order of ROLES: anonymous, municipality (0114), other municipality (0381),
# RSS coordinator (RSS-01, 0114's area), other RSS coordinator (RSS-03), region (01), staff.
EXPECTED: dict[str, tuple[str, str]] = {
    # Public
    "login": ("GET", "200 200 200 200 200 200 200"),
    "logout": ("POST", "302 302 302 302 302 302 302"),
    "favicon": ("GET", "301 301 301 301 301 301 301"),
    "surveys:invitation-accept": ("GET", "410 410 410 410 410 410 410"),
    # "Glömt lösenord?" (a made-up link: the page that says it does not work) and the
    # footer's pages
    "password_reset": ("GET", "200 200 200 200 200 200 200"),
    "password_reset_done": ("GET", "200 200 200 200 200 200 200"),
    "password_reset_confirm": ("GET", "200 200 200 200 200 200 200"),
    "password_reset_complete": ("GET", "200 200 200 200 200 200 200"),
    "personal-data": ("GET", "200 200 200 200 200 200 200"),
    "accessibility": ("GET", "200 200 200 200 200 200 200"),
    # Everyone logged in: their own start page
    "surveys:home": ("GET", "302 200 200 200 200 200 200"),
    # The municipality's own response; its RSS coordinator (paper path) and staff
    "surveys:response-start": ("POST", "302 302 404 302 404 404 302"),
    "surveys:response-section": ("GET", "302 200 404 200 404 404 200"),
    "surveys:response-review": ("GET", "302 200 404 200 404 404 200"),
    "surveys:response-submit": ("POST", "302 302 404 302 404 404 302"),
    "surveys:response-summary": ("GET", "302 200 404 200 404 404 200"),
    "surveys:response-audit": ("GET", "302 200 404 200 404 404 200"),
    # The RSS's own questionnaire: its coordinator and staff
    "surveys:response-prefill": ("POST", "302 404 404 302 404 404 302"),
    # Contact persons: the organisation itself and staff
    "surveys:contacts": ("GET", "302 200 404 404 404 404 200"),
    "surveys:contact-remove": ("POST", "302 302 404 404 404 404 302"),
    # The RSS coordinator's own area
    "surveys:area-invitations": ("GET", "302 404 404 200 404 404 200"),
    "surveys:area-rates": ("GET", "302 404 404 200 404 404 200"),
    "reports:area-free-text": ("GET", "302 404 404 200 404 404 200"),
    "reports:area-free-text-question": ("GET", "302 404 404 200 404 404 200"),
    # National staff only
    "surveys:response-reopen": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-questionnaire": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-import": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-import-preview": ("GET", "302 403 403 403 403 403 200"),
    "aggregation:published-preview": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-fieldwork": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-invitations": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-extend": ("POST", "302 403 403 403 403 403 302"),
    "surveys:staff-cycles": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-cycle-copy": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-questionnaire-edit": ("GET", "302 403 403 403 403 403 200"),
    "surveys:staff-rates": ("GET", "302 403 403 403 403 403 200"),
    # Locking and unlocking: staff first get the confirmation page
    "surveys:staff-questionnaire-lock": ("POST", "302 403 403 403 403 403 200"),
    "surveys:staff-questionnaire-unlock": ("POST", "302 403 403 403 403 403 200"),
    "surveys:staff-extra-question": ("GET", "302 403 403 403 403 403 200"),
    "aggregation:runs": ("GET", "302 403 403 403 403 403 200"),
    "aggregation:tables-moved": ("GET", "302 403 403 403 403 403 301"),
    "aggregation:run-request": ("POST", "302 403 403 403 403 403 302"),
    "aggregation:quality-list": ("GET", "302 403 403 403 403 403 200"),
    "aggregation:published-upload": ("GET", "302 403 403 403 403 403 200"),
    "reports:index": ("GET", "302 403 403 403 403 403 200"),
    "reports:staff-free-text": ("GET", "302 403 403 403 403 403 302"),
    "reports:results": ("GET", "302 403 403 403 403 403 200"),
    "reports:key-figures": ("POST", "302 403 403 403 403 403 200"),
    "reports:results-chart": ("GET", "302 403 403 403 403 403 200"),
    "reports:export-start": ("POST", "302 403 403 403 403 403 302"),
    "reports:job-status": ("GET", "302 403 403 403 403 403 200"),
    "reports:job-download": ("GET", "302 403 403 403 403 403 200"),
    "coding:index": ("GET", "302 403 403 403 403 403 200"),
    "coding:codebook-start": ("POST", "302 403 403 403 403 403 302"),
    "coding:codebook": ("GET", "302 403 403 403 403 403 200"),
    "coding:theme-edit": ("GET", "302 403 403 403 403 403 200"),
    "coding:code": ("GET", "302 403 403 403 403 403 200"),
    "coding:code-answer": ("POST", "302 403 403 403 403 403 302"),
    # An empty POST says neither quote nor no quote.
    "coding:quote": ("POST", "302 403 403 403 403 403 400"),
    "coding:blind": ("POST", "302 403 403 403 403 403 302"),
    "coding:agreement": ("GET", "302 403 403 403 403 403 200"),
    "coding:history": ("GET", "302 403 403 403 403 403 200"),
    "reports:theme-counts": ("GET", "302 403 403 403 403 403 200"),
    # Built by a worker: 302 to the page of the document being built.
    "reports:codings-export": ("GET", "302 403 403 403 403 403 302"),
    # Region Stockholm's own profile: its users and staff (the PDF: 302 to the page of
    # the document being built)
    "reports:region-profile": ("GET", "302 404 404 404 404 200 200"),
    "reports:region-profile-pdf": ("GET", "302 404 404 404 404 302 302"),
    # Region Stockholm's submitted response: its receipt (built: the file)
    "reports:receipt-pdf": ("GET", "302 404 404 404 404 200 200"),
    # The blank questionnaire (of the municipalities' extra question): the organisations
    # it is for, their RSS coordinators and staff; not a region (302: to the page of the
    # form being built)
    "reports:questionnaire-pdf": ("GET", "302 302 302 302 302 404 302"),
    # A document a page offers (here Region Stockholm's receipt): those who may see what
    # it is built from, and staff
    "reports:document": ("GET", "302 404 404 404 404 200 200"),
    "reports:document-status": ("GET", "302 404 404 404 404 200 200"),
    "reports:document-download": ("GET", "302 404 404 404 404 200 200"),
}


def url_kwargs(name: str, world: World) -> dict[str, object]:
    """The URL's arguments: objects of Upplands Väsby, its RSS and Region Stockholm."""
    q = world.questionnaires
    municipal = world.municipal_response.pk
    return {
        "surveys:response-start": {
            "questionnaire_pk": q["municipality"].pk,
            "org_code": "0114",
        },
        "surveys:response-section": {"pk": municipal, "position": 1},
        "surveys:response-review": {"pk": municipal},
        "surveys:response-submit": {"pk": municipal},
        "surveys:response-summary": {"pk": municipal},
        "surveys:response-audit": {"pk": municipal},
        "surveys:response-prefill": {"pk": world.rss_response.pk},
        "surveys:response-reopen": {"pk": world.region_response.pk},
        "surveys:invitation-accept": {"token": "not-a-token"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "surveys:staff-questionnaire": {"pk": q["municipality"].pk},
        "surveys:contacts": {"org_code": "0114"},
        "surveys:contact-remove": {"org_code": "0114", "pk": world.contact.pk},
        "surveys:staff-invitations": {"pk": q["municipality"].pk},
        "surveys:staff-extend": {"pk": q["municipality"].pk, "org_code": "0114"},
        "surveys:area-invitations": {"code": "RSS-01"},
        "surveys:area-rates": {"code": "RSS-01"},
        "reports:area-free-text": {"code": "RSS-01"},
        "reports:area-free-text-question": {
            "code": "RSS-01",
            "questionnaire_pk": q["municipality"].pk,
            "question": "K05",
        },
        "surveys:staff-questionnaire-edit": {"pk": q["municipality"].pk},
        "surveys:staff-rates": {"pk": q["municipality"].pk},
        "surveys:staff-questionnaire-lock": {"pk": q["municipality"].pk},
        "surveys:staff-questionnaire-unlock": {"pk": q["municipality"].pk},
        "aggregation:tables-moved": {"questionnaire_pk": q["region"].pk},
        "aggregation:run-request": {"questionnaire_pk": q["region"].pk},
        "aggregation:quality-list": {"questionnaire_pk": q["region"].pk},
        "reports:results": {"questionnaire_pk": q["region"].pk},
        "reports:results-chart": {
            "questionnaire_pk": q["region"].pk,
            "run_pk": world.region_run.pk,
            "kind": "appendix",
            "key": "35",
        },
        "reports:export-start": {"questionnaire_pk": q["region"].pk},
        "reports:region-profile": {"questionnaire_pk": q["region"].pk, "code": "01"},
        "reports:region-profile-pdf": {
            "questionnaire_pk": q["region"].pk,
            "code": "01",
        },
        "surveys:staff-import-preview": {"pk": world.import_upload.pk},
        "aggregation:published-preview": {"pk": world.published_upload.pk},
        "reports:job-status": {"pk": world.export_job.pk},
        "reports:job-download": {"pk": world.export_job.pk},
        "reports:receipt-pdf": {"pk": world.region_response.pk},
        "coding:codebook-start": {
            "question_pk": world.codebook.question_id,
            "index": 0,
        },
        "coding:codebook": {"pk": world.codebook.pk},
        "coding:theme-edit": {"pk": world.codebook.pk, "theme_pk": world.theme.pk},
        "coding:code": {"pk": world.codebook.pk},
        "coding:code-answer": {"pk": world.codebook.pk, "response_pk": municipal},
        "coding:quote": {"pk": world.codebook.pk, "response_pk": municipal},
        "coding:blind": {"pk": world.codebook.pk},
        "coding:agreement": {"pk": world.codebook.pk},
        "coding:history": {"pk": world.codebook.pk},
        "reports:theme-counts": {"codebook_pk": world.codebook.pk},
        "reports:codings-export": {
            "questionnaire_pk": q["municipality"].pk,
            "fmt": "csv",
        },
        "reports:document": {"pk": world.receipt_job.pk},
        "reports:document-status": {"pk": world.receipt_job.pk},
        "reports:document-download": {"pk": world.receipt_job.pk},
        # The shortest questionnaire: the sweep renders it once per role.
        "reports:questionnaire-pdf": {"questionnaire_pk": q["extra"].pk},
    }.get(name, {})


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL pattern of the project, namespaced ("surveys:home")."""
    names: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            prefix = (
                f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
            names += url_names(entry, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None and namespace == "admin":
                continue  # the admin's unnamed redirects and catch-all
            names.append(f"{namespace}:{entry.name}" if namespace else str(entry.name))
    return names


def test_every_url_pattern_has_a_rule():
    project = {name for name in url_names() if not name.startswith("admin:")}

    assert sorted(project - EXPECTED.keys()) == [], "URLs without an access rule"
    assert sorted(EXPECTED.keys() - project) == [], "rules for URLs that do not exist"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_status(name, world):
    method, statuses = EXPECTED[name]
    url = reverse(name, kwargs=url_kwargs(name, world))
    got = []
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        # Each role meets the same world: what one role's POST changed is undone.
        with transaction.atomic():
            response = getattr(client, method.lower())(url)
            transaction.set_rollback(True)
        if response.status_code == 302 and user is None:
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)) or (
                name == "logout"
            ), f"{name}: anonymous sent to {response['Location']}, not to the login"
        got.append(str(response.status_code))

    assert " ".join(got) == statuses, f"{method} {url} as {', '.join(ROLES)}"


def _admin_urls(world: World) -> list[str]:
    urls = []
    for name in url_names():
        if not name.startswith("admin:"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # patterns with arguments: the object pages, checked on one user below
    staff = world.users["staff"]
    urls.append(reverse("admin:auth_user_change", args=[staff.pk]))
    urls.append(reverse("admin:auth_user_history", args=[staff.pk]))
    return urls


def _superuser_request(world: World):
    request = RequestFactory().get("/admin/")
    request.user = world.users["staff"]
    return request


def test_the_admin_is_for_staff_only(world):
    urls = _admin_urls(world)
    assert len(urls) > 20
    read_only_add = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(_superuser_request(world))
    }
    for url in urls:
        if url.endswith(("/logout/", "/login/", "/autocomplete/")):
            continue  # the login itself; autocomplete answers 403 without its query
        for role in ROLES:
            client = Client()
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            if role == "staff":
                # The audit logs and job rows are read-only: no "add" page.
                expected = 403 if url in read_only_add else 200
                assert response.status_code == expected, url
            else:
                assert response.status_code == 302, (url, role)
                assert "/admin/login/" in response["Location"], (url, role)
