"""The staff's upload form of published values of an earlier year."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from aggregation.published import FIRST_YEAR
from surveys.forms.imports import ImportUploadForm, QuestionnaireChoiceField
from surveys.models import Questionnaire


class PublishedValuesForm(forms.Form):
    questionnaire = QuestionnaireChoiceField(
        label=_("Questionnaire"),
        queryset=Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience"),
    )
    year = forms.IntegerField(
        label=_("Year of the figures"),
        min_value=FIRST_YEAR,
        max_value=2100,
        help_text=_("The earlier year the published figures are of, e.g. 2023."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One figure per row with the columns question, item, option, level, unit, "
            "percent and optionally count, denominator; UTF-8, separated by comma or "
            "semicolon."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Check the file")))

    # The same file checks as the answer import: size, name, no workbook, text.
    clean_file = ImportUploadForm.clean_file
