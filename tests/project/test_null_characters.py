"""A NUL character in a parameter is refused with 400 before any view runs: no
database stores one (PostgreSQL fails on it), so a search box, an admin list
filter or an API filter would otherwise answer with a server error."""

import pytest
from django.urls import reverse

from tests.api.factories import token_client
from tests.members.factories import MemberCityFactory, SecretariatFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    "query",
    ["q=Bar%00celona", "region__id__exact=1%00", "status=active%00", "o=1%00"],
    ids=["search", "filter", "choice", "ordering"],
)
def test_an_admin_list_refuses_a_null_character_with_400(staff_client, query):
    MemberCityFactory()
    response = staff_client.get(f"{reverse('admin:members_membercity_changelist')}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["search=t%00x", "name=a%00", "ordering=name%00"])
def test_an_api_list_refuses_a_null_character_with_a_json_400(query):
    client = token_client(SecretariatFactory())
    response = client.get(f"/api/v1/members/?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": "Null characters are not allowed."}


def test_a_form_posting_a_null_character_is_refused_and_nothing_is_saved(client):
    response = client.post(reverse("login"), {"username": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400
