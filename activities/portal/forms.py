"""Forms of the activities app's portal pages: an item a city proposes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import PublicationKind, Submission
from members.forms import DateInput, https_urls
from members.selectors.reporting_year import reporting_year


class SubmissionForm(forms.ModelForm):
    publication_kind = forms.ChoiceField(
        label=_("Kind of publication"),
        required=False,
        choices=[("", "—"), *PublicationKind.choices],
        help_text=_("For a publication only."),
    )

    class Meta:
        model = Submission
        fields = ["kind", "year", "title", "url", "happened_on", "description", "publication_kind"]
        widgets = {"happened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        formfield_callback = https_urls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", reporting_year())
