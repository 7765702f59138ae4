"""Roles that work: the communications group alone opens the read-only admin and
the reports page, and the secretariat invites a communications user as it
invites a city's focal point."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from members.models import User
from members.services.accounts import user_invite_communications, user_staff_status_sync
from tests.members.factories import SecretariatFactory, UserFactory, restore_role_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    if not Group.objects.filter(name="communications").exists():
        restore_role_groups()


def _staff_change_form_data(user: User, group_ids: list[int]) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "groups": group_ids,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }


def test_giving_the_communications_group_in_the_admin_is_enough_to_open_the_admin(client, groups):
    person = UserFactory(email="press@metropolis.org", full_name="Press Officer")
    assert not person.is_staff
    client.force_login(SecretariatFactory())
    communications = Group.objects.get(name="communications")

    response = client.post(
        reverse("admin:members_user_change", args=[person.pk]),
        _staff_change_form_data(person, [communications.pk]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_staff
    client.force_login(person)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:members_membercity_changelist")).status_code == 200
    assert client.get(reverse("reports:list")).status_code == 200


def test_taking_the_group_away_takes_the_admin_away(groups):
    person = UserFactory()
    person.groups.add(Group.objects.get(name="communications"))
    user_staff_status_sync(user=person)
    assert person.is_staff

    person.groups.clear()
    user_staff_status_sync(user=person)

    person.refresh_from_db()
    assert not person.is_staff


def test_a_superuser_keeps_staff_status_without_a_group():
    boss = UserFactory(is_superuser=True, is_staff=True)

    user_staff_status_sync(user=boss)

    assert User.objects.get(pk=boss.pk).is_staff


def test_the_secretariat_invites_a_communications_user_from_the_account_list(client, groups):
    client.force_login(SecretariatFactory())

    listing = client.get(reverse("admin:members_user_changelist")).content.decode()
    assert reverse("admin:members_user_invite_communications") in listing
    response = client.post(
        reverse("admin:members_user_invite_communications"),
        {"email": "Prensa@Metropolis.org", "full_name": "Ana Prensa", "language": "es"},
    )

    assert response.status_code == 302
    invited = User.objects.get(email="prensa@metropolis.org")
    assert (invited.is_active, invited.is_staff, invited.member_city) == (False, True, None)
    assert list(invited.groups.values_list("name", flat=True)) == ["communications"]
    (message,) = mail.outbox
    assert message.to == ["prensa@metropolis.org"]
    assert "Ana Prensa" in message.body
    link = re.search(r"https?://\S+", message.body).group(0)

    # Accepting the invitation: the account opens the admin and the reports page.
    page = client.get(link, follow=True)
    assert page.status_code == 200


def test_an_address_in_use_is_refused_with_a_message(client, groups):
    UserFactory(email="taken@metropolis.org")
    client.force_login(SecretariatFactory())

    response = client.post(
        reverse("admin:members_user_invite_communications"),
        {"email": "taken@metropolis.org", "full_name": "Someone", "language": "en"},
    )

    assert response.status_code == 200
    assert "already has a portal account" in response.content.decode()
    assert not mail.outbox


def test_a_bad_address_is_a_field_error(client, groups):
    client.force_login(SecretariatFactory())

    response = client.post(
        reverse("admin:members_user_invite_communications"),
        {"email": "not an address", "full_name": "Someone", "language": "en"},
    )

    assert response.status_code == 200 and response.context["form"].errors["email"]


def test_only_the_secretariat_invites(client, groups):
    person = UserFactory()
    person.groups.add(Group.objects.get(name="communications"))
    user_staff_status_sync(user=person)
    client.force_login(person)

    assert client.get(reverse("admin:members_user_invite_communications")).status_code == 403


def test_the_invitation_is_written_in_the_chosen_language(groups):
    user_invite_communications(
        email="presse@metropolis.org", full_name="Luc", base_url="https://portal.example.org/", language="fr"
    )

    (message,) = mail.outbox
    assert "Bonjour Luc," in message.body and "Le Secrétariat général de Metropolis" in message.body
    assert "https://portal.example.org/" in message.body
