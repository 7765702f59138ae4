"""Events and who took part in them.

An event always has a year, and a start date when one is known: statutory
meetings and some campaigns are reported without a date, yet they count in
their year. Attendance of member cities is a :class:`Participation` row with a
role. An event that takes registrations (``activities.models.registration``)
counts its participants and speakers from the people who registered and
attended; the others keep the head counts typed on the event (participants,
speakers and experts, by gender), as the 2021 records do."""

import datetime
import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import MemberCity, Partner
from metropolis.years import YEAR_VALIDATORS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .plans import ActionLine
from .sdg import SdgGoal, SdgTarget


class EventKind(models.TextChoices):
    BOARD_MEETING = "board_meeting", _("Board meeting")
    ANNUAL_MEETING = "annual_meeting", _("Annual Meeting")
    WORLD_CONGRESS = "world_congress", _("World Congress")
    GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
    STATUTORY_OTHER = "statutory_other", _("Other statutory or governance meeting")
    GLOBAL_EVENT = "global_event", _("Global event or campaign led by the association")
    WEBINAR = "webinar", _("Webinar")
    TRAINING = "training", _("Training session")
    INTERNATIONAL_EVENT = "international_event", _("International event the association took part in")


STATUTORY_KINDS = frozenset(
    {
        EventKind.BOARD_MEETING,
        EventKind.ANNUAL_MEETING,
        EventKind.WORLD_CONGRESS,
        EventKind.GENERAL_ASSEMBLY,
        EventKind.STATUTORY_OTHER,
    }
)


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Campaign(models.TextChoices):
    """Recurring campaigns an event can belong to. World Metropolitan Day is the
    one a figure depends on (its organisers in the member profile table)."""

    WORLD_METROPOLITAN_DAY = "world_metropolitan_day", _("World Metropolitan Day")
    INTERNATIONAL_WOMENS_DAY = "international_womens_day", _("International Women's Day")
    ELIMINATION_OF_VIOLENCE_AGAINST_WOMEN = (
        "elimination_of_violence_against_women",
        _("International Day for the Elimination of Violence against Women"),
    )
    OTHER = "other", _("Other campaign")


# (total field, breakdown fields) of each head count the rules check.
HEAD_COUNTS = (
    ("participants_total", ("participants_women", "participants_men", "participants_another")),
    ("speakers_total", ("speakers_women", "speakers_men", "speakers_another")),
)


def _breakdown_within_total(total: str, parts: tuple[str, ...]) -> Q:
    """Database form of "the counts by gender do not exceed the total": no
    breakdown at all, or a total at least the sum of the counts given."""
    no_breakdown = Q(**{f"{part}__isnull": True for part in parts})
    sum_of_parts = Coalesce(F(parts[0]), 0) + Coalesce(F(parts[1]), 0) + Coalesce(F(parts[2]), 0)
    return no_breakdown | Q(**{f"{total}__isnull": False, f"{total}__gte": sum_of_parts})


def default_time_zone() -> str:
    """New events take place in the secretariat's time zone until staff say otherwise."""
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Madrid or Asia/Shanghai."),
            params={"value": value},
        )


