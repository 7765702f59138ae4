"""The cities' submissions: a city account reads its own city's only (scoped by
the members app's rule), and the change log shows what its accounts submitted."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Submission
from members.selectors.change_log import LogSource
from members.selectors.scoping import own_city_id

# The city's change log lists its submissions (registered when the app starts).
SUBMISSION_LOG_SOURCE = LogSource(
    Submission, "member_id", _("Submission"), "title", frozenset({"submitted_at"})
)


def submissions_for_user(*, user: Any) -> QuerySet[Submission]:
    """The submissions of the account's own city (none for other accounts)."""
    city_id = own_city_id(user)
    if city_id is None:
        return Submission.objects.none()
    return Submission.objects.filter(member_id=city_id).select_related("submitted_by", "reviewed_by")
