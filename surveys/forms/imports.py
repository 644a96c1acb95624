"""The upload form of the staff's response import."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from surveys.models import Questionnaire

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
