"""Heads of government: who was in office on a day. One rule for a single member
and for the annotations of every member list: if two recorded terms overlap on
the day (a handover), the one that started last is the head."""

import datetime

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from members.models import HeadOfGovernment, MemberCity


def terms_covering(on: datetime.date) -> QuerySet[HeadOfGovernment]:
    """The terms that cover ``on``, the head first."""
    return (
        HeadOfGovernment.objects.filter(term_start__lte=on)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .order_by("-term_start", "-pk")
    )


def heads_in_office(on: datetime.date) -> QuerySet[HeadOfGovernment]:
    """The head of the member of the enclosing query (for a subquery annotation)."""
    return terms_covering(on).filter(member=OuterRef("pk"))


def head_of_government_on(*, member: MemberCity, day: datetime.date | None = None) -> HeadOfGovernment | None:
    """The head of government of ``member`` in office on ``day`` (today by
    default): the same rule as :func:`member_list`'s ``head_name``."""
    return terms_covering(day or timezone.localdate()).filter(member=member).first()


def head_in_office_json(on: datetime.date) -> Subquery:
    """The head of government of the member of the enclosing query in office on
    ``on`` as one JSON object (``name``, ``title``, ``gender``; NULL without a
    head): one lookup of the heads per member, where an annotation per column
    (``member_list``'s ``head_*``) looks the head up once for each of them."""
    head = JSONObject(name="name", title="title", gender="gender")
    return Subquery(heads_in_office(on).values(head_json=head)[:1], output_field=JSONField())
