"""Registering for an event, and what happens to a registration until the event:
confirmation or the waiting list, staff approval, offers of places that free,
cancellation.

Places are counted under a lock: every write that takes or frees a place locks
the event's :class:`RegistrationSettings` row first (``select_for_update``), so
that two registrations at the same instant never both take the last place. A
registration that frees a place offers it, in the same transaction, to the
first registrant waiting for that mode; the offer e-mail leaves after commit.
"""

import datetime
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from activities.models import (
    ACTIVE_STATUSES,
    HOLDS_PLACE,
    AttendanceMode,
    ConsentText,
    Event,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
    modes_of,
)
from activities.selectors.registration import (
    event_zone,
    registration_closes_at,
    registration_settings_for_registering,
)
from members.models import MemberCity
from metropolis.celery import enqueue_after_commit

# The personal code: letters and digits that cannot be mistaken for one another
# when read aloud or typed at the door (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """A code as typed or scanned: case, spaces and dashes do not matter."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


class ModeFull(ValidationError):
    """No place is left in the mode asked for (a refusal on the ``mode`` field).
    ``code`` is ``full`` when the visitor may join the waiting list, else
    ``full_no_waiting_list``."""

    def __init__(self, message: str, *, waiting_list: bool):
        super().__init__({"mode": [message]})
        self.code = "full" if waiting_list else "full_no_waiting_list"


@dataclass(frozen=True)
class Registrant:
    """What a visitor gives in the registration form (or the public API)."""

    name: str
    email: str
    language: str
    mode: str = ""
    organisation: str = ""
    member_city: MemberCity | None = None
    city_name: str = ""
    country: str = ""
    role: str = ""
    gender: str = ""
    needs_sign_language: bool = False
    sign_language: str = ""
    needs_captions: bool = False
    needs_step_free: bool = False
    needs_other: str = ""
    # The version of the consent text the visitor read and accepted; None: not accepted.
    consent_version: int | None = None
    listed: bool = False


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def _send(registration_id: int, kind: str) -> None:
    from activities.tasks import registration_email

    enqueue_after_commit(registration_email, registration_id, kind)


def _settings_of(event: Event) -> RegistrationSettings:
    """The event's registration settings, read without a lock, with the event,
    its last session's end and the current consent text (one query)."""
    settings = registration_settings_for_registering(event_id=event.pk)
    if settings is None:
        raise ValidationError(_("This event takes no registrations."), code="no_registration")
    return settings


def _current_consent_of(settings: RegistrationSettings) -> ConsentText | None:
    """The current consent text read with the settings (its other fields load
    if asked for)."""
    if settings.current_consent_id is None:  # type: ignore[attr-defined]
        return None
    return ConsentText.from_db(
        None,
        ["id", "version"],
        [settings.current_consent_id, settings.current_consent_version],  # type: ignore[attr-defined]
    )


def _lock_places(event: Event) -> RegistrationSettings:
    """Lock the event's registration settings row alone (not the event's): the
    lock that serialises counting places and taking one."""
    try:
        return RegistrationSettings.objects.select_for_update(of=("self",)).get(pk=event.pk)
    except RegistrationSettings.DoesNotExist:
        raise ValidationError(_("This event takes no registrations."), code="no_registration") from None


def _lock(event: Event) -> RegistrationSettings:
    try:
        return RegistrationSettings.objects.select_for_update().select_related("event").get(pk=event.pk)
    except RegistrationSettings.DoesNotExist:
        raise ValidationError(_("This event takes no registrations."), code="no_registration") from None


def places_taken(*, event_id: int, mode: str) -> int:
    return Registration.objects.filter(event_id=event_id, mode=mode, status__in=HOLDS_PLACE).count()


def _has_place(settings: RegistrationSettings, mode: str) -> bool:
    capacity = settings.capacity(mode)
    return capacity is None or places_taken(event_id=settings.pk, mode=mode) < capacity


def _mode_label(mode: str) -> str:
    return str(AttendanceMode(mode).label).lower()


