"""Forms of the calls' public pages: a submission with the call's own
questions, the library's search, a juror's conflicts and review. They collect
and check input; the services decide what is allowed and save."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from activities.attachments import attachment_check
from activities.models import (
    Call,
    CallAnswer,
    CallAttachment,
    CallQuestion,
    CallSubmission,
    QuestionKind,
    RubricCriterion,
    SdgGoal,
    SdgTarget,
)
from activities.services.call_submissions import AnswerInput
from activities.services.jury import ScoreInput, criterion_field_name
from members.models import MemberCity, Region


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the
    form has it, the others above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields else None
        for message in errors:
            form.add_error(target if name != NON_FIELD_ERRORS else None, message)


def _member_label(member: MemberCity) -> str:
    return f"{member.name} ({member.country.name})" if member.country else member.name


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberCity) -> str:
        return _member_label(obj)


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MemberCity) -> str:
        return _member_label(obj)


class SdgTargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SdgTarget) -> str:
        return str(obj)


class AttachmentField(forms.FileField):
    """A PDF, JPEG or PNG file no larger than the call allows, recognised from
    its content (``activities.attachments``)."""

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        self.max_mb = max_mb
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png")

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            attachment_check(upload, max_mb=self.max_mb)
        return upload


class SubmissionForm(forms.ModelForm):
    """A submission to ``call``: who applies and what, then one field (or two)
    per question of the call. Saving a draft needs the title and the city;
    submitting needs every required answer (the service checks)."""

    member = MemberChoiceField(
        queryset=MemberCity.objects.order_by("name"),
        required=False,
        label=_("Member city"),
        help_text=_("If your city is a member of Metropolis, choose it; otherwise leave this empty."),
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("position"),
        required=False,
        label=_("Region"),
        help_text=_("Not needed for a member city: its region is known."),
    )

    class Meta:
        model = CallSubmission
        fields = [
            "title",
            "summary",
            "language",
            "city_name",
            "country",
            "member",
            "region",
            "library_consent",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        labels = {"language": _("Language you write in")}
        help_texts = {
            "summary": _("At most 2,000 characters. It is public if your submission joins the case library."),
            "language": _("Answer in any of the portal's four languages."),
        }

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["language"].choices = list(settings.LANGUAGES)
        self.questions = list(call.questions.order_by("position", "pk"))
        stored = self._stored()
        for question in self.questions:
            self._add_question(question, stored)

    def _stored(self) -> dict[str, Any]:
        """The stored answers and attachments of the submission, by question id."""
        if self.instance.pk is None:
            return {"answers": {}, "attachments": {}}
        return {
            "answers": {answer.question_id: answer for answer in self.instance.answers.all()},
            "attachments": {
                attachment.question_id: attachment for attachment in self.instance.attachments.all()
            },
        }

    def _add_question(self, question: CallQuestion, stored: dict[str, Any]) -> None:
        name = question.field_name
        label = str(question.text)
        help_text = str(question.help_text or "")
        answer: CallAnswer | None = stored["answers"].get(question.pk)
        common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
        kind = question.kind
        if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
            widget = (
                forms.Textarea(attrs={"rows": 6, "maxlength": question.text_limit})
                if kind == QuestionKind.LONG_TEXT
                else forms.TextInput(attrs={"maxlength": question.text_limit})
            )
            self.fields[name] = forms.CharField(widget=widget, max_length=question.text_limit, **common)
            self.initial.setdefault(name, answer.text if answer else "")
        elif kind == QuestionKind.SDG_GOALS:
            self.fields[name] = forms.ModelMultipleChoiceField(
                queryset=SdgGoal.objects.order_by("number"), widget=forms.CheckboxSelectMultiple, **common
            )
            self.initial.setdefault(name, list(answer.sdg_goals.all()) if answer else [])
        elif kind == QuestionKind.SDG_TARGETS:
            self.fields[name] = SdgTargetChoiceField(
                queryset=SdgTarget.objects.select_related("goal").order_by("goal__number", "code"),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
            self.initial.setdefault(name, list(answer.sdg_targets.all()) if answer else [])
        elif kind == QuestionKind.BUDGET:
            self.fields[name] = forms.DecimalField(
                min_value=Decimal(0), max_digits=14, decimal_places=2, localize=False, **common
            )
            self.fields[f"{name}_currency"] = forms.CharField(
                label=_("Currency"), max_length=3, required=False, help_text=_("EUR, USD, CNY…")
            )
            self.initial.setdefault(name, answer.amount if answer else None)
            self.initial.setdefault(f"{name}_currency", (answer.currency if answer else "") or "EUR")
        elif kind == QuestionKind.PARTNERS:
            self.fields[name] = MemberMultipleChoiceField(
                queryset=MemberCity.objects.order_by("name"),
                widget=forms.SelectMultiple(attrs={"size": 8}),
                **common,
            )
            self.fields[f"{name}_others"] = forms.CharField(
                label=_("Other partners"),
                help_text=_("Organisations and cities that are not members, one per line."),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=question.text_limit,
            )
            self.initial.setdefault(name, list(answer.partner_members.all()) if answer else [])
            self.initial.setdefault(f"{name}_others", answer.text if answer else "")
        elif kind == QuestionKind.ATTACHMENT:
            attachment: CallAttachment | None = stored["attachments"].get(question.pk)
            self.fields[name] = AttachmentField(max_mb=self.call.attachment_max_mb, **common)
            self.fields[name].stored = attachment  # type: ignore[attr-defined]
        self.fields[name].question = question  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        member = cleaned.get("member")
        if member is not None:
            # A member city applies under its own country and region.
            cleaned["country"], cleaned["region"] = member.country, member.region
            self.errors.pop("country", None)
        elif not cleaned.get("region") and "region" not in self.errors:
            self.add_error("region", _("Choose the region of your city."))
        return cleaned

    def question_fields(self) -> list[tuple[CallQuestion, list[forms.BoundField]]]:
        """Each question with its fields, in the call's order, for the template."""
        grouped = []
        for question in self.questions:
            names = [question.field_name, f"{question.field_name}_currency", f"{question.field_name}_others"]
            grouped.append((question, [self[name] for name in names if name in self.fields]))
        return grouped

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        answers = []
        for question in self.questions:
            name = question.field_name
            value = data.get(name)
            if question.kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT):
                answers.append(AnswerInput(question=question, text=value or ""))
            elif question.kind == QuestionKind.SDG_GOALS:
                answers.append(AnswerInput(question=question, sdg_goals=list(value or [])))
            elif question.kind == QuestionKind.SDG_TARGETS:
                answers.append(AnswerInput(question=question, sdg_targets=list(value or [])))
            elif question.kind == QuestionKind.BUDGET:
                answers.append(
                    AnswerInput(question=question, amount=value, currency=data.get(f"{name}_currency") or "")
                )
            elif question.kind == QuestionKind.PARTNERS:
                answers.append(
                    AnswerInput(
                        question=question,
                        partner_members=list(value or []),
                        text=data.get(f"{name}_others") or "",
                    )
                )
            elif question.kind == QuestionKind.ATTACHMENT:
                answers.append(AnswerInput(question=question, file=value or None))
        return answers


