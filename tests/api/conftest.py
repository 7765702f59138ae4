"""Fixtures of the API tests."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from tests.api.factories import CityRecords, city_with_records, token_client
from tests.members.factories import (
    CityEditorFactory,
    CityViewerFactory,
    CommunicationsFactory,
    SecretariatFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The per-account request counts live in the cache: each test starts from none.
    cache.clear()
    yield
    cache.clear()


@dataclass
class TwoCities:
    a: CityRecords
    b: CityRecords
    a_editor: Any
    a_viewer: Any
    b_editor: Any
    secretariat: Any
    communications: Any
    no_role: Any

    def client(self, account: str):
        return token_client(getattr(self, account))


@pytest.fixture
def two_cities(db) -> TwoCities:
    a = city_with_records("Barcelona")
    b = city_with_records("Seoul", paid=Decimal("10000.00"))
    return TwoCities(
        a=a,
        b=b,
        a_editor=CityEditorFactory(member_city=a.member),
        a_viewer=CityViewerFactory(member_city=a.member),
        b_editor=CityEditorFactory(member_city=b.member),
        secretariat=SecretariatFactory(),
        communications=CommunicationsFactory(),
        no_role=UserFactory(),
    )


@pytest.fixture
def secretariat_client(db):
    return token_client(SecretariatFactory())
