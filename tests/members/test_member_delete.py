"""A member with a history is never deleted, neither by the service nor from the
admin; a candidate entered by mistake can be."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import MemberCity, MemberStatus
from members.services.lifecycle import member_delete, member_has_history
from tests.members.factories import InvoiceFactory, MemberCityFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def candidate():
    return MemberCityFactory(status=MemberStatus.CANDIDATE, ratified_on=None)


@pytest.fixture
def member_with_history():
    member = MemberCityFactory(name="Seoul", name_en="Seoul")
    InvoiceFactory(member=member)
    return member


def test_a_candidate_entered_by_mistake_can_be_deleted(candidate):
    assert not member_has_history(member=candidate)

    member_delete(member=candidate)

    assert not MemberCity.objects.filter(pk=candidate.pk).exists()


def test_deleting_a_member_with_history_is_refused(member_with_history):
    with pytest.raises(
        ValidationError, match="Seoul has a history with the association and cannot be deleted"
    ):
        member_delete(member=member_with_history)

    assert MemberCity.objects.filter(pk=member_with_history.pk).exists()


def test_a_member_that_was_ever_ratified_has_history():
    member = MemberCityFactory(status=MemberStatus.WITHDRAWN, withdrawn_on=datetime.date(2020, 1, 1))

    assert member_has_history(member=member)


def test_admin_shows_no_delete_button_for_a_member_with_history(staff_client, member_with_history, candidate):
    with_history = staff_client.get(reverse("admin:members_membercity_change", args=[member_with_history.pk]))
    without = staff_client.get(reverse("admin:members_membercity_change", args=[candidate.pk]))

    assert with_history.context["has_delete_permission"] is False
    delete_url = reverse("admin:members_membercity_delete", args=[member_with_history.pk])
    assert delete_url not in with_history.content.decode()
    assert without.context["has_delete_permission"] is True
    assert reverse("admin:members_membercity_delete", args=[candidate.pk]) in without.content.decode()


def test_admin_delete_page_of_a_member_with_history_is_forbidden(staff_client, member_with_history):
    response = staff_client.post(
        reverse("admin:members_membercity_delete", args=[member_with_history.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert MemberCity.objects.filter(pk=member_with_history.pk).exists()


def test_admin_delete_action_leaves_a_member_with_history(staff_client, member_with_history, candidate):
    response = staff_client.post(
        reverse("admin:members_membercity_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [member_with_history.pk, candidate.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 200  # the page says what cannot be deleted
    assert MemberCity.objects.count() == 2


def test_admin_deletes_a_candidate_without_history_through_the_service(staff_client, candidate):
    response = staff_client.post(
        reverse("admin:members_membercity_changelist"),
        {"action": "delete_selected", "_selected_action": [candidate.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not MemberCity.objects.exists()