def _check_registrant(
    *, settings: RegistrationSettings, registrant: Registrant, invitation_code: str, now: datetime.datetime
) -> tuple[str, ConsentText]:
    """The refusals that do not depend on the places left. Returns the mode and the consent text."""
    event = settings.event
    if not settings.is_open:
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    closes_at = registration_closes_at(event=event, settings=settings)
    if closes_at is not None and now > closes_at:
        raise ValidationError(
            _("Registration closed on %(deadline)s.")
            % {"deadline": date_format(timezone.localtime(closes_at, event_zone(event)), "DATETIME_FORMAT")},
            code="deadline",
        )
    errors: dict[str, str] = {}
    if settings.invitation_code and not constant_time_compare(
        invitation_code.strip().casefold(), settings.invitation_code.strip().casefold()
    ):
        errors["invitation_code"] = _("This invitation code is not valid for this event.")
    consent = _current_consent_of(settings)
    if registrant.consent_version is None:
        errors["consent"] = _("Registration needs your consent to the processing of your personal data.")
    elif consent is None or registrant.consent_version != consent.version:
        errors["consent"] = _("The text on personal data has changed: read the current text and accept it.")
    modes = modes_of(event)
    mode = registrant.mode or (modes[0] if len(modes) == 1 else "")
    if mode not in modes:
        errors["mode"] = _("Choose how you attend: %(modes)s.") % {
            "modes": ", ".join(_mode_label(m) for m in modes)
        }
    if settings.asks_city:
        if registrant.member_city is None and not registrant.city_name.strip():
            errors["member_city"] = _("Choose your city from the member cities, or write its name.")
        if registrant.member_city is None and not registrant.country:
            errors["country"] = _("Choose your country.")
    if registrant.needs_sign_language is False and registrant.sign_language.strip():
        errors["sign_language"] = _("Tick sign language interpretation to ask for it.")
    if errors:
        raise ValidationError(errors)
    if consent is None:  # for the type checker: refused above
        raise ValidationError(_("Registration is not possible at the moment."))
    return mode, consent


