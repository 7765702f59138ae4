"""Builders for the API tests: accounts with tokens, and two member cities with
one record of each kind that belongs to a city."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.models import ReportKind, ReportRun, RunStatus
from tests.activities.factories import (
    EventFactory,
    LearningParticipationFactory,
    ParticipationFactory,
    PlatformContributionFactory,
)
from tests.members.factories import (
    ContactFactory,
    HeadOfGovernmentFactory,
    InvoiceFactory,
    MemberCityFactory,
    PaymentFactory,
)


def token_client(user: Any) -> APIClient:
    """An API client that sends ``user``'s token, as an integration does."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@dataclass
class CityRecords:
    """A member city and one record of each kind that belongs to it."""

    member: Any
    head: Any
    contact: Any
    invoice: Any
    payment: Any
    participation: Any
    platform_contribution: Any
    learning_participation: Any
    scorecard_run: Any

    def records(self) -> dict[str, Any]:
        """The records by their endpoint."""
        return {
            "members": self.member,
            "heads-of-government": self.head,
            "contacts": self.contact,
            "invoices": self.invoice,
            "payments": self.payment,
            "participations": self.participation,
            "platform-contributions": self.platform_contribution,
            "learning-participations": self.learning_participation,
            "report-runs": self.scorecard_run,
        }


def city_with_records(name: str, *, paid: Decimal = Decimal("4000.00"), event: Any = None) -> CityRecords:
    slug = name.lower().replace(" ", "-")
    member = MemberCityFactory(name=name, name_en=name, slug=slug)
    invoice = InvoiceFactory(member=member, number=f"2021-{slug}", amount=Decimal("10000.00"))
    run = ReportRun.objects.create(
        kind=ReportKind.SCORECARD,
        year=2021,
        member=member,
        language="en",
        status=RunStatus.SUCCEEDED,
        progress=100,
        params_key=f"scorecard:2021::{member.pk}:en:test",
    )
    run.output.save(f"run-{slug}.pdf", ContentFile(b"%PDF-1.4 " + slug.encode()), save=True)
    return CityRecords(
        member=member,
        head=HeadOfGovernmentFactory(member=member, term_start=datetime.date(2019, 6, 15)),
        contact=ContactFactory(member=member),
        invoice=invoice,
        payment=PaymentFactory(invoice=invoice, amount=paid),
        participation=ParticipationFactory(member=member, event=event or EventFactory()),
        platform_contribution=PlatformContributionFactory(member=member),
        learning_participation=LearningParticipationFactory(member=member),
        scorecard_run=run,
    )
