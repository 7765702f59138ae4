"""Events, participations and bilateral meetings in the admin. An event's
page also holds what its public page and registration need: its registration
settings, its programme (sessions) and its speakers."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from activities.admin.common import (
    ActionLineListFilter,
    EventYearListFilter,
    ServiceSavedAdmin,
    YearListFilter,
    kept_rows,
    note_inline_changes,
    save_inline,
)
from activities.models import (
    BilateralMeeting,
    Event,
    EventSession,
    EventSpeaker,
    Participation,
    RegistrationSettings,
)
from activities.services.events import (
    ParticipationSpec,
    bilateral_meeting_save,
    event_save,
    participation_save,
)
from activities.services.programme import event_session_save, event_speaker_save
from activities.services.registration import registration_settings_save


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["member", "role", "note", "from_registrations"]
    readonly_fields = ["from_registrations"]
    extra = 1


class RegistrationSettingsInline(admin.StackedInline):
    model = RegistrationSettings
    can_delete = False
    max_num = 1
    extra = 0
    verbose_name_plural = _("registration (add it to take registrations)")
    fieldsets = [
        (None, {"fields": ["is_open", "deadline", "requires_approval", "invitation_code"]}),
        (_("Places"), {"fields": ["capacity_in_person", "capacity_online", "waiting_list", "offer_hours"]}),
        (
            _("Questions"),
            {
                "fields": [
                    "asks_organisation",
                    "asks_city",
                    "asks_role",
                    "asks_gender",
                    "asks_accessibility",
                    "asks_listing",
                ]
            },
        ),
        (
            _("Online link, reminder, certificates, personal data"),
            {"fields": ["online_url", "reminder_days", "certificate_signed_by", "retention_months"]},
        ),
    ]


class EventSessionInline(admin.StackedInline):
    # Stacked: a title in four languages and two times do not fit a table row.
    model = EventSession
    fields = [("title_en", "title_es"), ("title_fr", "title_zh_hans"), ("starts_at", "ends_at"), "room"]
    extra = 0


class EventSpeakerInline(admin.TabularInline):
    model = EventSpeaker
    fields = ["name", "affiliation", "gender", "session", "position"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            # The sessions of the event on the page only.
            event_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = EventSession.objects.filter(event_id=event_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Event)
class EventAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = [
        "title",
        "year",
        "start_date",
        "kind",
        "format",
        "gender_approach",
        "action_line",
        "led_by_association",
        "is_public",
    ]
    list_filter = [
        YearListFilter,
        "is_public",
        "kind",
        "format",
        "gender_approach",
        ActionLineListFilter,
        "campaign",
        "led_by_association",
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title", "city"]
    fieldsets = [
        (None, {"fields": ["slug", "title", "kind", "campaign", "led_by_association", "format"]}),
        (
            _("When and where"),
            {"fields": ["year", "start_date", "end_date", "time_zone", "city", "country", "venue"]},
        ),
        (_("Public page"), {"fields": ["is_public", "summary"]}),
        (_("Organisers"), {"fields": ["partner_organisers", "other_organisers"]}),
        (_("Scope"), {"fields": ["gender_approach", "action_line", "sdg_goals", "sdg_targets"]}),
        (
            _("Figures"),
            {
                "fields": [
                    "sessions",
                    "participants_total",
                    "participants_women",
                    "participants_men",
                    "participants_another",
                    "speakers_total",
                    "speakers_women",
                    "speakers_men",
                    "speakers_another",
                ]
            },
        ),
        (_("Accessibility"), {"fields": ["sign_language", "live_captions", "webcast", "step_free_access"]}),
        (_("Source"), {"fields": ["source_section", "note"]}),
    ]
    filter_horizontal = ["partner_organisers", "sdg_goals", "sdg_targets"]
    inlines = [RegistrationSettingsInline, EventSessionInline, EventSpeakerInline, ParticipationInline]
    readonly_fields = ["desk_link"]

    @admin.display(description=_("registrations"))
    def desk_link(self, obj: Event) -> str:
        if obj.pk and hasattr(obj, "registration_settings"):
            return format_html(
                '<a href="{}">{}</a>',
                reverse("activities:event-desk", args=[obj.slug]),
                _("Open the event desk"),
            )
        return "–"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [(None, {"fields": ["desk_link"]}), *fieldsets]

    def save_with_service(self, request, form, formsets):
        participations = None
        for formset in formsets:
            if formset.model is Participation:
                note_inline_changes(formset)
                participations = [
                    ParticipationSpec(member=row["member"], role=row["role"], note=row.get("note", ""))
                    for row in kept_rows(formset)
                ]
        event = event_save(
            event=form.instance,
            participations=participations,
            partner_organisers=form.cleaned_data["partner_organisers"],
            sdg_goals=form.cleaned_data["sdg_goals"],
            sdg_targets=form.cleaned_data["sdg_targets"],
        )
        # The programme first: the speakers' sessions must exist before them.
        for model, save in (
            (EventSession, lambda row: event_session_save(session=row)),
            (EventSpeaker, lambda row: event_speaker_save(speaker=row)),
            (RegistrationSettings, lambda row: registration_settings_save(settings=row)),
        ):
            for formset in formsets:
                if formset.model is model:
                    formset.instance = event
                    for inline_form in formset.forms:
                        setattr(inline_form.instance, formset.fk.name, event)
                    save_inline(formset, save)


@admin.register(Participation)
class ParticipationAdmin(ServiceSavedAdmin):
    list_display = ["member", "event", "role"]
    list_filter = [EventYearListFilter, "role", "event__kind", "event__campaign"]
    list_select_related = ["member", "event"]
    search_fields = ["member__name", "event__title", "event__slug"]
    fields = ["event", "member", "role", "note"]
    autocomplete_fields = ["event"]

    def save_with_service(self, request, form, formsets):
        participation_save(participation=form.instance)


@admin.register(BilateralMeeting)
class BilateralMeetingAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "held_on", "topic"]
    list_filter = [YearListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name", "topic"]
    fields = ["member", "year", "held_on", "topic", "note"]

    def save_with_service(self, request, form, formsets):
        bilateral_meeting_save(meeting=form.instance)
