"""Mailings in the admin: write one in up to four languages, see who it reaches
and what each version looks like, send a test, send it now or at a set time,
follow its progress (a bar that polls the mailing's rows), and read each
recipient's status. The consent records and the personal-data requests are
logs, read here."""

from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from members.admin.common import ReadOnlyRecords, acting_user
from members.forms import MailingForm, MailingSendForm, MailingTestForm
from members.models import (
    ConsentRecord,
    ConsentSource,
    Mailing,
    MailingRecipient,
    MailingStatus,
    PersonalDataRequest,
)
from members.models.mailings import MAILING_LANGUAGES
from members.selectors.mailings import mailing_audience, mailing_list, mailing_progress
from members.selectors.segments import segment
from members.services.mailings import (
    consent_record,
    mailing_cancel,
    mailing_message,
    mailing_save,
    mailing_schedule,
    mailing_send,
    mailing_test_send,
)
from metropolis.refusals import refusal_text

SEND_PERMISSION = "members.send_mailing"

# The segments' labels, read once per list page (a segment with choices reads
# them from the database): a list of mailings costs the same queries for 10 or 500.
_segment_labels: ContextVar[dict[tuple[str, str], str] | None] = ContextVar("segment_labels", default=None)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    form = MailingForm
    list_display = [
        "__str__",
        "kind",
        "audience_display",
        "status",
        "scheduled_for",
        "recipient_count",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject_en", "subject_es", "subject_fr", "subject_zh_hans"]
    readonly_fields = ["status_display", "next_steps"]
    fieldsets = [
        (None, {"fields": ["kind", "audience", "status_display", "next_steps"]}),
        (
            _("English (every contact whose language has no version receives it)"),
            {"fields": ["subject_en", "body_en"]},
        ),
        (_("Spanish"), {"fields": ["subject_es", "body_es"]}),
        (_("French"), {"fields": ["subject_fr", "body_fr"]}),
        (_("Simplified Chinese"), {"fields": ["subject_zh_hans", "body_zh_hans"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return mailing_list()

    def get_fieldsets(self, request: HttpRequest, obj: Mailing | None = None) -> list:
        if obj is not None and not self.has_change_permission(request, obj):
            # Read only: the recipients, as stored.
            first = (None, {"fields": ["kind", "audience_display", "status_display", "next_steps"]})
            return [first, *self.fieldsets[1:]]
        return self.fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Mailing | None = None) -> list[str]:
        if obj is not None and not self.has_change_permission(request, obj):
            return [*self.readonly_fields, "audience_display"]
        return list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Mailing | None = None) -> bool:
        # Once it has gone out (or is going), a mailing is what was sent.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Mailing | None = None) -> bool:
        if obj is not None and obj.status != MailingStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def has_send_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(SEND_PERMISSION)

    def save_model(self, request: HttpRequest, obj: Mailing, form: forms.ModelForm, change: bool) -> None:
        try:
            mailing_save(mailing=obj, by=acting_user(request))
        except ValidationError as error:
            # The form validated the same rules; this is a mailing sent meanwhile.
            self.message_user(request, refusal_text(error), messages.ERROR)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        token = _segment_labels.set({})
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _segment_labels.reset(token)

    @admin.display(description=_("recipients"))
    def audience_display(self, mailing: Mailing) -> str:
        labels = _segment_labels.get()
        key = (mailing.segment, mailing.segment_value)
        if labels is not None and key in labels:
            return labels[key]
        chosen = segment(mailing.segment)
        if chosen is None:
            label = mailing.segment
        elif labels is not None and chosen.choices is not None:
            # Every choice of the segment at once, for the next rows.
            for value, text in chosen.choices():
                labels[(chosen.code, value)] = f"{chosen.label}: {text}"
            label = labels.get(key, chosen.describe(mailing.segment_value))
        else:
            label = chosen.describe(mailing.segment_value)
        if labels is not None:
            labels[key] = label
        return label

    @admin.display(description=_("status"))
    def status_display(self, mailing: Mailing) -> str:
        if mailing.status == MailingStatus.SCHEDULED and mailing.scheduled_for:
            return gettext("Scheduled for %(when)s") % {
                "when": timezone.localtime(mailing.scheduled_for).strftime("%Y-%m-%d %H:%M")
            }
        return mailing.get_status_display()

    @admin.display(description=_("next steps"))
    def next_steps(self, mailing: Mailing) -> str:
        if mailing.pk is None:
            return gettext("Save the mailing first; then preview it, send a test and send it.")
        links = [
            (reverse("admin:members_mailing_preview", args=[mailing.pk]), gettext("Preview and test")),
            (
                reverse("admin:members_mailing_progress", args=[mailing.pk]),
                gettext("Progress and recipients"),
            ),
        ]
        if mailing.is_editable:
            links.insert(
                1, (reverse("admin:members_mailing_send", args=[mailing.pk]), gettext("Send or schedule"))
            )
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(links)), *[part for link in links for part in link]
        )

    # --- The mailing's own pages ----------------------------------------------------------------

    def get_urls(self) -> list:
        def view(function: Any, name: str) -> Any:
            return path(
                f"<int:pk>/{name}/", self.admin_site.admin_view(function), name=f"members_mailing_{name}"
            )

        return [
            view(self.preview_view, "preview"),
            view(self.test_view, "test"),
            view(self.send_view, "send"),
            view(self.cancel_view, "cancel"),
            view(self.progress_view, "progress"),
            path(
                "<int:pk>/progress.json",
                self.admin_site.admin_view(self.progress_status_view),
                name="members_mailing_progress_status",
            ),
            *super().get_urls(),
        ]

    def _mailing(self, request: HttpRequest, pk: int) -> Mailing:
        mailing = get_object_or_404(mailing_list(), pk=pk)
        if not self.has_view_permission(request, mailing):
            raise PermissionDenied
        return mailing

    def _page(
        self, request: HttpRequest, mailing: Mailing, template: str, **context: Any
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": mailing,
                "mailing": mailing,
                "audience_label": self.audience_display(mailing),
                **context,
            },
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Each written version as a contact receives it, and who it reaches."""
        mailing = self._mailing(request, pk)
        versions = []
        for language in mailing.written_languages():
            message = mailing_message(
                mailing=mailing,
                email="contact@example.org",
                name=gettext("(the contact's name)"),
                language=language,
                unsubscribe=_base_url(request) + "mailings/unsubscribe/…/" if mailing.can_unsubscribe else "",
            )
            versions.append(
                {
                    "language": language,
                    "language_name": get_language_info(language)["name_translated"],
                    "subject": message.subject,
                    "body": message.body,
                }
            )
        audience = mailing_audience(mailing=mailing)
        missing = [
            str(get_language_info(code)["name_translated"])
            for code in MAILING_LANGUAGES
            if code not in mailing.written_languages()
        ]
        language_names = {code: get_language_info(code)["name_translated"] for code in MAILING_LANGUAGES}
        return self._page(
            request,
            mailing,
            "admin/members/mailing/preview.html",
            title=gettext("Preview: %(mailing)s") % {"mailing": mailing},
            versions=versions,
            audience=audience,
            by_version=[
                (language_names.get(code, code), count) for code, count in sorted(audience.by_version.items())
            ],
            missing=missing,
            test_form=MailingTestForm(),
            can_send=self.has_send_permission(request) and mailing.is_editable,
        )

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not self.has_send_permission(request):
            raise PermissionDenied
        form = MailingTestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = mailing_test_send(
                    mailing=mailing, addresses=form.cleaned_data["addresses"], by=acting_user(request)
                )
            except ValidationError as error:
                form.add_error("addresses", error)
            else:
                self.message_user(
                    request,
                    gettext("%(count)s test message(s) sent.") % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:members_mailing_preview", args=[mailing.pk]))
        return self._page(
            request,
            mailing,
            "admin/members/mailing/form_page.html",
            title=gettext("Send a test: %(mailing)s") % {"mailing": mailing},
            form=form,
            submit_label=gettext("Send the test"),
        )

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        if not self.has_send_permission(request):
            raise PermissionDenied
        form = MailingSendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["when"] == "later":
                    mailing_schedule(
                        mailing=mailing,
                        at=form.cleaned_data["at"],
                        by=acting_user(request),
                        base_url=_base_url(request),
                    )
                    done = gettext("The mailing is scheduled.")
                else:
                    mailing_send(mailing=mailing, by=acting_user(request), base_url=_base_url(request))
                    done = gettext("The mailing is being sent.")
            except ValidationError as error:
                if hasattr(error, "error_dict") and "scheduled_for" in error.error_dict:
                    form.add_error("at", error.error_dict["scheduled_for"])
                else:
                    form.add_error(None, error)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:members_mailing_progress", args=[mailing.pk]))
        audience = mailing_audience(mailing=mailing)
        return self._page(
            request,
            mailing,
            "admin/members/mailing/form_page.html",
            title=gettext("Send: %(mailing)s") % {"mailing": mailing},
            form=form,
            intro=gettext(
                "It goes to %(count)s address(es) of “%(audience)s”, each in its contact's language "
                "(English when that language has no version)."
            )
            % {"count": audience.count, "audience": self.audience_display(mailing)},
            submit_label=gettext("Send"),
        )

    def cancel_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mailing = self._mailing(request, pk)
        if not self.has_send_permission(request):
            raise PermissionDenied
        try:
            mailing_cancel(mailing=mailing, by=acting_user(request))
        except ValidationError as error:
            self.message_user(request, refusal_text(error), messages.ERROR)
        else:
            self.message_user(request, gettext("The mailing is cancelled."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:members_mailing_progress", args=[pk]))

    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mailing = self._mailing(request, pk)
        recipients_url = (
            reverse("admin:members_mailingrecipient_changelist") + f"?mailing__id__exact={mailing.pk}"
        )
        return self._page(
            request,
            mailing,
            "admin/members/mailing/progress.html",
            title=gettext("Progress: %(mailing)s") % {"mailing": mailing},
            progress=mailing_progress(mailing=mailing),
            active=mailing.status in (MailingStatus.QUEUED, MailingStatus.SENDING),
            recipients_url=recipients_url,
            can_cancel=self.has_send_permission(request)
            and mailing.status in (MailingStatus.SCHEDULED, MailingStatus.QUEUED, MailingStatus.SENDING),
        )

    def progress_status_view(self, request: HttpRequest, pk: int) -> JsonResponse:
        """The mailing's state as JSON, polled by the progress page."""
        mailing = self._mailing(request, pk)
        progress = mailing_progress(mailing=mailing)
        return JsonResponse(
            {
                "status": mailing.status,
                "status_display": mailing.get_status_display(),
                "total": progress.total,
                "sent": progress.sent,
                "failed": progress.failed,
                "skipped": progress.skipped + progress.cancelled,
                "waiting": progress.pending + progress.sending,
                "percent": progress.percent,
                "active": mailing.status in (MailingStatus.QUEUED, MailingStatus.SENDING),
            }
        )


class ReadOnlyAdmin(ReadOnlyRecords, admin.ModelAdmin):  # type: ignore[misc]
    """A log the services write: read here, never added, changed or deleted."""


@admin.register(MailingRecipient)
class MailingRecipientAdmin(ReadOnlyAdmin):
    """Each address a mailing went to, with its status; written by the sending."""

    list_display = ["email", "mailing", "language", "status", "sent_at", "error"]
    list_select_related = ["mailing"]
    list_filter = ["status", "language", "mailing"]
    search_fields = ["email", "name"]
    fields = ["mailing", "contact", "email", "name", "language", "status", "sent_at", "error"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("mailing", "contact")


class ConsentRecordForm(forms.ModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["email", "kind", "given", "note"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Who does not want (or wants again) a kind of mailing. Records are added,
    never changed: the latest one of an address and a kind is in force."""

    form = ConsentRecordForm
    list_display = ["email", "kind", "given", "source", "recorded_at", "recorded_by"]
    list_select_related = ["recorded_by"]
    list_filter = ["kind", "given", "source"]
    search_fields = ["email"]
    fields = ["email", "kind", "given", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: ConsentRecord | None = None) -> list[str]:
        return [*self.fields, "source", "recorded_at", "recorded_by", "contact", "mailing"] if obj else []

    def get_fields(self, request: HttpRequest, obj: ConsentRecord | None = None) -> list[str]:
        return self.get_readonly_fields(request, obj) if obj else list(self.fields)

    def has_change_permission(self, request: HttpRequest, obj: ConsentRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ConsentRecord | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ConsentRecord, form: forms.ModelForm, change: bool
    ) -> None:
        saved = consent_record(
            email=obj.email,
            kind=obj.kind,
            given=obj.given,
            source=ConsentSource.ON_REQUEST,
            by=acting_user(request),
            note=obj.note,
        )
        obj.pk = saved.pk


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(ReadOnlyAdmin):
    """The record of the copies and erasures of personal data the secretariat made."""

    list_display = [
        "handled_at",
        "kind",
        "subject_kind",
        "subject_id",
        "subject_label",
        "export_format",
        "handled_by",
    ]
    list_select_related = ["handled_by"]
    list_filter = ["kind", "subject_kind"]
    search_fields = ["subject_label", "reason"]
    fields = [
        "kind",
        "subject_kind",
        "subject_id",
        "subject_label",
        "export_format",
        "reason",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = fields
