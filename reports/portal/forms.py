"""Forms of the reports app's portal pages: the year of the engagement page and
a scorecard request."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from metropolis.years import FIRST_YEAR, LAST_YEAR


class EngagementYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]  # type: ignore[attr-defined]


class ScorecardRequestForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    language = forms.ChoiceField(label=_("Language of the PDF"), choices=settings.LANGUAGES)
