"""Publications, mentions of member cities in them, and policy statements."""

from collections.abc import Iterable

from django.db import transaction

from activities.models import (
    PolicyStatement,
    Publication,
    PublicationMention,
    SdgGoal,
    SdgTarget,
)
from activities.services.saving import set_relations, validated_save
from members.models import MemberCity


@transaction.atomic
def publication_save(
    *,
    publication: Publication,
    contributing_members: Iterable[MemberCity] | None = None,
    sdg_goals: Iterable[SdgGoal] | None = None,
    sdg_targets: Iterable[SdgTarget] | None = None,
) -> Publication:
    validated_save(publication)
    set_relations(
        publication, contributing_members=contributing_members, sdg_goals=sdg_goals, sdg_targets=sdg_targets
    )
    return publication


@transaction.atomic
def publication_mention_add(
    *, member: MemberCity, year: int, publication: Publication | None = None, note: str = ""
) -> PublicationMention:
    """Record one mention of ``member`` in the publications of ``year``."""
    return validated_save(PublicationMention(member=member, year=year, publication=publication, note=note))


@transaction.atomic
def publication_mention_save(*, mention: PublicationMention) -> PublicationMention:
    return validated_save(mention)


@transaction.atomic
def publication_mention_delete(*, mention: PublicationMention) -> None:
    """Remove one mention of a member (its count for the year drops by one)."""
    mention.delete()


@transaction.atomic
def policy_statement_save(
    *, statement: PolicyStatement, supporting_members: Iterable[MemberCity] | None = None
) -> PolicyStatement:
    validated_save(statement)
    set_relations(statement, supporting_members=supporting_members)
    return statement
