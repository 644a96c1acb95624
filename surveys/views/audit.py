"""The audit page of a response: who changed what and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render

from surveys.permissions import AuthenticatedHttpRequest, get_response_for_user
from surveys.selectors.audit import audit_entries

AUDIT_PAGE_SIZE = 50


@login_required
def response_audit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when in a response, with submissions, imports, reopenings."""
    response = get_response_for_user(request.user, pk)
    page: Page = Paginator(audit_entries(response), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "surveys/staff/response_audit.html",
        {"response": response, "page": page},
    )
