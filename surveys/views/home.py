"""The start page: the organisation's questionnaires, the RSS area, the staff overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from surveys.permissions import AuthenticatedHttpRequest, is_staff, membership_of
from surveys.selectors.questionnaires import questionnaire_overview
from surveys.selectors.responses import area_status_rows, status_rows_for_organisation


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start page: the organisation's questionnaires (and the RSS area, staff overview)."""
    membership = membership_of(request.user)
    context: dict = {"membership": membership}
    if membership is not None:
        context["rows"] = status_rows_for_organisation(membership.organisation)
        if membership.is_coordinator:
            context["area_rows"] = area_status_rows(membership.organisation)
    if is_staff(request.user):
        context["overview"] = questionnaire_overview()
    return render(request, "surveys/home.html", context)
