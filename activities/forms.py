"""Forms of the activities app's admin pages (the intermediate pages of its
actions). They only collect input; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmissionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the city sees it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
