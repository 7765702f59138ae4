"""factory_boy factories for the members app."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from members.models import (
    Agreement,
    AgreementKind,
    BoardMandate,
    Contact,
    FeeReminder,
    FeeSchedule,
    Gender,
    HeadOfGovernment,
    Invoice,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Partner,
    PartnerCategory,
    Payment,
    Region,
    Submission,
    SubmissionKind,
    User,
)
from members.models.city import BoardRole


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery-staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def _join_groups(*names: str):
    def join(user, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        # The role groups are created by a data migration; factories pick them by name.
        user.groups.add(*Group.objects.filter(name__in=names))

    return factory.PostGeneration(join)


class SecretariatFactory(UserFactory):
    """A secretariat account that is not a superuser: its rights come from the group."""

    is_staff = True
    groups = _join_groups("secretariat")

    class Meta:
        skip_postgeneration_save = True


class CommunicationsFactory(UserFactory):
    """The communications team: staff status for the read-only admin, and the group."""

    is_staff = True
    groups = _join_groups("communications")

    class Meta:
        skip_postgeneration_save = True


def region(code: str = "europe") -> Region:
    """The regions are created by a data migration; factories pick one by code.
    (A test on a flushed database, after a transactional test, gets it again.)"""
    name = code.replace("-", " ").title()
    return Region.objects.get_or_create(code=code, defaults={"name": name, "name_en": name})[0]


class MemberCityFactory(DjangoModelFactory):
    class Meta:
        model = MemberCity
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Metropolis City {n}")
    name_en = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"metropolis-city-{n}")
    country = "ES"
    region = factory.LazyFunction(region)
    status = MemberStatus.ACTIVE
    ratified_on = datetime.date(2015, 6, 1)
    fee_category = "standard"


class CityEditorFactory(UserFactory):
    member_city = factory.SubFactory(MemberCityFactory)
    groups = _join_groups("city-editor")

    class Meta:
        skip_postgeneration_save = True


class CityViewerFactory(UserFactory):
    member_city = factory.SubFactory(MemberCityFactory)
    groups = _join_groups("city-viewer")

    class Meta:
        skip_postgeneration_save = True


class HeadOfGovernmentFactory(DjangoModelFactory):
    class Meta:
        model = HeadOfGovernment

    member = factory.SubFactory(MemberCityFactory)
    name = factory.Faker("name")
    title = "Mayor"
    gender = Gender.WOMAN
    term_start = datetime.date(2019, 6, 15)
    term_end = None


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    member = factory.SubFactory(MemberCityFactory)
    name = factory.Faker("name")
    role = "International relations"
    email = factory.Sequence(lambda n: f"focal{n}@city.example.org")
    preferred_language = "en"
    is_primary = True


class FeeScheduleFactory(DjangoModelFactory):
    class Meta:
        model = FeeSchedule
        django_get_or_create = ("year", "category")

    year = 2021
    category = "standard"
    amount = Decimal("10000.00")
    currency = "EUR"


class InvoiceFactory(DjangoModelFactory):
    class Meta:
        model = Invoice

    member = factory.SubFactory(MemberCityFactory)
    year = 2021
    number = factory.Sequence(lambda n: f"2021-{n + 1:04d}")
    amount = Decimal("10000.00")
    currency = "EUR"
    issued_on = datetime.date(2021, 1, 15)
    due_on = datetime.date(2021, 3, 31)


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    paid_on = datetime.date(2021, 3, 1)
    amount = factory.SelfAttribute("invoice.amount")
    currency = factory.SelfAttribute("invoice.currency")
    method = "bank-transfer"


class MembershipChangeFactory(DjangoModelFactory):
    class Meta:
        model = MembershipChange

    member = factory.SubFactory(MemberCityFactory)
    from_status = MemberStatus.CANDIDATE
    to_status = MemberStatus.ACTIVE
    effective_on = datetime.date(2015, 6, 1)
    reason = "Ratified by the Board"


class BoardMandateFactory(DjangoModelFactory):
    class Meta:
        model = BoardMandate

    member = factory.SubFactory(MemberCityFactory)
    role = BoardRole.BOARD_MEMBER
    holder_name = factory.Faker("name")
    holder_gender = Gender.WOMAN
    start = datetime.date(2020, 1, 1)
    end = None


class FeeReminderFactory(DjangoModelFactory):
    class Meta:
        model = FeeReminder

    invoice = factory.SubFactory(InvoiceFactory)
    stage = FeeReminder.Stage.FIRST
    recipient = factory.Sequence(lambda n: f"treasury{n}@city.example.org")


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    name_en = factory.SelfAttribute("name")
    category = PartnerCategory.STRATEGIC
    active_from = 2019


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Collaboration agreement {n}")
    kind = AgreementKind.COLLABORATION
    member = factory.SubFactory(MemberCityFactory)
    partner = None
    signed_on = datetime.date(2021, 5, 4)
    gender_clause = True


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    member = factory.SubFactory(MemberCityFactory)
    kind = SubmissionKind.USX_CASE
    year = 2021
    title = factory.Sequence(lambda n: f"Green corridors {n}")
    url = "https://www.usx.example.org/cases/green-corridors"