class Event(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    campaign = models.CharField(_("campaign"), max_length=40, choices=Campaign.choices, blank=True)
    led_by_association = models.BooleanField(
        _("led by the association"),
        default=False,
        help_text=_("The association organised or co-organised it (its own events, campaigns and meetings)."),
    )
    format = models.CharField(_("format"), max_length=12, choices=EventFormat.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=YEAR_VALIDATORS, help_text=_("Required, also when the date is not known.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    city = models.CharField(_("host city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    partner_organisers = models.ManyToManyField(
        Partner, blank=True, related_name="organised_events", verbose_name=_("partner organisers")
    )
    other_organisers = models.CharField(
        _("other organisers"),
        max_length=300,
        blank=True,
        help_text=_("Organisations that are neither members nor recorded partners."),
    )
    gender_approach = models.BooleanField(_("takes a gender approach"), default=False)
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("action line"),
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, blank=True, related_name="events", verbose_name=_("SDG goals")
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, blank=True, related_name="events", verbose_name=_("SDG targets")
    )
    sessions = models.PositiveIntegerField(_("number of sessions"), null=True, blank=True)
    participants_total = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_women = models.PositiveIntegerField(_("participants: women"), null=True, blank=True)
    participants_men = models.PositiveIntegerField(_("participants: men"), null=True, blank=True)
    participants_another = models.PositiveIntegerField(
        _("participants: another gender or undisclosed"), null=True, blank=True
    )
    speakers_total = models.PositiveIntegerField(_("speakers and experts"), null=True, blank=True)
    speakers_women = models.PositiveIntegerField(_("speakers and experts: women"), null=True, blank=True)
    speakers_men = models.PositiveIntegerField(_("speakers and experts: men"), null=True, blank=True)
    speakers_another = models.PositiveIntegerField(
        _("speakers and experts: another gender or undisclosed"), null=True, blank=True
    )
    sign_language = models.BooleanField(_("sign language interpretation"), default=False)
    live_captions = models.BooleanField(_("live captions"), default=False)
    webcast = models.BooleanField(_("webcast"), default=False)
    step_free_access = models.BooleanField(_("step-free access to the venue"), default=False)
    # The public pages (/events/): what a visitor reads before registering.
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Listed on the public event pages and in their calendar feed."),
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown on the public page."))
    venue = models.CharField(
        _("venue"), max_length=300, blank=True, help_text=_("Building and address, for in-person events.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Times on the public page are shown in this time zone, e.g. Asia/Shanghai."),
    )
    source_section = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The report section the event is read from.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["year", F("start_date").asc(nulls_last=True), "slug"]
        indexes = [models.Index(fields=["year", "kind"], name="event_year_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("An event ends on or after its start."),
            ),
            models.CheckConstraint(
                condition=~Q(format=EventFormat.ONLINE) | (Q(city="") & Q(country="")),
                name="online_event_has_no_host_city",
                violation_error_message=_("An online event has no host city."),
            ),
            *(
                models.CheckConstraint(
                    condition=_breakdown_within_total(total, parts),
                    name=f"event_{total.split('_')[0]}_by_gender_within_total",
                    violation_error_message=_("The counts by gender cannot exceed the total."),
                )
                for total, parts in HEAD_COUNTS
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list[StrOrPromise]] = {}
        if self.end_date and not self.start_date:
            errors.setdefault("start_date", []).append(_("An event with an end date needs a start date."))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(
                _("An event ends on or after its start (%(start)s).") % {"start": self.start_date}
            )
        if self.start_date and self.year and self.start_date.year != self.year:
            errors.setdefault("year", []).append(
                _("The event starts on %(date)s, which is not in %(year)s.")
                % {"date": self.start_date, "year": self.year}
            )
        if self.format == EventFormat.ONLINE:
            if self.city:
                errors.setdefault("city", []).append(_("An online event has no host city."))
            if self.country:
                errors.setdefault("country", []).append(_("An online event has no host country."))
        for total_field, parts in HEAD_COUNTS:
            errors.update(self._head_count_errors(total_field, parts))
        line = self.action_line
        if line is not None and self.year and not line.plan.covers(self.year):
            errors.setdefault("action_line", []).append(
                _("Line %(line)s belongs to plan %(plan)s, which does not cover %(year)s.")
                % {"line": line.code, "plan": line.plan.code, "year": self.year}
            )
        if errors:
            raise ValidationError(errors)

    def _head_count_errors(self, total_field: str, parts: tuple[str, ...]) -> dict[str, list["StrOrPromise"]]:
        total = getattr(self, total_field)
        values = {part: getattr(self, part) for part in parts}
        given = {part: value for part, value in values.items() if value is not None}
        if not given:
            return {}
        label = getattr(self._meta.get_field(total_field), "verbose_name", total_field)
        if total is None:
            return {
                total_field: [
                    _("Give the total (%(label)s) before its breakdown by gender.") % {"label": label}
                ]
            }
        if sum(given.values()) > total:
            return {
                parts[0]: [
                    _("The counts by gender (%(sum)s) cannot exceed the total %(label)s (%(total)s).")
                    % {"sum": sum(given.values()), "label": label, "total": total}
                ]
            }
        return {}

    @property
    def is_statutory(self) -> bool:
        return self.kind in STATUTORY_KINDS

    @property
    def is_dated(self) -> bool:
        return self.start_date is not None

    @property
    def last_day(self) -> datetime.date | None:
        return self.end_date or self.start_date

    def takes_place_after(self, day: datetime.date) -> bool:
        """Whether the event is known to start after ``day``. Without a date only
        the year is known, so the event is after ``day`` only in a later year."""
        if self.start_date is not None:
            return self.start_date > day
        return self.year > day.year


class ParticipationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    CO_ORGANISER = "co_organiser", _("Co-organiser")
    SPEAKER = "speaker", _("Speaker")
    PARTICIPANT = "participant", _("Participant")


ORGANISING_ROLES = frozenset({ParticipationRole.ORGANISER, ParticipationRole.CO_ORGANISER})


class Participation(models.Model):
    """A member city's part in an event. One row per member and event, with the
    member's most prominent role (an organiser that also attended is an organiser)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participations", verbose_name=_("event")
    )
    member = models.ForeignKey(
        MemberCity,
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("member city"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipationRole.choices, default=ParticipationRole.PARTICIPANT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    from_registrations = models.BooleanField(
        _("derived from the attendees"),
        default=False,
        editable=False,
        help_text=_(
            "Kept by the portal for an event that takes registrations: a member city whose delegates attended."
        ),
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["event", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                name="one_participation_per_member_and_event",
                violation_error_message=_("This member city already takes part in this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.event} ({self.get_role_display()})"

    def clean(self) -> None:
        try:
            event, member = self.event, self.member
        except ObjectDoesNotExist:
            return  # the missing field has its own error
        if member.withdrawn_on and event.year and event.takes_place_after(member.withdrawn_on):
            params = {"member": member.name, "withdrawn": member.withdrawn_on}
            if event.start_date:
                message = _(
                    "%(member)s withdrew from the association on %(withdrawn)s and cannot take part in "
                    "an event on %(date)s."
                ) % {**params, "date": event.start_date}
            else:
                message = _(
                    "%(member)s withdrew from the association on %(withdrawn)s and cannot take part in "
                    "an event of %(year)s."
                ) % {**params, "year": event.year}
            raise ValidationError({"member": message})
