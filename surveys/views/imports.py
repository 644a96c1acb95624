"""Staff: importing responses from a CSV file (upload, preview, confirm)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from surveys.forms.imports import ImportUploadForm
from surveys.models import ImportUpload
from surveys.permissions import AuthenticatedHttpRequest, staff_required
from surveys.services.imports import (
    import_upload_confirm,
    import_upload_create,
    import_upload_discard,
    import_upload_preview,
)


@staff_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff upload a CSV file of answers; show every error, or go to its preview."""
    errors: list[str] = []
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = import_upload_create(
                    questionnaire=form.cleaned_data["questionnaire"],
                    file=form.cleaned_data["file"],
                    file_name=form.cleaned_data["file"].name or "",
                    draft=form.cleaned_data["draft"],
                    by=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                return redirect("surveys:staff-import-preview", pk=upload.pk)
    else:
        form = ImportUploadForm()
    return render(
        request, "surveys/staff/import.html", {"form": form, "errors": errors}
    )


@staff_required
def import_preview(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """An uploaded file's changes, to confirm or discard; after it, the import's report.

    Only the staff user who uploaded the file sees it (404 for anyone else).
    """
    upload = get_object_or_404(
        ImportUpload.objects.select_related("questionnaire__cycle"),
        pk=pk,
        uploaded_by=request.user,
    )
    errors: list[str] = []
    if request.method == "POST" and upload.status == ImportUpload.Status.PENDING:
        action = request.POST.get("action")
        if action == "discard":
            import_upload_discard(upload=upload)
            messages.info(request, _("The file was discarded; nothing was imported."))
            return redirect("surveys:staff-import")
        if action in ("import", "replace"):
            try:
                done = import_upload_confirm(
                    upload=upload,
                    by=request.user,
                    replace_submitted=action == "replace",
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                if not done:
                    messages.warning(
                        request,
                        _(
                            "The answers changed after the preview was shown; nothing "
                            "was imported. Check the changes again."
                        ),
                    )
                return redirect("surveys:staff-import-preview", pk=upload.pk)
    elif request.method == "POST":
        return redirect("surveys:staff-import-preview", pk=upload.pk)
    plan = None
    if upload.status == ImportUpload.Status.PENDING and not errors:
        try:
            plan = import_upload_preview(upload=upload)
        except ValidationError as exc:
            errors = exc.messages
    return render(
        request,
        "surveys/staff/import_preview.html",
        {"upload": upload, "plan": plan, "errors": errors},
        status=400 if errors else 200,
    )
