"""Certificates of attendance: one PDF per attendee, in the attendee's language
(WeasyPrint; Chinese text in Noto Sans CJK SC, embedded), kept in private
storage and downloaded through the attendee's link.

Staff ask for an event's certificates; a Celery task makes them and keeps its
state on the :class:`CertificateBatch` row (status, progress, message, a ZIP
of every certificate for staff), which the staff page polls. A second request
while a batch runs returns that batch."""

import datetime
import io
import logging
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.models import (
    ACTIVE_JOB_STATUSES,
    CertificateBatch,
    Event,
    JobStatus,
    Registration,
    RegistrationSettings,
)
from activities.selectors.attendance import attendees_of
from activities.selectors.registration import event_zone
from members.models import User
from metropolis.celery import enqueue_after_commit
from metropolis.pdf import render_pdf, static_file_url

logger = logging.getLogger(__name__)

TEMPLATE = "activities/certificate.html"
STYLESHEET = "activities/certificate.css"


def certificate_recipients(*, event: Event):
    """The attendees who get a certificate (their data not anonymised)."""
    return attendees_of(Registration.objects.filter(event=event, anonymised_at__isnull=True)).select_related(
        "event", "event__registration_settings", "member_city"
    )


def certificate_render(*, registration: Registration) -> bytes:
    """The certificate of ``registration`` as a PDF, in the registrant's language."""
    event = registration.event
    zone = event_zone(event)
    with translation.override(registration.language):
        html = render_to_string(
            TEMPLATE,
            {
                "registration": registration,
                "event": event,
                "language": registration.language,
                "signed_by": getattr(event, "registration_settings", None)
                and event.registration_settings.certificate_signed_by,
                "in_person": registration.checked_in_at is not None,
                "online_minutes": registration.online_minutes,
                "issued_on": timezone.localtime(timezone.now(), zone).date(),
                "stylesheet_url": static_file_url(STYLESHEET),
            },
        )
    pdf, _pages = render_pdf(html)
    return pdf


def certificate_file_name(registration: Registration) -> str:
    return f"certificate-{registration.event.slug}-{slugify(registration.name) or registration.pk}.pdf"


@transaction.atomic
def certificate_batch_request(*, event: Event, by: User | None) -> CertificateBatch:
    """Ask for the certificates of ``event``'s attendees; made by a task after
    commit. Refused: an event without registrations or without attendees."""
    if not RegistrationSettings.objects.filter(pk=event.pk).exists():
        raise ValidationError(_("This event takes no registrations."))
    active = CertificateBatch.objects.filter(event=event, status__in=ACTIVE_JOB_STATUSES).first()
    if active is not None:
        return active
    total = certificate_recipients(event=event).count()
    if not total:
        raise ValidationError(_("Nobody has attended this event yet: there is no certificate to make."))
    batch = CertificateBatch(event=event, requested_by=by, total=total)
    batch.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        # A request at the same instant created the event's active batch first.
        return CertificateBatch.objects.get(event=event, status__in=ACTIVE_JOB_STATUSES)
    from activities.tasks import certificates_make

    enqueue_after_commit(certificates_make, batch.pk)
    return batch


def _claim(batch_id: int) -> CertificateBatch | None:
    with transaction.atomic():
        batch = (
            CertificateBatch.objects.select_for_update().select_related("event").filter(pk=batch_id).first()
        )
        if batch is None or batch.status not in ACTIVE_JOB_STATUSES:
            return None
        batch.status = JobStatus.RUNNING
        batch.started_at = timezone.now()
        batch.progress = 0
        batch.done = 0
        batch.save(update_fields=["status", "started_at", "progress", "done"])
        return batch


def certificate_batch_run(*, batch_id: int, now: datetime.datetime | None = None) -> CertificateBatch | None:
    """Make every certificate of the batch's event, recording progress on the
    batch row as it goes. A batch already finished is left alone (a task
    delivered twice); a batch interrupted by a lost worker starts again."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    try:
        recipients = list(certificate_recipients(event=batch.event).order_by("pk"))
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for index, registration in enumerate(recipients, start=1):
                pdf = certificate_render(registration=registration)
                if registration.certificate:
                    registration.certificate.delete(save=False)
                registration.certificate.save("certificate.pdf", ContentFile(pdf), save=False)
                Registration.objects.filter(pk=registration.pk).update(
                    certificate=registration.certificate.name
                )
                bundle.writestr(f"{registration.pk}-{certificate_file_name(registration)}", pdf)
                CertificateBatch.objects.filter(pk=batch.pk).update(
                    done=index,
                    total=len(recipients),
                    progress=min(99, int(100 * index / max(1, len(recipients)))),
                )
        batch.refresh_from_db()
        if batch.output:
            batch.output.delete(save=False)
        batch.output.save("certificates.zip", ContentFile(archive.getvalue()), save=False)
        batch.status = JobStatus.SUCCEEDED
        batch.progress = 100
        batch.finished_at = now or timezone.now()
        batch.message = _("%(count)s certificates made.") % {"count": len(recipients)}
        batch.save(update_fields=["output", "status", "progress", "finished_at", "message"])
        return batch
    except Exception as error:
        logger.exception("Certificate batch %s failed.", batch_id)
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=_("The certificates could not be made: %(error)s") % {"error": error},
        )
        return CertificateBatch.objects.get(pk=batch_id)
