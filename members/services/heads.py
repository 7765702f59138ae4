"""Heads of government: a new term (closing the current one) and the correction of
the current term."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import (
    HeadOfGovernment,
    MemberCity,
    NotificationKind,
    User,
)
from members.selectors.heads import head_of_government_on
from members.services.history import save_as
from members.services.notifications import notify_after_commit
from members.services.versions import version_bump, version_take


@transaction.atomic
def head_of_government_start_term(
    *,
    member: MemberCity,
    name: str,
    title: str,
    gender: str,
    term_start: datetime.date,
    name_local: str = "",
    by: User | None = None,
) -> HeadOfGovernment:
    """A new head of government takes office on ``term_start``: a new term is
    recorded and the current one (if any) ends the day before. Earlier terms
    are kept."""
    current = head_of_government_on(member=member)
    if current is not None:
        if term_start <= current.term_start:
            raise ValidationError(
                {
                    "term_start": _(
                        "The new term must start after the current one (%(name)s, since %(date)s)."
                    )
                    % {"name": current.name, "date": current.term_start}
                }
            )
        current = HeadOfGovernment.objects.select_for_update().get(pk=current.pk)
        day_before = term_start - datetime.timedelta(days=1)
        if current.term_end is None or current.term_end > day_before:
            current.term_end = day_before
            # A correction form of that term loaded before this must not undo it.
            current.version += 1
            save_as(current, by)
    head = HeadOfGovernment(
        member=member, name=name, name_local=name_local, title=title, gender=gender, term_start=term_start
    )
    save_as(head, by)
    _notify_the_secretariat(head, by)
    return head


def _notify_the_secretariat(head: HeadOfGovernment, by: User | None) -> None:
    """A city's own change of its head of government is news to the secretariat
    (the secretariat's own are not)."""
    if by is None or by.member_city_id != head.member_id:
        return
    notify_after_commit(
        kind=NotificationKind.HEAD_CHANGED,
        member=head.member,
        subject=f"{head.title} {head.name}".strip(),
        key=f"head-changed:{head.pk}:{head.version}",
        link=reverse("admin:members_headofgovernment_change", args=[head.pk]),
    )


@transaction.atomic
def head_of_government_correct(
    *,
    head: HeadOfGovernment,
    name: str,
    title: str,
    gender: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    name_local: str = "",
    version: int | None = None,
    by: User | None = None,
) -> HeadOfGovernment:
    """Correct the record of the current head of government (a misspelt name,
    a wrong date). Earlier terms are kept as recorded: refused for them. From a
    form, ``version`` is the version it was loaded with: a save over a newer
    one is refused (:class:`StaleRecord`)."""
    if version is None:
        version_bump(instance=head)
    else:
        version_take(instance=head, version=version, what=_("head of government"))
    head = HeadOfGovernment.objects.select_for_update().get(pk=head.pk)
    if head_of_government_on(member=head.member) != head:
        raise ValidationError(_("Only the current head of government can be corrected."))
    head.name, head.name_local, head.title, head.gender = name, name_local, title, gender
    head.term_start, head.term_end = term_start, term_end
    save_as(head, by)
    _notify_the_secretariat(head, by)
    return head
