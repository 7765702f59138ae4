"""Who a mailing goes to: the segments, a small registry.

The members app registers the segments it can answer from its own records (the
focal points of the active members, of a region, of the members with arrears,
of every member); an app above it that knows of other people to write to (the
registrants of an event, in the activities app) adds its segment with
:func:`register_segment` when it starts, as it adds its records to the change
log. The mailing services ask the registry only: they never import an app
above them.

A segment gives *addressees* (an address, a name, a language and, when the
person is a contact, the contact); the services take each address once."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Contact, MemberCity, MemberStatus, Region
from members.selectors.fees import member_list
from members.selectors.membership import members_on

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Addressee:
    email: str
    name: str
    language: str
    contact_id: int | None = None


@dataclass(frozen=True)
class Segment:
    """A set of people to write to. ``addressees(value)`` lists them; a segment
    that needs a choice (a region, an event) lists its options with
    ``choices()`` and names the choice ``value_label``."""

    code: str
    label: "StrOrPromise"
    addressees: Callable[[str], Iterable[Addressee]]
    choices: Callable[[], list[tuple[str, str]]] | None = None
    value_label: "StrOrPromise" = ""

    @property
    def takes_value(self) -> bool:
        return self.choices is not None

    def is_valid_value(self, value: str) -> bool:
        if self.choices is None:
            return value == ""
        return value in {code for code, _label in self.choices()}

    def describe(self, value: str) -> str:
        """The segment as a person reads it: "... of a region: Europe"."""
        if self.choices is None or not value:
            return str(self.label)
        labels = dict(self.choices())
        return f"{self.label}: {labels.get(value, value)}"


_SEGMENTS: dict[str, Segment] = {}


def register_segment(segment: Segment) -> None:
    """Add a segment to the registry (once; a second registration of a code replaces it)."""
    _SEGMENTS[segment.code] = segment


def segments() -> list[Segment]:
    """Every registered segment, in the order they were registered."""
    return list(_SEGMENTS.values())


def segment(code: str) -> Segment | None:
    return _SEGMENTS.get(code)


def segment_choices() -> list[tuple[str, str]]:
    return [(item.code, str(item.label)) for item in _SEGMENTS.values()]


# --- The members app's own segments --------------------------------------------------------


def focal_points(members: QuerySet[MemberCity]) -> QuerySet[Contact]:
    """The contacts of ``members`` that can be written to: with an address, not erased."""
    return (
        Contact.objects.filter(member__in=members.values("pk"), erased_at__isnull=True)
        .exclude(email="")
        .order_by("member_id", "-is_primary", "pk")
    )


def contacts_as_addressees(contacts: QuerySet[Contact]) -> Iterator[Addressee]:
    for pk, email, name, language in contacts.values_list(
        "pk", "email", "name", "preferred_language"
    ).iterator(chunk_size=2000):
        yield Addressee(email=email, name=name, language=language, contact_id=pk)


def _active_members() -> QuerySet[MemberCity]:
    return MemberCity.objects.filter(status=MemberStatus.ACTIVE)


def _active_members_focal_points(value: str) -> Iterator[Addressee]:
    return contacts_as_addressees(focal_points(_active_members()))


def _every_member_focal_points(value: str) -> Iterator[Addressee]:
    return contacts_as_addressees(focal_points(members_on(day=timezone.localdate())))


def _region_focal_points(value: str) -> Iterator[Addressee]:
    return contacts_as_addressees(focal_points(_active_members().filter(region__code=value)))


def _region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.name) for region in Region.objects.order_by("position", "code")]


def _arrears_focal_points(value: str) -> Iterator[Addressee]:
    # The one definition of arrears (members.selectors.fees): overdue and unpaid today.
    # django-stubs checks filter() keywords against model fields only, not annotations.
    in_arrears = member_list().filter(arrears__gt=0)  # type: ignore[misc]
    in_arrears = in_arrears.exclude(status__in=[MemberStatus.WITHDRAWN, MemberStatus.CANDIDATE])
    return contacts_as_addressees(focal_points(MemberCity.objects.filter(pk__in=in_arrears.values("pk"))))


ACTIVE_MEMBERS = "active-members"
EVERY_MEMBER = "every-member"
REGION = "region"
ARREARS = "arrears"

for _segment in (
    Segment(ACTIVE_MEMBERS, _("Focal points of the active members"), _active_members_focal_points),
    Segment(
        EVERY_MEMBER,
        _("Focal points of every member (suspended members included)"),
        _every_member_focal_points,
    ),
    Segment(
        REGION,
        _("Focal points of the active members of a region"),
        _region_focal_points,
        choices=_region_choices,
        value_label=_("Region"),
    ),
    Segment(ARREARS, _("Focal points of the members with arrears"), _arrears_focal_points),
):
    register_segment(_segment)
