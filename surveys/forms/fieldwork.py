"""The fieldwork forms: contact persons, invitations, extended deadlines, the filter."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from regions.models import County, Organisation
from surveys.answers import format_problem


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=50, required=False)

    def clean_email(self) -> str:
        """The same rule as the contact block of the questionnaires."""
        email = self.cleaned_data["email"].strip()
        problem = format_problem("email", email)
        if problem:
            raise forms.ValidationError(problem)
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        problem = format_problem("phone", phone) if phone else None
        if problem:
            raise forms.ValidationError(problem)
        return phone


class InviteForm(forms.Form):
    SELECTED, ALL = "selected", "all"

    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False
    )
    scope = forms.ChoiceField(
        choices=[(SELECTED, SELECTED), (ALL, ALL)], initial=SELECTED
    )
    resend = forms.BooleanField(required=False)

    def __init__(self, *args: Any, audience: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audience = audience
        cast(
            forms.ModelMultipleChoiceField, self.fields["organisations"]
        ).queryset = audience

    def chosen(self) -> list[Organisation]:
        if self.cleaned_data["scope"] == self.ALL:
            return list(self.audience)
        return list(self.cleaned_data["organisations"])


class ExtendForm(forms.Form):
    closes_on = forms.DateField(label=gettext_lazy("New deadline"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000)


class FilterForm(forms.Form):
    STATUSES = [
        ("", gettext_lazy("All")),
        ("not_invited", gettext_lazy("Not invited")),
        ("invited", gettext_lazy("Invited")),
        ("not_emailed", gettext_lazy("No e-mail sent")),
        ("not_submitted", gettext_lazy("Not submitted")),
        ("submitted", gettext_lazy("Submitted")),
        ("extended", gettext_lazy("Extended deadline")),
        ("unreachable", gettext_lazy("Without contact person")),
    ]

    county = forms.ModelChoiceField(
        label=gettext_lazy("County"),
        queryset=County.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All"),
    )
    rss = forms.ModelChoiceField(
        label=gettext_lazy("RSS"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by(
            "code"
        ),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=STATUSES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
