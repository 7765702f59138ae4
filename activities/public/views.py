"""The public event pages (/events/), open to anonymous visitors: the list of
public events, an event's page with its registration form, its iCalendar
file and the calendar feed; and the registrant's own pages, reached through
the signed links of their e-mails (their registration, cancel, download or
erase their data, their certificate, an offered place)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.ical import event_calendar, event_place, public_calendar
from activities.models import Event, Registration, RegistrationStatus
from activities.qr import qr_svg
from activities.selectors.registration import (
    current_consent,
    event_zone,
    places_by_mode,
    public_event,
    public_events,
    public_feed_events,
    registration_closes_at,
    registration_data,
    registration_from_token,
)
from activities.services.personal_data import registration_erase
from activities.services.registration import (
    registration_cancel,
    registration_create,
    registration_offer_accept,
    registration_offer_decline,
)
from activities.tokens import registration_id_from_offer_token, registration_token
from metropolis.storage import private_file_response

from .forms import OfferForm, RegistrationForm
from .throttle import registration_throttled

# The longest any offer stays open (14 days): the offer link's signature is
# checked against it; the registration's own expiry is checked by the service.
OFFER_LINK_MAX_AGE = 14 * 24 * 3600


def _uid_domain(request: HttpRequest) -> str:
    return request.get_host().split(":")[0]


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = public_events()
    context = {
        "upcoming": [{"event": e, "place": event_place(e)} for e in upcoming],
        "past": [{"event": e, "place": event_place(e)} for e in past],
    }
    return render(request, "activities/public/event_list.html", context)


def _event_or_404(slug: str) -> Event:
    event = public_event(slug=slug)
    if event is None:
        raise Http404(_("No public event has this address."))
    return event


def _registration_state(event: Event) -> dict:
    settings = getattr(event, "registration_settings", None)
    if settings is None:
        return {"takes_registrations": False}
    closes_at = registration_closes_at(event=event, settings=settings)
    open_now = settings.is_open and (closes_at is None or timezone.now() <= closes_at)
    places = places_by_mode(event=event)
    return {
        "takes_registrations": True,
        "settings": settings,
        "registration_open": open_now,
        "closes_at": timezone.localtime(closes_at, event_zone(event)) if closes_at else None,
        "places": places,
        "any_full": any(p.full for p in places),
    }


@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    state = _registration_state(event)
    form = None
    if state["takes_registrations"] and state["registration_open"]:
        offer_waiting_list = state["any_full"] or bool(request.POST.get("join_waiting_list"))
        form = RegistrationForm(
            request.POST or None,
            event=event,
            settings=state["settings"],
            consent=current_consent(),
            offer_waiting_list=offer_waiting_list,
        )
        if request.method == "POST":
            if registration_throttled(request):
                form.add_error(
                    None, _("Too many registrations from your address: wait a minute and try again.")
                )
                return render(
                    request, "activities/public/event_detail.html", _detail(event, state, form), status=429
                )
            if form.is_valid():
                try:
                    registration = registration_create(
                        event=event,
                        registrant=form.registrant(language=translation.get_language() or "en"),
                        invitation_code=form.cleaned_data.get("invitation_code", ""),
                        join_waiting_list=form.cleaned_data.get("join_waiting_list", False),
                    )
                except ValidationError as error:
                    if getattr(error, "code", None) == "full":
                        # Offer the waiting list: the same form, with its box.
                        form = RegistrationForm(
                            request.POST,
                            event=event,
                            settings=state["settings"],
                            consent=current_consent(),
                            offer_waiting_list=True,
                        )
                        form.is_valid()
                    _add_refusal(form, error)
                else:
                    return redirect("events:registration", token=registration_token(registration.pk))
    elif request.method == "POST":
        raise Http404(_("This event takes no registrations now."))
    return render(request, "activities/public/event_detail.html", _detail(event, state, form))


def _add_refusal(form: RegistrationForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _detail(event: Event, state: dict, form: RegistrationForm | None) -> dict:
    zone = event_zone(event)
    sessions = [
        {
            "session": session,
            "starts_at": timezone.localtime(session.starts_at, zone),
            "ends_at": timezone.localtime(session.ends_at, zone),
            "speakers": [s for s in event.speakers.all() if s.session_id == session.pk],
        }
        for session in event.programme.all()
    ]
    return {
        "event": event,
        "place": event_place(event),
        "sessions": sessions,
        "other_speakers": [s for s in event.speakers.all() if s.session_id is None],
        "form": form,
        "consent": current_consent() if form is not None else None,
        **state,
    }


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(slug)
    body = event_calendar(
        event=event,
        uid_domain=_uid_domain(request),
        url=request.build_absolute_uri(reverse("events:detail", args=[event.slug])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_GET
def events_feed(request: HttpRequest) -> HttpResponse:
    body = public_calendar(
        events=public_feed_events(),
        name=_("Metropolis events"),
        uid_domain=_uid_domain(request),
        url_of=lambda event: request.build_absolute_uri(reverse("events:detail", args=[event.slug])),
    )
    # Inline, so that calendar applications subscribe to it rather than download it.
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="metropolis-events.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


# --- The registrant's pages, through their signed link -------------------------------------


def _registration_or_404(token: str) -> Registration:
    registration = registration_from_token(token)
    if registration is None:
        raise Http404(_("This link is not valid, or the registration's data were erased."))
    return registration


def _private(response: HttpResponse) -> HttpResponse:
    # A page reached through a personal link: never cached, never sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def registration_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    event = registration.event
    zone = event_zone(event)
    qr = None
    if registration.status == RegistrationStatus.CONFIRMED:
        # segno writes the SVG; the only text in it is the title, which it escapes.
        qr = mark_safe(qr_svg(registration.code, title=_("Your personal QR code")))  # noqa: S308
    context = {
        "registration": registration,
        "event": event,
        "token": token,
        "qr": qr,
        "offer_expires_at": timezone.localtime(registration.offer_expires_at, zone)
        if registration.offer_expires_at
        else None,
        "can_cancel": registration.status
        in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.PENDING,
            RegistrationStatus.WAITING,
            RegistrationStatus.OFFERED,
        ),
    }
    return _private(render(request, "activities/public/registration.html", context))


@require_POST
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    try:
        registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:registration", token=token)


@require_GET
def registration_data_view(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    body = json.dumps(registration_data(registration=registration), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registration-{registration.event.slug}.json"'
    return _private(response)


@require_GET
def registration_certificate(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    if not registration.certificate:
        raise Http404(_("Your certificate is not ready yet."))
    response = private_file_response(
        registration.certificate,
        filename=f"certificate-{registration.event.slug}.pdf",
        content_type="application/pdf",
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def registration_erase_view(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    if request.method == "POST":
        event = registration.event
        registration_erase(registration=registration)
        return _private(render(request, "activities/public/erased.html", {"event": event}))
    return _private(
        render(request, "activities/public/erase.html", {"registration": registration, "token": token})
    )


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    registration_id = registration_id_from_offer_token(token, max_age_seconds=OFFER_LINK_MAX_AGE)
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
        if registration_id
        else None
    )
    if registration is None:
        raise Http404(_("This link is not valid any more."))
    manage_token = registration_token(registration.pk)
    if request.method == "POST":
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["answer"] == OfferForm.ACCEPT:
                    registration_offer_accept(registration=registration)
                    messages.success(request, _("The place is yours."))
                else:
                    registration_offer_decline(registration=registration)
                    messages.success(request, _("Thank you: the place goes to the next person waiting."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("events:registration", token=manage_token)
    zone = event_zone(registration.event)
    return _private(
        render(
            request,
            "activities/public/offer.html",
            {
                "registration": registration,
                "event": registration.event,
                "manage_token": manage_token,
                "offered": registration.status == RegistrationStatus.OFFERED
                and registration.offer_expires_at is not None
                and registration.offer_expires_at >= timezone.now(),
                "offer_expires_at": timezone.localtime(registration.offer_expires_at, zone)
                if registration.offer_expires_at
                else None,
            },
        )
    )
