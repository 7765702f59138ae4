"""A member's public engagement, for its page in the public directory: the
pilot projects it leads or takes part in, the publications it contributed to
or is mentioned in, and the events it hosted (organised or co-organised).
A fixed number of queries, whatever the member's record."""

from dataclasses import dataclass

from django.db.models import Q

from activities.models import (
    ORGANISING_ROLES,
    Participation,
    PilotProjectMember,
    Publication,
)
from members.models import MemberCity


@dataclass(frozen=True)
class PublicEngagement:
    projects: list[PilotProjectMember]
    publications: list[Publication]
    hosted: list[Participation]

    @property
    def is_empty(self) -> bool:
        return not (self.projects or self.publications or self.hosted)


def public_engagement(*, member: MemberCity) -> PublicEngagement:
    projects = list(
        PilotProjectMember.objects.filter(member=member)
        .select_related("project")
        .order_by("-project__start_year", "project__slug")
    )
    publications = list(
        Publication.objects.filter(Q(contributing_members=member) | Q(mentions__member=member))
        .distinct()
        .order_by("-year", "slug")
    )
    hosted = list(
        Participation.objects.filter(member=member, role__in=ORGANISING_ROLES)
        .select_related("event")
        .order_by("-event__year", "event__start_date", "event__slug")
    )
    return PublicEngagement(projects=projects, publications=publications, hosted=hosted)
