"""Forms of the reports app."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from activities.models import ActionPlan

from .models import ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[
            (ReportKind.ANNUAL, ReportKind.ANNUAL.label),
            (ReportKind.THREE_YEAR, ReportKind.THREE_YEAR.label),
        ],
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    plan_code = forms.ChoiceField(label=_("Action plan"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_code"].choices = [("", "—")] + [
            (plan.code, f"{plan.code} · {plan.title}") for plan in ActionPlan.objects.order_by("-start_year")
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.ANNUAL and not data.get("year"):
            self.add_error("year", _("Choose the year of the annual report."))
        if data.get("kind") == ReportKind.THREE_YEAR and not data.get("plan_code"):
            self.add_error("plan_code", _("Choose the action plan of the three-year report."))
        return data