class LibraryFilterForm(forms.Form):
    """The case library's search: an SDG goal, a region, a year, words."""

    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    sdg = forms.TypedChoiceField(label=_("SDG goal"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg"].choices = [("", _("Every goal"))] + [
            (goal.number, f"{goal.number}. {goal.name}") for goal in SdgGoal.objects.order_by("number")
        ]
        self.fields["region"].choices = [("", _("Every region"))] + [
            (region.code, region.name) for region in Region.objects.order_by("position")
        ]
        self.fields["year"].choices = [("", _("Every year"))] + [(year, year) for year in years]


class ConflictsForm(forms.Form):
    """A juror's conflicts: one box and one reason per submission of the call."""

    def __init__(
        self,
        *args: Any,
        submissions: list[CallSubmission],
        declared: dict[int, str],
        show_city: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for submission in submissions:
            box, reason = f"conflict_{submission.pk}", f"reason_{submission.pk}"
            label = f"#{submission.number} {submission.title}"
            if show_city:
                label += f" ({submission.city_name}, {submission.country.name})"
            self.fields[box] = forms.BooleanField(
                label=label, required=False, initial=submission.pk in declared
            )
            self.fields[reason] = forms.CharField(
                label=_("Reason (optional)"),
                required=False,
                max_length=500,
                initial=declared.get(submission.pk, ""),
            )
            self.rows.append((submission, self[box], self[reason]))

    def declared(self) -> tuple[list[CallSubmission], dict[int, str]]:
        chosen = [s for s, box, _reason in self.rows if self.cleaned_data.get(box.name)]
        reasons = {s.pk: self.cleaned_data.get(f"reason_{s.pk}", "") for s in chosen}
        return chosen, reasons


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class ReviewForm(forms.Form):
    """A juror's review: a whole-number score within each criterion's range and
    a comment per criterion, and an overall comment."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, criteria: list[RubricCriterion], scores: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.rows = []
        for criterion in criteria:
            name = criterion_field_name(criterion.pk)
            stored = scores.get(criterion.pk)
            self.fields[name] = forms.IntegerField(
                label=str(criterion.name),
                help_text=_("From %(low)s to %(high)s; weight %(weight)s.")
                % {
                    "low": criterion.min_score,
                    "high": criterion.max_score,
                    "weight": criterion.weight.normalize(),
                },
                required=False,
                min_value=criterion.min_score,
                max_value=criterion.max_score,
                initial=stored.score if stored else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"{name}_comment"] = forms.CharField(
                label=_("Comment on this criterion"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=stored.comment if stored else "",
            )
            self.rows.append((criterion, self[name], self[f"{name}_comment"]))

    def scores(self) -> dict[int, ScoreInput]:
        return {
            criterion.pk: ScoreInput(
                score=self.cleaned_data.get(criterion_field_name(criterion.pk)),
                comment=self.cleaned_data.get(f"{criterion_field_name(criterion.pk)}_comment") or "",
            )
            for criterion in self.criteria
        }
