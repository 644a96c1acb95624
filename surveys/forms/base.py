"""What the staff forms share: the date input, a form with its submit button, and a
service's errors put on the form."""

from __future__ import annotations

import datetime
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: at their field, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def parse_dates(value: str) -> list[datetime.date]:
    dates = []
    for part in re.split(r"[\s,;]+", value.strip()):
        if not part:
            continue
        try:
            dates.append(datetime.date.fromisoformat(part))
        except ValueError as exc:
            raise ValidationError(
                _("%(value)s is not a date written as YYYY-MM-DD.") % {"value": part}
            ) from exc
    return sorted(set(dates))


class PostForm(forms.Form):
    submit_label = gettext_lazy("Save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", self.submit_label))