def _new_registration(
    *,
    settings: RegistrationSettings,
    registrant: Registrant,
    mode: str,
    consent: ConsentText,
    now: datetime.datetime,
) -> Registration:
    member = registrant.member_city
    asks = settings
    return Registration(
        event=settings.event,
        code=new_code(),
        mode=mode,
        name=" ".join(registrant.name.split()),
        email=registrant.email.strip().lower(),
        organisation=registrant.organisation.strip() if asks.asks_organisation else "",
        member_city=member if asks.asks_city else None,
        city_name=("" if member else registrant.city_name.strip()) if asks.asks_city else "",
        # A member city's country is the member's; another city's is the one given.
        country=(str(member.country) if member else registrant.country) if asks.asks_city else "",
        role=registrant.role if asks.asks_role else "",
        gender=registrant.gender if asks.asks_gender else "",
        needs_sign_language=registrant.needs_sign_language and asks.asks_accessibility,
        sign_language=registrant.sign_language.strip() if asks.asks_accessibility else "",
        needs_captions=registrant.needs_captions and asks.asks_accessibility,
        needs_step_free=registrant.needs_step_free and asks.asks_accessibility,
        needs_other=registrant.needs_other.strip() if asks.asks_accessibility else "",
        consent=consent,
        consented_at=now,
        listed=registrant.listed and asks.asks_listing,
        language=registrant.language,
    )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    registrant: Registrant,
    invitation_code: str = "",
    join_waiting_list: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register ``registrant`` for ``event``: confirmed (or awaiting approval when
    staff approve registrations) while the mode has places, else on the waiting
    list when the visitor asked to join it. The e-mail that says which leaves
    after commit, in the registrant's language.

    Refused, saving nothing: an event without registration, closed or past its
    deadline; a wrong invitation code; no consent, or consent to a text that is
    no longer current; an invalid e-mail address or a missing answer; a second
    registration with the same e-mail address; a full mode (code ``full``: the
    visitor may join the waiting list; ``full_no_waiting_list`` when the event
    keeps none).
    """
    now = now or timezone.now()
    # Everything that needs no lock is checked first, so that the lock on the
    # event's places is held for the counting and the insert only.
    settings = _settings_of(event)
    mode, consent = _check_registrant(
        settings=settings, registrant=registrant, invitation_code=invitation_code, now=now
    )
    registration = _new_registration(
        settings=settings, registrant=registrant, mode=mode, consent=consent, now=now
    )
    # The event, the consent text and the member city are rows just read: no
    # query to check them again; the e-mail's uniqueness is checked under the lock.
    registration.status = RegistrationStatus.CONFIRMED
    # The country is checked against a set of the codes: the field's own check
    # builds the list of 250 countries again on every call.
    registration.full_clean(
        exclude=["code", "event", "consent", "member_city", "country"], validate_constraints=False
    )
    if registration.country and registration.country not in _country_codes():
        raise ValidationError(
            {
                "country": ValidationError(
                    Registration._meta.get_field("country").error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": registration.country},
                )
            }
        )

    settings = _lock_places(event)  # held until commit
    # The same address already registered, and the places taken: one query.
    counts = Registration.objects.filter(event_id=event.pk).aggregate(
        same_email=Count("pk", filter=Q(email=registration.email, status__in=ACTIVE_STATUSES)),
        taken=Count("pk", filter=Q(mode=mode, status__in=HOLDS_PLACE)),
    )
    if counts["same_email"]:
        raise _already_registered()
    capacity = settings.capacity(mode)
    if capacity is None or counts["taken"] < capacity:
        if settings.requires_approval:
            registration.status = RegistrationStatus.PENDING
        else:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
    elif not settings.waiting_list:
        raise ModeFull(_("No place is left %(mode)s.") % {"mode": _mode_label(mode)}, waiting_list=False)
    elif join_waiting_list:
        registration.status = RegistrationStatus.WAITING
    else:
        raise ModeFull(
            _(
                "No place is left %(mode)s. You can join the waiting list: you will be offered a place if one frees."
            )
            % {"mode": _mode_label(mode)},
            waiting_list=True,
        )
    try:
        registration.save()
    except IntegrityError:
        # Another registration with this address committed first (the lock
        # makes this rare; the database's constraint makes it impossible).
        # The transaction is rolled back as the refusal leaves it.
        raise _already_registered() from None
    _send(registration.pk, registration.status)
    return registration


def _already_registered() -> ValidationError:
    return ValidationError(
        {
            "email": _(
                "This e-mail address is already registered for this event. The e-mail we sent you has a link "
                "to your registration."
            )
        },
        code="duplicate",
    )


def _offer_places(settings: RegistrationSettings, mode: str, now: datetime.datetime) -> list[Registration]:
    """Offer the free places of ``mode`` to the registrants waiting first (the
    settings row is locked by the caller)."""
    offered = []
    while _has_place(settings, mode):
        waiting = (
            Registration.objects.filter(event_id=settings.pk, mode=mode, status=RegistrationStatus.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.status = RegistrationStatus.OFFERED
        waiting.offer_expires_at = now + datetime.timedelta(hours=settings.offer_hours)
        waiting.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _send(waiting.pk, "offered")
        offered.append(waiting)
    return offered


def _reload_locked(registration: Registration) -> tuple[RegistrationSettings, Registration]:
    settings = _lock(registration.event)
    return settings, Registration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def registration_cancel(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Cancel a registration (the registrant through their link, or staff). A
    place it held is offered to the first registrant waiting. Refused for a
    registration that is no longer active."""
    now = now or timezone.now()
    settings, registration = _reload_locked(registration)
    if registration.status not in ACTIVE_STATUSES:
        raise ValidationError(
            _("This registration is already %(status)s.")
            % {"status": registration.get_status_display().lower()}
        )
    held = registration.holds_place
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at", "updated_at"])
    if held:
        _offer_places(settings, registration.mode, now)
    return registration


