"""Who hears of a notification, and a person's own notices."""

from django.db.models import Q, QuerySet

from members.models import (
    CITY_EDITOR_KINDS,
    SECRETARIAT_KINDS,
    MemberCity,
    Notification,
    NotificationKind,
    NotificationMute,
    User,
)
from members.permissions import CITY_EDITOR_GROUP, SECRETARIAT_GROUP


def notification_recipients(*, kind: str, member: MemberCity) -> QuerySet[User]:
    """The active accounts that hear of ``kind`` about ``member`` and have not
    turned it off: the secretariat (its group, and superusers) for a city's
    submissions and changes, the city's editors for decisions on theirs."""
    if kind in SECRETARIAT_KINDS:
        audience = Q(is_superuser=True) | Q(is_staff=True, groups__name=SECRETARIAT_GROUP)
    elif kind in CITY_EDITOR_KINDS:
        audience = Q(member_city=member, groups__name=CITY_EDITOR_GROUP)
    else:
        raise ValueError(f"Unknown notification kind: {kind}")
    muted = NotificationMute.objects.filter(kind=kind).values("user_id")
    return User.objects.filter(audience, is_active=True).exclude(pk__in=muted).distinct().order_by("pk")


def notification_kinds_for_user(*, user: User) -> list[NotificationKind]:
    """The kinds of notification ``user`` may receive (and so turn off)."""
    kinds: list[NotificationKind] = []
    groups = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or (user.is_staff and SECRETARIAT_GROUP in groups):
        kinds.extend(SECRETARIAT_KINDS)
    if user.member_city_id is not None and CITY_EDITOR_GROUP in groups:
        kinds.extend(CITY_EDITOR_KINDS)
    return kinds


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("member")


def notification_mutes_for_user(*, user: User) -> set[str]:
    return set(NotificationMute.objects.filter(user=user).values_list("kind", flat=True))
