"""factory_boy factories for the members app."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from members.models import (
    Agreement,
    AgreementKind,
    BoardMandate,
    ConsentRecord,
    ConsentSource,
    Contact,
    DataRequestKind,
    DataSubjectKind,
    FeeReminder,
    FeeSchedule,
    Gender,
    HeadOfGovernment,
    Invoice,
    Mailing,
    MailingKind,
    MailingRecipient,
    MemberCity,
    MembershipChange,
    MemberStatus,
    Partner,
    PartnerCategory,
    Payment,
    PersonalDataRequest,
    Region,
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


def restore_role_groups() -> None:
    """A transactional test ends with a flush, which empties the tables that data
    migrations filled (the role groups among them); the permissions come back
    with post_migrate, the groups do not. Make them again as those migrations
    do, from the migrations' own lists, for the tests that come after."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("members.migrations.0006_portal_role_groups")
    engine = importlib.import_module("activities.migrations.0009_pilot_calls_move_to_review_engine")
    secretariat, _ = Group.objects.get_or_create(name="secretariat")
    communications, _ = Group.objects.get_or_create(name="communications")
    for name in ("city-editor", "city-viewer", "juror"):
        Group.objects.get_or_create(name=name)
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=roles.SECRETARIAT_APPS)
    )
    communications.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=roles.COMMUNICATIONS_APPS, codename__startswith="view_"
        )
        .exclude(codename__in=roles.COMMUNICATIONS_EXCLUDED)
        .exclude(codename__startswith="view_historical"),
        *Permission.objects.filter(
            content_type__app_label="activities",
            content_type__model__in=engine.COMMUNICATIONS_READS,
            codename__startswith="view_",
        ),
    )


def _join_groups(*names: str):
    def join(user, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        # The role groups are created by data migrations; factories pick them by name.
        if Group.objects.filter(name__in=names).count() < len(set(names)):
            restore_role_groups()
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


class MailingFactory(DjangoModelFactory):
    class Meta:
        model = Mailing

    kind = MailingKind.NEWS
    segment = "active-members"
    subject_en = factory.Sequence(lambda n: f"Metropolis news {n}")
    body_en = "Dear colleagues, here is the news."


class MailingRecipientFactory(DjangoModelFactory):
    class Meta:
        model = MailingRecipient

    mailing = factory.SubFactory(MailingFactory)
    email = factory.Sequence(lambda n: f"recipient{n}@city.example.org")
    name = factory.Faker("name")
    language = "en"


class ConsentRecordFactory(DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    email = factory.Sequence(lambda n: f"person{n}@city.example.org")
    kind = MailingKind.NEWS
    given = False
    source = ConsentSource.ON_REQUEST


class PersonalDataRequestFactory(DjangoModelFactory):
    class Meta:
        model = PersonalDataRequest

    kind = DataRequestKind.EXPORT
    subject_kind = DataSubjectKind.CONTACT
    subject_id = 1
    subject_label = "contact #1"
    export_format = "json"


class ApplicantFactory(UserFactory):
    """A person who signed up to apply to calls and verified their address."""

    email_verified_at = factory.LazyFunction(lambda: datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC))


class JurorAccountFactory(UserFactory):
    """An account with the juror role (its seats on juries: tests/activities/factories.JurorFactory)."""

    groups = _join_groups("juror")

    class Meta:
        skip_postgeneration_save = True


def one_of_each_member_record(*, paid: Decimal = Decimal("10.00")) -> MemberCity:
    """A row of every model of the app that the admin shows, around one member
    city (returned): its membership change, head of government, contact, board
    seat, invoice with a payment of ``paid`` and a reminder, agreement; a fee
    schedule, a partner, a mailing with a recipient, a consent record and a
    personal-data request."""
    member = MemberCityFactory()
    MembershipChangeFactory(member=member)
    HeadOfGovernmentFactory(member=member)
    ContactFactory(member=member)
    BoardMandateFactory(member=member)
    FeeScheduleFactory()
    invoice = InvoiceFactory(member=member)
    PaymentFactory(invoice=invoice, amount=paid)
    FeeReminderFactory(invoice=invoice)
    AgreementFactory(member=member)
    PartnerFactory()
    MailingRecipientFactory(mailing=MailingFactory())
    ConsentRecordFactory()
    PersonalDataRequestFactory()
    return member


def bulk_invoices_2021(members: list[MemberCity]) -> list[Invoice]:
    """An unpaid 2021 invoice of 100.00 for each of ``members``, in one query."""
    return Invoice.objects.bulk_create(
        Invoice(
            member=member,
            year=2021,
            number=f"2021-{member.slug}",
            amount=Decimal("100.00"),
            issued_on=datetime.date(2021, 1, 15),
            due_on=datetime.date(2021, 3, 31),
        )
        for member in members
    )
