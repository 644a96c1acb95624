"""Pages for national staff."""

from __future__ import annotations

import uuid
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from surveys.models import ImportUpload, Questionnaire
from surveys.permissions import require_staff
from surveys.services.imports import (
    import_upload_confirm,
    import_upload_create,
    import_upload_discard,
    import_upload_preview,
)

# What the import accepts: text files; an Excel workbook is a zip archive.
UPLOAD_SUFFIXES = (".csv", ".txt")
ZIP_MAGIC = b"PK\x03\x04"


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Questionnaire) -> str:
        return f"{obj.cycle.year}: {obj.title} (v{obj.version})"


class ImportUploadForm(forms.Form):
    questionnaire = QuestionnaireChoiceField(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience"),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One answer per row with the columns organisation, question, item, "
            "answer; UTF-8, separated by comma or semicolon."
        ),
    )
    draft = forms.BooleanField(label=_("Save as draft"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Check the file")))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s can be imported at once.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        name = upload.name or ""
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise ValidationError(
                _("“%(name)s” is not a CSV file: the name must end in .csv or .txt.")
                % {"name": name}
            )
        head = upload.read(4096)
        upload.seek(0)
        if head.startswith(ZIP_MAGIC):
            raise ValidationError(
                _(
                    "“%(name)s” is an Excel workbook, not a CSV file. Save it from "
                    "Excel as “CSV UTF-8” and upload that file."
                )
                % {"name": name}
            )
        if b"\x00" in head:
            raise ValidationError(
                _("“%(name)s” is not a text file (it holds binary data).")
                % {"name": name}
            )
        return upload


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Staff upload a CSV file of answers; show every error, or go to its preview."""
    require_staff(request.user)
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


@login_required
def import_preview(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """An uploaded file's changes, to confirm or discard; after it, the import's report.

    Only the staff user who uploaded the file sees it (404 for anyone else).
    """
    require_staff(request.user)
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
