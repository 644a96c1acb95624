"""Locking and unlocking a questionnaire, reopening a submitted response."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.forms.base import add_errors
from surveys.forms.transitions import ReopenForm, UnlockForm
from surveys.frames import frame_size
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_questionnaire_for_staff,
    get_response_for_user,
    staff_required,
)
from surveys.services import transitions
from surveys.views.confirmations import confirm_or_page


@require_POST
@staff_required
def questionnaire_lock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: lock the questionnaire for the final aggregation (after a confirmation)."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    try:
        page = confirm_or_page(
            request,
            action="questionnaire-lock",
            payload={"questionnaire": questionnaire.pk},
            title=_("Lock %(title)s") % {"title": questionnaire.title},
            lead=_(
                "Nobody, staff included, can change any of its answers until it is "
                "unlocked. It concerns every organisation it is for."
            ),
            count=frame_size(questionnaire),
            back_url=reverse("surveys:staff-rates", args=[pk]),
        )
        if page is not None:
            return page
        transitions.questionnaire_lock(questionnaire=questionnaire, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s is locked: nobody can change its answers.")
            % {"title": questionnaire.title},
        )
    return redirect("surveys:staff-rates", pk=pk)


@require_POST
@staff_required
def questionnaire_unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: unlock the questionnaire again."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    form = UnlockForm(request.POST)
    form.is_valid()
    try:
        page = confirm_or_page(
            request,
            action="questionnaire-unlock",
            payload={
                "questionnaire": questionnaire.pk,
                "reason": form.cleaned_data.get("reason", ""),
            },
            title=_("Unlock %(title)s") % {"title": questionnaire.title},
            lead=_(
                "Its answers can be changed again by every organisation it is for "
                "whose deadline has not passed, and by staff."
            ),
            count=frame_size(questionnaire),
            back_url=reverse("surveys:staff-rates", args=[pk]),
        )
        if page is not None:
            return page
        transitions.questionnaire_unlock(
            questionnaire=questionnaire,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(title)s is unlocked.") % {"title": questionnaire.title}
        )
    return redirect("surveys:staff-rates", pk=pk)


@staff_required
def response_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: put a submitted response back to draft, with a reason."""
    response = get_response_for_user(request.user, pk)
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                transitions.response_reopen(
                    response=response,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The response of %(organisation)s is a draft again; the "
                        "organisation can change and submit it."
                    )
                    % {"organisation": response.organisation},
                )
                return redirect("surveys:staff-rates", pk=response.questionnaire_id)
    else:
        form = ReopenForm()
    return render(
        request,
        "surveys/staff/response_reopen.html",
        {"response": response, "form": form},
        status=400 if form.errors else 200,
    )
