"""The event desk's pages: thin, each validates its input, calls one service or
selector and renders. Anonymous visitors go to the login page; accounts without
the permission get 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities.models import (
    AttendanceImport,
    AttendanceImportStatus,
    CertificateBatch,
    Event,
    JobStatus,
    Registration,
    RegistrationStatus,
)
from activities.permissions import can_manage_registrations, can_view_event_desk
from activities.selectors.attendance import event_figures
from activities.selectors.registration import check_in_candidates, event_zone, places_by_mode
from activities.services.attendance import (
    attendance_import_apply,
    attendance_import_discard,
    attendance_import_preview,
)
from activities.services.certificates import certificate_batch_request
from activities.services.checkin import registration_check_in
from activities.services.registration_emails import event_message_send
from members.models import User
from metropolis.storage import private_file_response

from .forms import AttendanceUploadForm, CheckInForm, EventMessageForm


def allowed(predicate) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _event(slug: str) -> Event:
    return get_object_or_404(
        Event.objects.select_related("registration_settings").prefetch_related("programme"),
        slug=slug,
        registration_settings__isnull=False,
    )


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@allowed(can_view_event_desk)
@require_GET
def event_desk(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    figures = event_figures(event=event)
    statuses = [
        {"status": status, "by_mode": figures.by_status.get(status.value, {})}
        for status in RegistrationStatus
    ]
    context = {
        "event": event,
        "figures": figures,
        "statuses": statuses,
        "places": places_by_mode(event=event),
        "imports": event.attendance_imports.order_by("-created_at")[:10],
        "batches": event.certificate_batches.order_by("-created_at")[:5],
        "messages_sent": event.messages.select_related("sent_by").order_by("-created_at")[:10],
        "can_manage": can_manage_registrations(request.user),
    }
    return render(request, "activities/staff/event_desk.html", context)


def _check_in_message(check_in) -> tuple[str, str]:
    registration = check_in.registration
    when = timezone.localtime(registration.checked_in_at, event_zone(registration.event))
    if check_in.first_time:
        return "ok", _("%(name)s is checked in.") % {"name": registration.name}
    return "again", _("%(name)s was already checked in at %(time)s.") % {
        "name": registration.name,
        "time": when.strftime("%H:%M"),
    }


def _checked_in_count(event: Event) -> int:
    return Registration.objects.filter(event=event, checked_in_at__isnull=False).count()


@allowed(can_manage_registrations)
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    result = None
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = registration_check_in(
                event=event,
                code=form.cleaned_data.get("code") or "",
                registration_id=form.cleaned_data.get("registration"),
                by=_user(request),
            )
        except ValidationError as error:
            result = {"kind": "refused", "message": " ".join(error.messages)}
        else:
            kind, message = _check_in_message(done)
            result = {"kind": kind, "message": message}
        form = CheckInForm()
    query = request.GET.get("q", "").strip()
    candidates = check_in_candidates(event=event, query=query) if query else []
    zone = event_zone(event)
    context = {
        "event": event,
        "form": form,
        "result": result,
        "query": query,
        "candidates": [
            {
                "registration": r,
                "checked_in_at": timezone.localtime(r.checked_in_at, zone) if r.checked_in_at else None,
            }
            for r in candidates
        ],
        "checked_in": _checked_in_count(event),
        "confirmed": Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count(),
    }
    return render(request, "activities/staff/check_in.html", context)


@allowed(can_manage_registrations)
@require_POST
def check_in_scan(request: HttpRequest, slug: str) -> JsonResponse:
    """What the scanner at the door posts: a personal code. Answers the outcome
    in the staff member's language."""
    event = _event(slug)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"result": "refused", "message": " ".join(form.errors.get("__all__", []))}, status=400
        )
    try:
        done = registration_check_in(event=event, code=form.cleaned_data.get("code") or "", by=_user(request))
    except ValidationError as error:
        return JsonResponse(
            {"result": "refused", "message": " ".join(error.messages), "checked_in": _checked_in_count(event)}
        )
    kind, message = _check_in_message(done)
    return JsonResponse(
        {
            "result": kind,
            "message": message,
            "name": done.registration.name,
            "checked_in": _checked_in_count(event),
        }
    )


@allowed(can_manage_registrations)
@require_http_methods(["GET", "POST"])
def attendance_upload(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attendance_import = attendance_import_preview(
                event=event, content=upload.read(), file_name=upload.name, by=_user(request)
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("activities:attendance-preview", slug=event.slug, pk=attendance_import.pk)
    return render(request, "activities/staff/attendance_upload.html", {"event": event, "form": form})


@allowed(can_manage_registrations)
@require_http_methods(["GET", "POST"])
def attendance_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event(slug)
    attendance_import = get_object_or_404(AttendanceImport, pk=pk, event=event)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "apply":
                attendance_import_apply(attendance_import=attendance_import)
                messages.success(
                    request,
                    _("The attendance of %(count)s rows is recorded.")
                    % {"count": attendance_import.matched_count},
                )
            elif request.POST.get("action") == "discard":
                attendance_import_discard(attendance_import=attendance_import)
                messages.success(request, _("The import is discarded: nothing was recorded."))
            else:
                messages.error(request, _("Choose to record this attendance or to discard it."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("activities:attendance-preview", slug=event.slug, pk=attendance_import.pk)
    matched_ids = {row["registration"] for row in attendance_import.rows if row["registration"]}
    names = dict(Registration.objects.filter(pk__in=matched_ids).values_list("pk", "name"))
    context = {
        "event": event,
        "attendance_import": attendance_import,
        "matched": [
            {**row, "registration_name": names.get(row["registration"], "")}
            for row in attendance_import.rows
            if row["registration"]
        ],
        "is_preview": attendance_import.status == AttendanceImportStatus.PREVIEW,
    }
    return render(request, "activities/staff/attendance_preview.html", context)


@allowed(can_manage_registrations)
@require_POST
def certificates_request(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    try:
        batch = certificate_batch_request(event=event, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activities:event-desk", slug=event.slug)
    return redirect("activities:certificate-batch", pk=batch.pk)


@allowed(can_manage_registrations)
@require_GET
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(CertificateBatch.objects.select_related("event", "requested_by"), pk=pk)
    return render(request, "activities/staff/certificate_batch.html", {"batch": batch, "event": batch.event})


@allowed(can_manage_registrations)
@require_GET
def certificate_batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    batch = get_object_or_404(CertificateBatch, pk=pk)
    return JsonResponse(
        {
            "id": batch.pk,
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "active": batch.is_active,
            "progress": batch.progress,
            "done": batch.done,
            "total": batch.total,
            "message": batch.message,
            "download_url": reverse("activities:certificate-batch-download", args=[batch.pk])
            if batch.status == JobStatus.SUCCEEDED and batch.output
            else None,
        }
    )


@allowed(can_manage_registrations)
@require_GET
def certificate_batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(CertificateBatch.objects.select_related("event"), pk=pk)
    if batch.status != JobStatus.SUCCEEDED or not batch.output:
        raise Http404(_("These certificates are not ready."))
    return private_file_response(
        batch.output, filename=f"certificates-{batch.event.slug}.zip", content_type="application/zip"
    )


@allowed(can_manage_registrations)
@require_http_methods(["GET", "POST"])
def event_message(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(slug)
    form = EventMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_message_send(event=event, by=_user(request), **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The message is on its way to the registrants."))
            return redirect("activities:event-desk", slug=event.slug)
    return render(request, "activities/staff/event_message.html", {"event": event, "form": form})
