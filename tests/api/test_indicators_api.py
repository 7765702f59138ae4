"""The indicators endpoints: the registry, a year's values (computed,
published, manual) and the records behind a value, which add up to it."""

import datetime
from decimal import Decimal

import pytest

from gender.models import IndicatorValue, ValueKind
from gender.registry import all_indicators
from gender.selectors import indicator_compute
from tests.activities.factories import EventFactory
from tests.api.factories import token_client
from tests.members.factories import CityEditorFactory, CommunicationsFactory, MemberCityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communications():
    return token_client(CommunicationsFactory())


def test_the_list_is_the_registry(communications):
    body = communications.get("/api/v1/indicators/?page_size=500").json()
    assert [row["code"] for row in body["results"]] == [i.code for i in all_indicators()]
    first = body["results"][0]
    assert set(first) == {"code", "label", "description", "unit", "section", "manual"}
    gender = communications.get("/api/v1/indicators/?section=gender&page_size=500").json()["results"]
    assert gender and {row["section"] for row in gender} == {"gender"}
    assert communications.get("/api/v1/indicators/?section=nonsense").status_code == 400
    assert communications.get("/api/v1/indicators/no_such_code/").status_code == 404


def test_values_of_a_year_give_the_computed_and_published_figures(communications):
    for slug in ("a", "b", "c"):
        MemberCityFactory(slug=f"new-{slug}", ratified_on=datetime.date(2021, 5, 1))
    IndicatorValue.objects.create(
        indicator_code="new_member_cities",
        year=2021,
        kind=ValueKind.PUBLISHED,
        value=Decimal(4),
        section="Key results",
    )
    body = communications.get("/api/v1/indicators/new_member_cities/values/?year=2021").json()
    assert body["code"] == "new_member_cities" and body["year"] == 2021
    assert Decimal(body["computed"]) == 3 and Decimal(body["value"]) == 3 and body["manual"] is None
    assert [Decimal(p["value"]) for p in body["published"]] == [4]
    assert [p["section"] for p in body["differences"]] == ["Key results"]
    assert communications.get("/api/v1/indicators/new_member_cities/values/").status_code == 400


def test_a_manual_indicator_gives_its_value_entered_by_hand(communications):
    manual = next(i for i in all_indicators() if i.is_manual)
    IndicatorValue.objects.create(
        indicator_code=manual.code, year=2021, kind=ValueKind.MANUAL, value=Decimal("12.5")
    )
    body = communications.get(f"/api/v1/indicators/{manual.code}/values/?year=2021").json()
    assert body["computed"] is None
    assert Decimal(body["manual"]["value"]) == Decimal("12.5") == Decimal(body["value"])


def test_the_records_behind_a_value_add_up_to_it(communications):
    EventFactory(slug="led-1", year=2021, led_by_association=True, participants_total=120)
    EventFactory(slug="led-2", year=2021, led_by_association=True, participants_total=80)
    EventFactory(slug="not-led", year=2021, participants_total=1000)
    result = indicator_compute(code="event_participants", year=2021)
    body = communications.get("/api/v1/indicators/event_participants/records/?year=2021").json()
    assert body["count"] == 2
    rows = body["results"]
    assert {row["type"] for row in rows} == {"activities.event"}
    assert sum(Decimal(row["contribution"]) for row in rows) == Decimal(result.value) == 200
    assert all(row["api_url"].endswith(f"/api/v1/events/{row['id']}/") for row in rows)
    assert {row["label"] for row in rows} == {e.title for e in result.records}


def test_counted_records_contribute_one_each(communications):
    member = MemberCityFactory(name="Lisbon", name_en="Lisbon", ratified_on=datetime.date(2021, 5, 1))
    rows = communications.get("/api/v1/indicators/new_member_cities/records/?year=2021").json()["results"]
    assert rows == [
        {
            "type": "members.membercity",
            "id": member.pk,
            "label": "Lisbon",
            "contribution": "1",
            "api_url": f"http://testserver/api/v1/members/{member.pk}/",
        }
    ]


def test_a_city_account_reads_values_but_not_the_records_behind_them():
    MemberCityFactory(ratified_on=datetime.date(2021, 5, 1))
    city = token_client(CityEditorFactory())
    assert city.get("/api/v1/indicators/new_member_cities/values/?year=2021").status_code == 200
    # The records name every city's rows.
    assert city.get("/api/v1/indicators/new_member_cities/records/?year=2021").status_code == 403
