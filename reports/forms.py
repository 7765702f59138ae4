"""Forms of the reports app. They only collect input: which parameters each kind
of report needs, and whether they hold, is decided by
:func:`reports.services.report_parameters`."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from activities.models import ActionPlan
from metropolis.years import FIRST_YEAR, LAST_YEAR

from .models import ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[
            (ReportKind.ANNUAL, ReportKind.ANNUAL.label),
            (ReportKind.THREE_YEAR, ReportKind.THREE_YEAR.label),
        ],
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    plan_code = forms.ChoiceField(label=_("Action plan"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # Shown once the page has warned that the report covers a year with almost
    # no records: ticking it renders the report anyway.
    thin_years_confirmed = forms.BooleanField(
        label=_("Generate it anyway"), required=False, widget=forms.HiddenInput
    )

    def show_thin_years_confirmation(self) -> None:
        self.fields["thin_years_confirmed"].widget = forms.CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_code"].choices = [("", "—")] + [
            (plan.code, f"{plan.code} · {plan.title}") for plan in ActionPlan.objects.order_by("-start_year")
        ]
