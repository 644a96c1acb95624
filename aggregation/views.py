"""Staff pages: the aggregation runs of the questionnaires and the data-quality list.

The stored tables of a run are shown on reports' results page (reports:results).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aggregation.compute import rss_count_differences
from aggregation.forms import PublishedValuesForm
from aggregation.models import PublishedUpload
from aggregation.selectors import published_years
from aggregation.services import (
    STAFF,
    aggregation_request,
    aggregation_statuses,
    published_upload_confirm,
    published_upload_create,
    published_upload_discard,
    published_upload_preview,
)
from surveys.models import Questionnaire
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_questionnaire_for_staff,
    staff_required,
)
from surveys.selectors.quality import quality_rows
from surveys.services.compilation import rss_compilations_drift

# ?confirmed=… : which warnings the data-quality list shows.
CONFIRMED_FILTERS = {"": None, "no": False, "yes": True}


@staff_required
def runs(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every current questionnaire with its results: when, from what, stale or not."""
    questionnaires = list(
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience")
    )
    statuses = aggregation_statuses(questionnaires=questionnaires)
    return render(
        request,
        "aggregation/runs.html",
        {
            "statuses": statuses,
            "in_flight": any(s.in_flight for s in statuses),
        },
    )


@require_POST
@staff_required
def run_request(
    request: AuthenticatedHttpRequest, questionnaire_pk: int
) -> HttpResponse:
    """Staff ask for a questionnaire's tables to be computed now."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    aggregation_request(questionnaire=questionnaire, reason=STAFF, by=request.user)
    messages.success(
        request,
        _(
            "The tables of “%(questionnaire)s” will be computed again. This page "
            "shows when they are ready."
        )
        % {"questionnaire": questionnaire.title},
    )
    return redirect("aggregation:runs")


@staff_required
def tables_moved(
    request: AuthenticatedHttpRequest, questionnaire_pk: int
) -> HttpResponse:
    """The retired tables page: bookmarks lead on to the results page (the same tables)."""
    return redirect(
        "reports:results", questionnaire_pk=questionnaire_pk, permanent=True
    )


@staff_required
def quality_list(
    request: AuthenticatedHttpRequest, questionnaire_pk: int
) -> HttpResponse:
    """Every plausibility warning of a questionnaire's responses, filterable."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    confirmed = request.GET.get("confirmed", "")
    if confirmed not in CONFIRMED_FILTERS:
        confirmed = ""
    drafts = request.GET.get("drafts") == "1"
    rows = quality_rows(questionnaire=questionnaire, include_drafts=drafts)
    unconfirmed = sum(not row.confirmed for row in rows)
    wanted = CONFIRMED_FILTERS[confirmed]
    if wanted is not None:
        rows = [row for row in rows if row.confirmed == wanted]
    return render(
        request,
        "aggregation/quality.html",
        {
            "questionnaire": questionnaire,
            "rows": rows,
            "confirmed": confirmed,
            "drafts": drafts,
            "unconfirmed": unconfirmed,
            "count_differences": rss_count_differences(questionnaire=questionnaire),
            "stale_compilations": (
                rss_compilations_drift(questionnaire=questionnaire)
                if questionnaire.audience == Questionnaire.Audience.RSS
                else []
            ),
        },
    )


@staff_required
def published_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff upload the published figures of an earlier year; every error, or the
    preview of what the file replaces, to confirm."""
    errors: list[str] = []
    if request.method == "POST":
        form = PublishedValuesForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = published_upload_create(
                    questionnaire=form.cleaned_data["questionnaire"],
                    year=form.cleaned_data["year"],
                    file=form.cleaned_data["file"],
                    file_name=form.cleaned_data["file"].name or "",
                    by=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                return redirect("aggregation:published-preview", pk=upload.pk)
    else:
        form = PublishedValuesForm()
    questionnaires = list(
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience")
    )
    stored = [
        (questionnaire, years)
        for questionnaire in questionnaires
        if (years := published_years(questionnaire=questionnaire))
    ]
    return render(
        request,
        "aggregation/published.html",
        {"form": form, "errors": errors, "stored": stored},
        status=400 if errors else 200,
    )


@staff_required
def published_preview(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """What an uploaded file of published figures replaces, to confirm or discard;
    after it, what it did. Only the staff user who uploaded it sees it (404 else)."""
    upload = get_object_or_404(
        PublishedUpload.objects.select_related("questionnaire__cycle"),
        pk=pk,
        uploaded_by=request.user,
    )
    errors: list[str] = []
    if request.method == "POST" and upload.status == PublishedUpload.Status.PENDING:
        action = request.POST.get("action")
        if action == "discard":
            published_upload_discard(upload=upload)
            messages.info(request, _("The file was discarded; nothing was saved."))
            return redirect("aggregation:published-upload")
        if action == "import":
            try:
                done = published_upload_confirm(upload=upload, by=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if not done:
                    messages.warning(
                        request,
                        _(
                            "The stored figures of that year changed after the preview "
                            "was shown; nothing was saved. Check the changes again."
                        ),
                    )
                return redirect("aggregation:published-preview", pk=upload.pk)
    elif request.method == "POST":
        # A second confirm (double click, resent form) imports nothing.
        return redirect("aggregation:published-preview", pk=upload.pk)
    changes = None
    if upload.status == PublishedUpload.Status.PENDING and not errors:
        try:
            changes = published_upload_preview(upload=upload)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "aggregation/published_preview.html",
        {"upload": upload, "changes": changes, "errors": errors},
        status=400 if errors else 200,
    )
