"""schemathesis against the running API (the project's WSGI application, in
process, on the test database), with a bounded number of cases per operation,
as the secretariat and as a city account, with two cities' records.

For every case: no server error; the status code, content type and body are
the ones the schema documents; an operation that requires authentication
refuses the same request without credentials and with invalid ones
(``ignored_auth``). As the city account, every record an answer carries
belongs to the account's city: the generated ids are drawn, half of the time,
from both cities' records, so that reading the other city's object is tried
(and must answer 404). A separate test asks for each of the other city's
objects directly.

Runs in ``make test`` (on SQLite, and on PostgreSQL in the CI's second pass).
"""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from gender.registry import indicator_codes
from tests.activities.factories import (
    EventFactory,
    LearningActivityFactory,
    PilotProjectMemberFactory,
    PublicationFactory,
)
from tests.api.factories import city_with_records
from tests.members.factories import CityEditorFactory, SecretariatFactory
from tests.reports.factories import build_plan

# Cases per operation and account: about 45 operations, two accounts, in well
# under three minutes.
MAX_EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

# The records of the current test, for the hooks and checks (filled by `world`).
WORLD: dict = {}

# Who owns a record of each city-scoped endpoint, read from its representation.
CITY_RECORDS = {
    "members": lambda row: row["id"],
    "heads-of-government": lambda row: row["member"]["id"],
    "contacts": lambda row: row["member"]["id"],
    "invoices": lambda row: row["member"]["id"],
    "payments": lambda row: row["invoice"]["member"],
    "participations": lambda row: row["member"]["id"],
    "platform-contributions": lambda row: row["member"]["id"],
    "learning-participations": lambda row: row["member"]["id"],
    "report-runs": lambda row: row["member"],
}
RESOURCE = re.compile(r"^/api/v1/(?:baseline/)?([a-z-]+)/")


def _resource(path: str) -> str:
    match = RESOURCE.match(path)
    return match.group(1) if match else ""


@pytest.fixture
def world(db):
    """Two cities with one record of each kind, shared records, and the two accounts."""
    event = EventFactory()
    a = city_with_records("Barcelona", event=event)
    b = city_with_records("Seoul", event=event)
    plan, _deliverables = build_plan()
    project = PilotProjectMemberFactory(member=a.member).project
    ids = {name: [a.records()[name].pk, b.records()[name].pk] for name in CITY_RECORDS}
    ids.update(
        {
            "events": [event.pk],
            "publications": [PublicationFactory().pk],
            "learning-activities": [LearningActivityFactory().pk],
            "pilot-projects": [project.pk],
            "action-plans": [plan.pk],
            "regions": [a.member.region_id],
        }
    )
    WORLD.update(
        ids=ids,
        own_city=a.member.pk,
        other_city=b,
        staff=SecretariatFactory(),
        city=CityEditorFactory(member_city=a.member),
    )
    yield WORLD
    WORLD.clear()


@pytest.fixture(autouse=True)
def _one_connection_for_every_request():
    # As Django's test client does: the requests run inside the test's
    # transaction, so the end of a request must not close its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the ids are real records (of both cities, for the city-scoped
    ones); half are what schemathesis generates."""
    if not path_parameters:
        return st.just(path_parameters)
    if "code" in path_parameters:
        return st.one_of(
            st.just(path_parameters), st.sampled_from(indicator_codes()).map(lambda code: {"code": code})
        )
    known = WORLD.get("ids", {}).get(_resource(context.operation.path))
    if "id" not in path_parameters or not known:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters), st.sampled_from(known).map(lambda pk: {**path_parameters, "id": pk})
    )


def stays_in_its_city(ctx, response, case):
    """A city account's answers carry its own city's records only."""
    owner_of = CITY_RECORDS.get(_resource(case.operation.path))
    # (OPTIONS: DRF's description of the endpoint, no record.)
    if owner_of is None or case.method not in ("GET", "POST") or not 200 <= response.status_code < 300:
        return None
    if "json" not in response.headers.get("content-type", [""])[0]:
        return None
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    for row in rows if isinstance(rows, list) else [rows]:
        try:
            owner = owner_of(row)
        except (KeyError, TypeError):
            raise AssertionError(f"{case.method} {case.formatted_path}: no owner in {body!r}") from None
        if owner != WORLD["own_city"]:
            raise AssertionError(
                f"{case.method} {case.formatted_path} gave city {owner}'s record to another city"
            )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


@schema.parametrize()
@HYPOTHESIS
def test_the_api_as_the_secretariat(case, world):
    case.call_and_validate(headers={"Authorization": f"Token {_token(world['staff'])}"}, checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_the_api_as_a_city_account(case, world):
    case.call_and_validate(
        headers={"Authorization": f"Token {_token(world['city'])}"}, checks=[*CHECKS, stays_in_its_city]
    )


@pytest.mark.parametrize("resource", sorted(CITY_RECORDS))
def test_each_of_the_other_citys_records_answers_404_to_a_city_account(world, resource):
    operation = schema[f"/api/v1/{resource}/{{id}}/"]["GET"]
    other = world["other_city"].records()[resource].pk
    case = operation.Case(path_parameters={"id": other})
    response = case.call_and_validate(
        headers={"Authorization": f"Token {_token(world['city'])}"}, checks=CHECKS
    )
    assert response.status_code == 404
    own = world["ids"][resource][0]
    mine = operation.Case(path_parameters={"id": own})
    assert (
        mine.call_and_validate(
            headers={"Authorization": f"Token {_token(world['city'])}"}, checks=CHECKS
        ).status_code
        == 200
    )


# Reads with only valid parameters (positive data, no NUL character: a NUL is
# refused by design, as its own test shows) must be answered, never refused:
# every bound a parameter has is stated in the schema.
reads = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
reads.config.generation.update(allow_x00=False, modes=["positive"])


def valid_reads_are_accepted(ctx, response, case):
    """A GET whose every parameter the schema allows is never a 400."""
    if case.method == "GET" and response.status_code == 400:
        raise AssertionError(f"GET {case.formatted_path}{case.query} was refused: {response.text[:300]}")
    return None


@reads.include(method="GET").parametrize()
@HYPOTHESIS
def test_reads_with_valid_parameters_are_accepted(case, world):
    case.call_and_validate(
        headers={"Authorization": f"Token {_token(world['staff'])}"},
        checks=[not_a_server_error, valid_reads_are_accepted],
    )
