"""Pilot projects: the projects running in a year, one rule for the indicators,
the member profile tables and the annual report."""

from django.db.models import Q, QuerySet

from activities.models import PilotProject


def projects_running_in(*, year: int) -> QuerySet[PilotProject]:
    """The pilot projects running during ``year``: started by then and not ended
    before it (an open-ended project is running)."""
    return PilotProject.objects.filter(
        Q(start_year__lte=year), Q(end_year__isnull=True) | Q(end_year__gte=year)
    )
