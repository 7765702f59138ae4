"""Who is a member when, and who leads it: the members of a day or a year, the
new members of a year, the Board mandates running on a day, the head of
government in office, the members led by women. The yearly tables, shares and
scorecards all take their members from here."""

import datetime

from django.db.models import (
    Q,
    QuerySet,
)

from members.models import (
    BoardMandate,
    Gender,
    MemberCity,
    MemberStatus,
)
from members.selectors.fees import member_list


def members_on(*, day: datetime.date) -> QuerySet[MemberCity]:
    """The members of the association on ``day``: not candidates, ratified on or
    before it (or ratified before the portal's records begin, with no date),
    and not withdrawn by then. A suspended member is still a member."""
    return (
        MemberCity.objects.exclude(status=MemberStatus.CANDIDATE)
        .filter(Q(ratified_on__isnull=True) | Q(ratified_on__lte=day))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    )


def members_of_year(*, year: int) -> QuerySet[MemberCity]:
    """The member cities of ``year``, the set every yearly table and share is
    taken over: members whose membership covers some of the year, i.e. not
    candidates, ratified by the end of the year (or ratified before the portal's
    records begin, with no date), and not withdrawn before the year began."""
    return (
        MemberCity.objects.exclude(status=MemberStatus.CANDIDATE)
        .filter(Q(ratified_on__isnull=True) | Q(ratified_on__year__lte=year))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__year__gte=year))
    )


def members_new_in(*, year: int) -> QuerySet[MemberCity]:
    """The members the Board ratified in ``year`` ("new member cities")."""
    return MemberCity.objects.filter(ratified_on__year=year)


def board_mandates_on(*, day: datetime.date) -> QuerySet[BoardMandate]:
    """The Board and statutory mandates running on ``day``."""
    return (
        BoardMandate.objects.select_related("member", "region")
        .filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
    )


def board_mandates_in(*, year: int) -> QuerySet[BoardMandate]:
    """The Board and statutory mandates in force during some of ``year``."""
    return (
        BoardMandate.objects.select_related("member", "region")
        .filter(start__year__lte=year)
        .filter(Q(end__isnull=True) | Q(end__year__gte=year))
    )


def members_led_by_women(*, year: int) -> QuerySet[MemberCity]:
    """The members of 31 December of ``year`` whose head of government in
    office on that day is a woman.

    The reference day is the last day of the year, as the annual report
    describes the association at year end: a member whose woman head left
    office during the year is not counted, nor is a member with no recorded
    term covering 31 December. Divide by ``members_on(day=...)`` of the same
    day for the share. The rows carry the same annotations as
    :func:`member_list` on that day.
    """
    year_end = datetime.date(year, 12, 31)
    return member_list(year=year, today=year_end).filter(
        pk__in=members_on(day=year_end).values("pk"), head_gender=Gender.WOMAN
    )


def member_is_member_in(*, member: MemberCity, year: int) -> bool:
    """Whether ``member`` is among the member cities of ``year`` (its member
    profile row and scorecard exist only then)."""
    return members_of_year(year=year).filter(pk=member.pk).exists()
