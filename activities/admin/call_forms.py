"""Forms of the secretariat's pages of a call: moving its phase, inviting a
juror, assigning a submission by hand, screening, and recording the jury's
decisions. They only collect input; the services decide what is allowed."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from activities.models import (
    Call,
    CallPhase,
    CallSubmission,
    CallSubmissionStatus,
    Eligibility,
    Juror,
    ReviewAssignment,
)
from members.forms import DateInput
from members.models import MemberCity


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move the call to"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the log"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, moves: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(move, CallPhase(move).label) for move in moves]


class JurorInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    city_name = forms.CharField(label=_("City"), max_length=200, required=False)
    member = forms.ModelChoiceField(
        label=_("Member city"),
        queryset=MemberCity.objects.order_by("name"),
        required=False,
        help_text=_("When the juror comes from a member city; its country then applies."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)


class DecisionForm(forms.Form):
    """The jury's shortlist or winners: the submissions chosen (boxes), the
    date and the minutes."""

    chosen = forms.ModelMultipleChoiceField(
        queryset=CallSubmission.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    decided_on = forms.DateField(label=_("Decided on"), initial=timezone.localdate, widget=DateInput())
    minutes = forms.CharField(label=_("Minutes of the decision"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = choices


class ScreeningRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the applicant reads it once the jury review starts)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AssignmentAddForm(forms.ModelForm):
    """The secretariat's manual assignment of a submission to a juror."""

    class Meta:
        model = ReviewAssignment
        fields = ["juror", "submission"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewing = Call.objects.filter(phase=CallPhase.REVIEW)
        # (On a stored assignment both fields are read-only: the form has neither.)
        if "juror" in self.fields:
            self.fields["juror"].queryset = Juror.objects.filter(call__in=reviewing).select_related(
                "user", "call"
            )
        if "submission" in self.fields:
            self.fields["submission"].queryset = CallSubmission.objects.filter(
                call__in=reviewing, status=CallSubmissionStatus.SUBMITTED, eligibility=Eligibility.ELIGIBLE
            ).select_related("call")
