"""Benchmark members: the loaded dataset grown to a given number of member
cities, for the benchmarks' throwaway databases only (never the demo).

Each new member is named "Benchmark city N" (slug ``benchmark-city-N``) and
copies one of the dataset's members: its country, region, kind, status and
dates, its invoices with their payments, its head of government and contacts
(under benchmark names and ``.invalid`` addresses), and its engagement rows
(active years, contributions, mentions, participations, bilateral meetings,
pilot project roles, indicator analyses, learning participations), so that
every list, figure and filter has as much to do per member as on the real data.
Rows are written with ``bulk_create``, with their history rows where the model
keeps a history (the engagement figures' cache key reads the history)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

from activities.models import (
    ActiveMemberYear,
    BilateralMeeting,
    LearningParticipation,
    MetropolitanIndicatorAnalysis,
    Participation,
    PilotProjectMember,
    PlatformContribution,
    PublicationMention,
)
from members.models import Contact, HeadOfGovernment, Invoice, MemberCity, Payment

BENCHMARK_NAME = "Benchmark city"
BATCH = 2000

# Rows that belong to one member and are copied as they are, but for the member.
_ENGAGEMENT_MODELS: tuple[type[models.Model], ...] = (
    ActiveMemberYear,
    PlatformContribution,
    PublicationMention,
    Participation,
    BilateralMeeting,
    PilotProjectMember,
    MetropolitanIndicatorAnalysis,
    LearningParticipation,
)


def _bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
    if hasattr(model, "history"):
        return bulk_create_with_history(rows, model, batch_size=BATCH)
    return model._default_manager.bulk_create(rows, batch_size=BATCH)


def _copy(row: Any, **changes: Any) -> Any:
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return type(row)(**values)


def _by_member(rows: Iterable[models.Model]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.member_id].append(row)  # type: ignore[attr-defined]
    return grouped


def benchmark_members_add(*, total: int) -> int:
    """Add benchmark members until there are ``total`` member cities; returns
    how many were added. The templates are the members that are not benchmark
    members themselves, taken in turn."""
    templates = list(MemberCity.objects.exclude(slug__startswith="benchmark-city-").order_by("pk"))
    existing = MemberCity.objects.count()
    if not templates or existing >= total:
        return 0
    numbers = range(existing + 1, total + 1)
    plan = [(number, templates[(number - 1) % len(templates)]) for number in numbers]
    members = _bulk(
        MemberCity,
        [
            _copy(
                template,
                name=f"{BENCHMARK_NAME} {number}",
                name_en=f"{BENCHMARK_NAME} {number}",
                name_es=f"{BENCHMARK_NAME} {number}",
                name_fr=f"{BENCHMARK_NAME} {number}",
                name_zh_hans=f"{BENCHMARK_NAME} {number}",
                slug=f"benchmark-city-{number}",
                description="",
                description_en="",
                description_es="",
                description_fr="",
                description_zh_hans="",
                logo="",
                website="",
            )
            for number, template in plan
        ],
    )
    if members and members[0].pk is None:  # a database that does not return the new keys
        by_slug = dict(
            MemberCity.objects.filter(slug__startswith="benchmark-city-").values_list("slug", "pk")
        )
        for member in members:
            member.pk = by_slug[member.slug]
    copies = [(member, template) for member, (_number, template) in zip(members, plan, strict=True)]
    template_ids = {template.pk for template in templates}

    heads = _by_member(HeadOfGovernment.objects.filter(member_id__in=template_ids))
    contacts = _by_member(Contact.objects.filter(member_id__in=template_ids))
    _bulk(
        HeadOfGovernment,
        [
            _copy(head, member_id=member.pk, name=f"Benchmark head {member.pk}-{index}", name_local="")
            for member, template in copies
            for index, head in enumerate(heads[template.pk])
        ],
    )
    _bulk(
        Contact,
        [
            _copy(
                contact,
                member_id=member.pk,
                name=f"Benchmark contact {member.pk}-{index}",
                email=f"contact-{member.pk}-{index}@benchmark.invalid",
                phone="",
            )
            for member, template in copies
            for index, contact in enumerate(contacts[template.pk])
        ],
    )
    for model in _ENGAGEMENT_MODELS:
        rows = _by_member(model._default_manager.filter(member_id__in=template_ids))
        _bulk(
            model,
            [_copy(row, member_id=member.pk) for member, template in copies for row in rows[template.pk]],
        )

    invoices = _by_member(Invoice.objects.filter(member_id__in=template_ids).prefetch_related("payments"))
    pairs = [
        (invoice, _copy(invoice, member_id=member.pk, number=f"{invoice.number}-B{member.pk}"))
        for member, template in copies
        for invoice in invoices[template.pk]
    ]
    new_invoices = _bulk(Invoice, [new for _old, new in pairs])
    if new_invoices and new_invoices[0].pk is None:
        by_number = dict(Invoice.objects.filter(number__contains="-B").values_list("number", "pk"))
        for invoice in new_invoices:
            invoice.pk = by_number[invoice.number]
    _bulk(
        Payment,
        [
            _copy(payment, invoice_id=new.pk, reference="")
            for (old, _new), new in zip(pairs, new_invoices, strict=True)
            for payment in old.payments.all()
        ],
    )
    return len(members)
