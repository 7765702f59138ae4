"""The cities' submissions from the portal and their review: a city proposes an
item; the secretariat approves it (it becomes the activity record the member
profile tables count) or rejects it with a reason the city sees."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.models import (
    ORGANISING_ROLES,
    Campaign,
    Event,
    Participation,
    ParticipationRole,
    PlatformContribution,
    PlatformKind,
    Publication,
    PublicationKind,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from activities.services.engagement import platform_contribution_save
from activities.services.events import participation_add, participation_save
from activities.services.publications import publication_save
from members.models import MemberCity, NotificationKind, User
from members.services.history import save_as
from members.services.notifications import notify_after_commit


@transaction.atomic
def submission_create(
    *,
    member: MemberCity,
    kind: str,
    year: int,
    title: str,
    url: str = "",
    happened_on: datetime.date | None = None,
    description: str = "",
    publication_kind: str = "",
    by: User | None = None,
) -> Submission:
    """A city proposes an item; it waits for the secretariat's review."""
    if kind == SubmissionKind.PUBLICATION and publication_kind not in PublicationKind.values:
        raise ValidationError({"publication_kind": _("Say what kind of publication it is.")})
    submission = Submission(
        member=member,
        kind=kind,
        year=year,
        title=title,
        url=url,
        happened_on=happened_on,
        description=description,
        publication_kind=publication_kind if kind == SubmissionKind.PUBLICATION else "",
        submitted_by=by,
    )
    save_as(submission, by)
    if by is not None and by.member_city_id == member.pk:
        notify_after_commit(
            kind=NotificationKind.SUBMISSION_RECEIVED,
            member=member,
            subject=submission.title,
            key=f"submission-received:{submission.pk}",
            link=reverse("admin:activities_submission_change", args=[submission.pk]),
        )
    return submission


def _notify_the_citys_editors(submission: Submission, kind: str) -> None:
    notify_after_commit(
        kind=kind,
        member=submission.member,
        subject=submission.title,
        key=f"{kind}:{submission.pk}",
        detail=submission.reason if kind == NotificationKind.SUBMISSION_REJECTED else "",
        link=reverse("portal:submissions"),
    )


def _world_metropolitan_day_event(*, year: int) -> Event | None:
    """The World Metropolitan Day event of ``year`` a city's organised event is
    recorded under: the one the association leads, else the first by date."""
    return (
        Event.objects.filter(year=year, campaign=Campaign.WORLD_METROPOLITAN_DAY)
        .order_by("-led_by_association", F("start_date").asc(nulls_last=True), "slug")
        .first()
    )


def _unique_publication_slug(title: str, year: int) -> str:
    base = slugify(f"{year} {title}")[:90] or str(year)
    slug, number = base, 1
    while Publication.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


_PLATFORM_KINDS = {
    SubmissionKind.USX_CASE: PlatformKind.USX_CASE,
    SubmissionKind.CGH_INITIATIVE: PlatformKind.CGH_INITIATIVE,
}


def _submission_record(submission: Submission) -> None:
    """Create the record an approved submission becomes, through the activities services."""
    if submission.kind in _PLATFORM_KINDS:
        submission.platform_contribution = platform_contribution_save(
            contribution=PlatformContribution(
                member=submission.member,
                year=submission.year,
                kind=_PLATFORM_KINDS[SubmissionKind(submission.kind)],
                title=submission.title,
                url=submission.url,
                published_on=submission.happened_on,
            )
        )
    elif submission.kind == SubmissionKind.WMD_EVENT:
        event = _world_metropolitan_day_event(year=submission.year)
        if event is None:
            raise ValidationError(
                _("There is no World Metropolitan Day event for %(year)s: record it first.")
                % {"year": submission.year}
            )
        note = submission.title[:300]
        existing = Participation.objects.filter(event=event, member=submission.member).first()
        if existing is None:
            submission.participation = participation_add(
                event=event, member=submission.member, role=ParticipationRole.ORGANISER, note=note
            )
        else:
            # An attending member that also organised is an organiser (its most prominent role).
            if existing.role not in ORGANISING_ROLES:
                existing.role, existing.note = ParticipationRole.ORGANISER, note
                participation_save(participation=existing)
            submission.participation = existing
    elif submission.kind == SubmissionKind.PUBLICATION:
        # The title as the city wrote it is the reference (default-language) title,
        # whatever the reviewer's language; the secretariat translates it.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            publication = Publication(
                slug=_unique_publication_slug(submission.title, submission.year),
                title=submission.title,
                kind=submission.publication_kind,
                year=submission.year,
                published_on=submission.happened_on,
                url=submission.url,
                languages=[],
            )
        submission.publication = publication_save(
            publication=publication, contributing_members=[submission.member]
        )


@transaction.atomic
def submission_approve(*, submission: Submission, by: User | None = None) -> Submission:
    """Approve a pending submission: it becomes its record (a platform
    contribution, an organiser's participation in the year's World Metropolitan
    Day event, or a publication the city contributed to)."""
    submission = Submission.objects.select_for_update().select_related("member").get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError(
            _("“%(title)s” has already been reviewed (%(status)s).")
            % {"title": submission.title, "status": submission.get_status_display().lower()}
        )
    _submission_record(submission)
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    save_as(submission, by)
    _notify_the_citys_editors(submission, NotificationKind.SUBMISSION_APPROVED)
    return submission


@transaction.atomic
def submission_reject(*, submission: Submission, reason: str, by: User | None = None) -> Submission:
    """Reject a pending submission; the city sees ``reason``."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError(
            _("“%(title)s” has already been reviewed (%(status)s).")
            % {"title": submission.title, "status": submission.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection: the city sees it.")})
    submission.status, submission.reason = SubmissionStatus.REJECTED, reason.strip()
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    save_as(submission, by)
    _notify_the_citys_editors(submission, NotificationKind.SUBMISSION_REJECTED)
    return submission
