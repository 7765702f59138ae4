"""Registrations and consent texts in the admin.

Registrations are the registrants' own answers: the admin shows them (with
their consent record) and changes them only through the actions, which call
the services: approve, reject, cancel, check in or undo it, erase the
personal data, export as CSV (cells escaped against formulas). Consent texts
are added as new versions, never changed."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from activities.admin.common import IsSetFilter
from activities.exports import registrations_csv
from activities.models import ConsentText, Registration
from activities.permissions import can_manage_registrations
from activities.services.checkin import registration_check_in, registration_check_in_undo
from activities.services.personal_data import registration_erase
from activities.services.registration import (
    consent_text_publish,
    registration_approve,
    registration_cancel,
    registration_reject,
)
from members.admin.common import acting_user, country_column
from metropolis.refusals import refusal_text


class AttendedFilter(admin.SimpleListFilter):
    title = _("check-in and online presence")
    parameter_name = "attended"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            ("door", _("Checked in at the door")),
            ("online", _("Attended online")),
            ("no", _("Did not attend")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "door":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "online":
            return queryset.filter(attended_online_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True, attended_online_at__isnull=True)
        return queryset


class AnonymisedFilter(IsSetFilter):
    title = _("personal data")
    parameter_name = "anonymised"
    field = "anonymised_at"
    options = [("no", _("Kept")), ("yes", _("Anonymised"))]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "event",
        "status",
        "mode",
        "city_column",
        country_column(),
        "role",
        "gender",
        "checked_in_at",
        "online_minutes",
        "created_at",
    ]
    list_select_related = ["event", "member_city", "consent"]
    list_filter = [
        ("event", admin.RelatedOnlyFieldListFilter),
        "status",
        "mode",
        "role",
        "gender",
        AttendedFilter,
        "needs_sign_language",
        "needs_captions",
        "needs_step_free",
        ("consent", admin.RelatedOnlyFieldListFilter),
        AnonymisedFilter,
    ]
    search_fields = ["name", "email", "organisation", "code", "city_name", "member_city__name_en"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["event", "status", "mode", "code", "language"]}),
        (
            _("Registrant"),
            {
                "fields": [
                    "name",
                    "email",
                    "organisation",
                    "member_city",
                    "city_name",
                    "country",
                    "role",
                    "gender",
                ]
            },
        ),
        (
            _("Accessibility needs"),
            {
                "fields": [
                    "needs_sign_language",
                    "sign_language",
                    "needs_captions",
                    "needs_step_free",
                    "needs_other",
                ]
            },
        ),
        (_("Consent"), {"fields": ["consent", "consented_at", "listed"]}),
        (
            _("Attendance"),
            {
                "fields": [
                    "checked_in_at",
                    "checked_in_by",
                    "attended_online_at",
                    "online_minutes",
                    "certificate_file",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "offer_expires_at",
                    "cancelled_at",
                    "reminder_sent_at",
                    "anonymised_at",
                ]
            },
        ),
    ]
    readonly_fields = [field for _title, options in fieldsets for field in options["fields"]]
    actions = ["approve", "reject", "cancel", "check_in", "undo_check_in", "erase", "export_csv"]

    @admin.display(description=_("certificate"))
    def certificate_file(self, obj: Registration) -> str:
        # A private file: no link from here (it has no public address); the
        # registrant's own link serves it.
        return obj.certificate.name.rsplit("/", 1)[-1] if obj.certificate else "-"

    @admin.display(description=_("city"), ordering="city_name")
    def city_column(self, obj: Registration) -> str:
        return obj.city_label

    # Registrations come from the registration form and the API; a registrant's
    # data are erased (anonymised), never deleted: the figures keep counting them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return bool(can_manage_registrations(request.user))

    def _each(self, request: HttpRequest, queryset: QuerySet, step, done: str) -> None:
        changed = 0
        for registration in queryset.select_related("event"):
            try:
                step(registration)
            except ValidationError as error:
                self.message_user(request, f"{registration}: {refusal_text(error)}", messages.ERROR)
                continue
            changed += 1
        if changed:
            self.message_user(request, done % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Approve (confirms and e-mails them)"), permissions=["manage"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request, queryset, lambda r: registration_approve(registration=r), gettext("%(count)s approved.")
        )

    @admin.action(description=_("Reject (e-mails them; their places are offered on)"), permissions=["manage"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request, queryset, lambda r: registration_reject(registration=r), gettext("%(count)s rejected.")
        )

    @admin.action(description=_("Cancel (their places are offered on)"), permissions=["manage"])
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request, queryset, lambda r: registration_cancel(registration=r), gettext("%(count)s cancelled.")
        )

    @admin.action(description=_("Check in"), permissions=["manage"])
    def check_in(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda r: registration_check_in(event=r.event, registration_id=r.pk, by=acting_user(request)),
            gettext("%(count)s checked in."),
        )

    @admin.action(description=_("Undo the check-in"), permissions=["manage"])
    def undo_check_in(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset.filter(checked_in_at__isnull=False),
            lambda r: registration_check_in_undo(registration=r),
            gettext("%(count)s check-ins undone."),
        )

    @admin.action(description=_("Erase the personal data (keeps the figures)"), permissions=["manage"])
    def erase(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset.filter(anonymised_at__isnull=True),
            lambda r: registration_erase(registration=r),
            gettext("%(count)s anonymised."),
        )

    @admin.action(description=_("Export as CSV"), permissions=["manage"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        rows = queryset.select_related("event", "member_city", "consent").order_by(
            "event", "created_at", "pk"
        )
        response = HttpResponse(registrations_csv(rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.csv"'
        return response


@admin.register(ConsentText)
class ConsentTextAdmin(TranslationAdmin):
    """The versions of the consent text. Adding one publishes a new version;
    a version is never changed, since registrations keep the one they accepted."""

    list_display = ["version", "published_at", "registration_count"]
    fields = ["text"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(registration_total=Count("registrations"))

    @admin.display(description=_("registrations that accepted it"), ordering="registration_total")
    def registration_count(self, obj: ConsentText) -> int:
        return getattr(obj, "registration_total", 0)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None:
            return ["version", "published_at", *self.get_fields(request, obj)]
        return []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ConsentText, form, change: bool) -> None:
        published = consent_text_publish(
            text={
                language: form.cleaned_data.get(f"text_{language.replace('-', '_')}") or ""
                for language in ("en", "es", "fr", "zh-hans")
            }
        )
        obj.pk, obj.version = published.pk, published.version
