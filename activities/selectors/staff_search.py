"""The search box of the admin header: one query finds members (in any of
their four names), contacts (name or address), invoices (by number), events
and publications (by title in any language). One query per kind of record,
whatever the number of matches; each kind only for a user who may see it."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from activities.models import Event, Publication
from members.models import Contact, Invoice, MemberCity

RESULTS_PER_KIND = 10
MIN_LENGTH = 2


@dataclass
class Hit:
    label: str
    detail: str
    url: str


@dataclass
class Section:
    title: str
    hits: list[Hit]
    more_url: str


def _any_language(field: str, text: str) -> Q:
    query = Q()
    for language in ("en", "es", "fr", "zh_hans"):
        query |= Q(**{f"{field}_{language}__icontains": text})
    return query


def _section(model: Any, title: Any, rows: list[Any], hit: Any, text: str) -> Section:
    opts = model._meta
    more = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?" + urlencode({"q": text})
    return Section(str(title), [hit(row) for row in rows[:RESULTS_PER_KIND]], more)


def staff_search(*, text: str, user: Any) -> list[Section]:
    """The records matching ``text``, by kind; empty for a text too short to search."""
    text = text.strip()
    if len(text) < MIN_LENGTH:
        return []

    def change(row: Any) -> str:
        return reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])

    def may_view(model: Any) -> bool:
        return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")

    sections = []
    if may_view(MemberCity):
        members = MemberCity.objects.filter(_any_language("name", text) | Q(slug__icontains=text)).order_by(
            "name"
        )
        sections.append(
            _section(
                MemberCity,
                _("Members"),
                list(members[:RESULTS_PER_KIND]),
                lambda m: Hit(m.name, str(m.country.name) if m.country else "", change(m)),
                text,
            )
        )
    if may_view(Contact):
        contacts = (
            Contact.objects.filter(erased_at__isnull=True)
            .filter(Q(name__icontains=text) | Q(email__icontains=text))
            .select_related("member")
            .order_by("name")
        )
        sections.append(
            _section(
                Contact,
                _("Contacts"),
                list(contacts[:RESULTS_PER_KIND]),
                lambda c: Hit(c.name, f"{c.member.name} · {c.email}", change(c)),
                text,
            )
        )
    if may_view(Invoice):
        invoices = Invoice.objects.filter(number__icontains=text).select_related("member").order_by("-number")
        sections.append(
            _section(
                Invoice,
                _("Invoices"),
                list(invoices[:RESULTS_PER_KIND]),
                lambda i: Hit(i.number, f"{i.member.name} · {i.year}", change(i)),
                text,
            )
        )
    if may_view(Event):
        events = Event.objects.filter(_any_language("title", text) | Q(slug__icontains=text)).order_by(
            "-year", "title"
        )
        sections.append(
            _section(
                Event,
                _("Events"),
                list(events[:RESULTS_PER_KIND]),
                lambda e: Hit(e.title, " · ".join(str(p) for p in (e.year, e.city) if p), change(e)),
                text,
            )
        )
    if may_view(Publication):
        publications = Publication.objects.filter(
            _any_language("title", text) | Q(slug__icontains=text)
        ).order_by("-year", "title")
        sections.append(
            _section(
                Publication,
                _("Publications"),
                list(publications[:RESULTS_PER_KIND]),
                lambda p: Hit(p.title, str(p.year or ""), change(p)),
                text,
            )
        )
    return sections