@transaction.atomic
def registration_offer_accept(
    *, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The registrant takes the place offered to them: confirmed (or awaiting
    approval when the event requires it). Refused once the offer expired."""
    now = now or timezone.now()
    settings, registration = _reload_locked(registration)
    if registration.status != RegistrationStatus.OFFERED:
        raise ValidationError(_("No place is offered to this registration any more."), code="not_offered")
    if registration.offer_expires_at and registration.offer_expires_at < now:
        raise ValidationError(
            _("The offer expired: the place went to the next person waiting."), code="expired"
        )
    registration.offer_expires_at = None
    if settings.requires_approval:
        registration.status = RegistrationStatus.PENDING
    else:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    registration.save(update_fields=["status", "offer_expires_at", "confirmed_at", "updated_at"])
    _send(registration.pk, registration.status)
    return registration


def _pending_locked(registration: Registration) -> tuple[RegistrationSettings, Registration]:
    """The registration reloaded under its event's lock, refused unless it
    awaits the staff's approval."""
    settings, registration = _reload_locked(registration)
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError(
            _("%(name)s is not awaiting approval (%(status)s).")
            % {"name": registration.name, "status": registration.get_status_display().lower()}
        )
    return settings, registration


@transaction.atomic
def registration_approve(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Staff approve a registration awaiting approval: confirmed, and told so."""
    now = now or timezone.now()
    _settings, registration = _pending_locked(registration)
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at", "updated_at"])
    _send(registration.pk, RegistrationStatus.CONFIRMED)
    return registration


@transaction.atomic
def registration_reject(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Staff turn down a registration awaiting approval; its place is offered on."""
    now = now or timezone.now()
    settings, registration = _pending_locked(registration)
    registration.status = RegistrationStatus.REJECTED
    registration.save(update_fields=["status", "updated_at"])
    _send(registration.pk, RegistrationStatus.REJECTED)
    _offer_places(settings, registration.mode, now)
    return registration


@transaction.atomic
def registration_offer_decline(
    *, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The registrant does not want the place offered: cancelled, and the place
    goes to the next person waiting."""
    if registration.status != RegistrationStatus.OFFERED:
        raise ValidationError(_("No place is offered to this registration any more."), code="not_offered")
    return registration_cancel(registration=registration, now=now)


def offers_expired(*, now: datetime.datetime) -> QuerySet[Registration]:
    return Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lt=now)


def registration_offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire the offers not confirmed in time and offer their places to the
    next people waiting, event by event (one transaction each). Returns the
    number of offers expired; running it again expires nothing more."""
    now = now or timezone.now()
    expired = 0
    event_ids = sorted(set(offers_expired(now=now).values_list("event_id", flat=True)))
    for event_id in event_ids:
        with transaction.atomic():
            settings = _lock(Event(pk=event_id))
            rows = list(offers_expired(now=now).filter(event_id=event_id).select_for_update())
            for row in rows:
                row.status = RegistrationStatus.EXPIRED
                row.save(update_fields=["status", "updated_at"])
            for mode in {row.mode for row in rows}:
                _offer_places(settings, mode, now)
            expired += len(rows)
    return expired


@transaction.atomic
def registration_settings_save(
    *, settings: RegistrationSettings, now: datetime.datetime | None = None
) -> RegistrationSettings:
    """Save an event's registration settings. Places added to a mode are offered
    at once to the registrants waiting for it."""
    now = now or timezone.now()
    settings.full_clean()
    settings.save()
    locked = _lock(settings.event)
    for mode in modes_of(locked.event):
        _offer_places(locked, mode, now)
    return settings


@transaction.atomic
def consent_text_publish(*, text: dict[str, str]) -> ConsentText:
    """A new version of the consent text (``text`` by language code, English
    required); registrations from now on accept it, earlier ones keep theirs."""
    if not text.get("en", "").strip():
        raise ValidationError({"text_en": _("The English text is required.")})
    latest = ConsentText.objects.select_for_update().order_by("-version").first()
    consent = ConsentText(version=(latest.version + 1) if latest else 1, text=text["en"])
    for language, value in text.items():
        setattr(consent, f"text_{language.replace('-', '_')}", value)
    consent.full_clean()
    consent.save()
    return consent
