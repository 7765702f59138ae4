"""Registrations and check-ins under real concurrency, on PostgreSQL: threads,
each with its own database connection and transaction, all released at once.

- more visitors than places register at the same instant: exactly the places
  are confirmed, the others wait, nobody is counted twice;
- two doors check the same people in at the same instant: each person is
  checked in once, and the other door is told so.

SQLite serialises every write on one file lock, so there is no race to lose
there: these tests run where .ci/run's second pass runs them, on PostgreSQL.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from activities.models import AttendanceMode, Registration, RegistrationStatus
from activities.services.checkin import registration_check_in
from activities.services.registration import Registrant, registration_create
from tests.activities.factories import PublicEventFactory, RegistrationFactory, current_consent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a race needs concurrent transactions: PostgreSQL (DATABASE_URL); .ci/run's second pass runs it",
    ),
]


def _at_once(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; each thread
    closes its own connection. Returns the results (or the exceptions)."""
    barrier = threading.Barrier(count)

    def run(i: int):
        try:
            barrier.wait()
            return work(i)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_more_visitors_than_places_at_once_never_overbook():
    event = PublicEventFactory()
    settings = event.registration_settings
    settings.capacity_in_person = 5
    settings.save()
    consent = current_consent().version

    def register(i: int) -> Registration:
        return registration_create(
            event=event,
            registrant=Registrant(
                name=f"Delegate {i}",
                email=f"delegate{i}@example.org",
                language="en",
                mode=AttendanceMode.IN_PERSON,
                city_name="Lyon",
                country="FR",
                consent_version=consent,
            ),
            join_waiting_list=True,
        )

    results = _at_once(20, register)
    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = sorted(r.status for r in results)
    assert statuses.count(RegistrationStatus.CONFIRMED) == 5
    assert statuses.count(RegistrationStatus.WAITING) == 15
    assert (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 5
    )  # in the database as well


def test_the_same_email_twice_at_once_registers_once():
    event = PublicEventFactory()
    consent = current_consent().version

    def register(i: int):
        return registration_create(
            event=event,
            registrant=Registrant(
                name="Twice",
                email="twice@example.org",
                language="en",
                mode=AttendanceMode.ONLINE,
                city_name="Lyon",
                country="FR",
                consent_version=consent,
            ),
        )

    results = _at_once(6, register)
    assert sum(1 for r in results if isinstance(r, Registration)) == 1
    assert Registration.objects.filter(event=event, email="twice@example.org").count() == 1


def test_two_doors_checking_in_the_same_people_at_once_count_each_once():
    event = PublicEventFactory()
    people = [RegistrationFactory(event=event, code=f"DOOR{i:04d}") for i in range(15)]
    codes = [p.code for p in people]

    def door(i: int) -> list[bool]:
        # Each door scans every code; the second door in reverse order too, so
        # that the two meet on every person at some point.
        order = codes if i % 2 == 0 else list(reversed(codes))
        return [registration_check_in(event=event, code=code).first_time for code in order]

    first, second, third, fourth = _at_once(4, door)
    firsts = sum(first) + sum(second) + sum(third) + sum(fourth)
    assert firsts == 15
    assert Registration.objects.filter(event=event, checked_in_at__isnull=False).count() == 15
