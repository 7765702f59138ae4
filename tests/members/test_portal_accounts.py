"""Portal accounts: invitations (single use, expiring), password reset by
e-mail, login by e-mail with django-axes' lockout and cool-off, a new session at
login, logout and deactivation ending sessions on the server, and the role
groups the data migration creates."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from members.models import User
from members.services.accounts import user_deactivate, user_invite
from members.tokens import invitation_token_generator
from tests.members.factories import (
    CityEditorFactory,
    CommunicationsFactory,
    ContactFactory,
    MemberCityFactory,
    SecretariatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # the factories' password
NEW_PASSWORD = "Plaça-de-Sant-Jaume-1"


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def city():
    return MemberCityFactory(name="Barcelona", name_en="Barcelona", slug="barcelona")


def _invite(city, email="focal@barcelona.example.org", role="editor"):
    return user_invite(
        member=city, email=email, full_name="Laia Puig", role=role, base_url="http://testserver/"
    )


# --- Invitations ---------------------------------------------------------------------------------


def test_staff_invite_a_contact_from_the_admin_as_an_inactive_account_of_its_city(client, city):
    contact = ContactFactory(member=city, email="Focal@Barcelona.example.org", preferred_language="es")
    client.force_login(SecretariatFactory())

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite_to_portal", "_selected_action": [contact.pk], "apply": "1", "role": "viewer"},
    )

    assert response.status_code == 302
    user = User.objects.get(email="focal@barcelona.example.org")
    assert (user.is_active, user.has_usable_password(), user.member_city) == (False, False, city)
    assert list(user.groups.values_list("name", flat=True)) == ["city-viewer"]
    [message] = mail.outbox
    assert message.to == ["focal@barcelona.example.org"]
    # In the contact's language.
    assert message.subject == "Su acceso al Portal de Metropolis para Barcelona"
    assert "como lector de Barcelona" in message.body
    assert "/accounts/invitation/" in _link_in(message)


def test_communications_cannot_invite(client, city):
    contact = ContactFactory(member=city)
    client.force_login(CommunicationsFactory())

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite_to_portal", "_selected_action": [contact.pk], "apply": "1", "role": "editor"},
    )

    # No action is offered to a read-only account, and a forged request for one does nothing.
    assert client.get(reverse("admin:members_contact_changelist")).context["action_form"] is None
    assert response.status_code in (200, 302)
    assert not User.objects.filter(member_city=city).exists()
    assert mail.outbox == []


def test_the_invitation_link_sets_the_password_once_and_activates_the_account(client, city):
    user = _invite(city)
    link = _path(_link_in(mail.outbox[0]))

    landing = client.get(link)
    # The token leaves the address at once (no Referer leak), as with password resets.
    assert landing.status_code == 302 and landing.url.endswith("/set-password/")
    form = client.get(landing.url)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done.url == reverse("login")
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD)
    # Used: the same link no longer works, in this browser or another.
    client.logout()
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "cannot be used" in again.content.decode()


def test_the_invitation_link_expires(client, city, monkeypatch):
    user = _invite(city)
    token = invitation_token_generator.make_token(user)
    assert invitation_token_generator.check_token(user, token)

    later = datetime.datetime.now() + datetime.timedelta(days=7, minutes=1)
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: later)

    assert not invitation_token_generator.check_token(user, token)
    response = client.get(_path(_link_in(mail.outbox[0])))
    assert response.status_code == 200 and response.context["validlink"] is False


def test_the_invitation_password_goes_through_the_password_validators(client, city):
    user = _invite(city)
    landing = client.get(_path(_link_in(mail.outbox[0])))

    response = client.post(landing.url, {"new_password1": "password123", "new_password2": "password123"})

    assert response.status_code == 200
    assert "too common" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()


def test_a_new_invitation_voids_the_earlier_link(client, city):
    _invite(city)
    _invite(city)
    first, second = (_path(_link_in(message)) for message in mail.outbox)

    assert client.get(first, follow=True).context["validlink"] is False
    assert client.get(second).status_code == 302


def test_an_address_with_an_account_in_use_is_not_invited_again(city):
    UserFactory(email="focal@barcelona.example.org")

    with pytest.raises(ValidationError, match="already has a portal account"):
        _invite(city)

    assert mail.outbox == []


def test_a_token_for_a_password_reset_does_not_open_an_invitation(city):
    from django.contrib.auth.tokens import default_token_generator

    user = _invite(city)

    assert not invitation_token_generator.check_token(user, default_token_generator.make_token(user))


# --- Password reset by e-mail ---------------------------------------------------------------------


def test_password_reset_by_email(client):
    user = CityEditorFactory(email="focal@seoul.example.org")

    sent = client.post(reverse("password_reset"), {"email": "FOCAL@seoul.example.org"})
    assert sent.status_code == 302 and sent.url == reverse("password_reset_done")
    [message] = mail.outbox
    link = _path(_link_in(message))
    landing = client.get(link)
    saved = client.post(landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved.status_code == 302 and saved.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_the_password_reset_pages_use_the_site_layout(client):
    response = client.get(reverse("password_reset"))

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["registration/password_reset_form.html", "base.html"]


# --- Login, lockout, sessions ---------------------------------------------------------------------


def _log_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_login_by_email_whatever_its_case(client):
    user = CityEditorFactory(email="focal@seoul.example.org")

    response = _log_in(client, "Focal@Seoul.example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_starts_a_new_session(client):
    user = CityEditorFactory()
    session = client.session
    session["visited"] = "the home page"
    session.save()
    before = client.cookies["sessionid"].value

    _log_in(client, user.email, PASSWORD)

    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.get(session_key=after).get_decoded()["_auth_user_id"] == str(user.pk)


def test_logout_ends_the_session_on_the_server(client):
    user = CityEditorFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value

    assert client.get(reverse("logout")).status_code == 405
    assert Session.objects.filter(session_key=key).exists()
    assert client.post(reverse("logout")).status_code == 302

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_fifth_failure_locks_the_account_from_that_address_for_thirty_minutes(client):
    user = CityEditorFactory(email="focal@seoul.example.org")
    for _attempt in range(4):
        assert _log_in(client, user.email, "not-the-password").status_code == 200

    fifth = _log_in(client, user.email, "not-the-password")
    right_password = _log_in(client, user.email, PASSWORD)

    assert fifth.status_code == 429
    assert "Too many failed attempts" in fifth.content.decode()
    assert "Try again in 30 minutes" in fifth.content.decode()
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session
    # Per account and address: the same account from another address is not locked.
    assert _log_in(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.44").status_code == 302


def test_the_lock_is_released_after_the_cool_off(client):
    user = CityEditorFactory(email="focal@seoul.example.org")
    for _attempt in range(5):
        _log_in(client, user.email, "not-the-password")
    assert _log_in(client, user.email, PASSWORD).status_code == 429

    # Thirty minutes and a second later (axes counts from the last failure).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=30, seconds=1))

    assert _log_in(client, user.email, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_lockout_page_is_in_the_visitors_language(client):
    user = CityEditorFactory()
    for _attempt in range(5):
        response = _log_in(client, user.email, "not-the-password", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 429
    assert response.context["minutes"] == 30
    assert 'lang="fr"' in response.content.decode()


# --- Deactivation ---------------------------------------------------------------------------------


def _sessions_of(user) -> list[str]:
    return [
        s.session_key for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def test_deactivating_an_account_ends_its_sessions_at_once(client, django_user_model):
    from django.test import Client

    user, other = CityEditorFactory(), CityEditorFactory()
    client.force_login(user)
    Client().force_login(user)  # a second browser
    Client().force_login(other)
    assert len(_sessions_of(user)) == 2

    user_deactivate(user=user)

    assert _sessions_of(user) == []
    assert len(_sessions_of(other)) == 1
    assert client.get(reverse("portal:home")).status_code == 302


def test_unticking_active_in_the_admin_ends_the_sessions(client):
    from django.test import Client

    user = CityEditorFactory(full_name="Laia Puig")
    browser = Client()
    browser.force_login(user)
    client.force_login(SecretariatFactory())

    response = client.post(
        reverse("admin:members_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "member_city": user.member_city_id,
            "groups": list(user.groups.values_list("pk", flat=True)),
            # is_active left unticked
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert _sessions_of(user) == []
    assert browser.get(reverse("portal:home")).status_code == 302


def test_the_deactivate_action_ends_the_sessions(client):
    from django.test import Client

    user = CityEditorFactory()
    Client().force_login(user)
    client.force_login(SecretariatFactory())

    client.post(
        reverse("admin:members_user_changelist"), {"action": "deactivate", "_selected_action": [user.pk]}
    )

    user.refresh_from_db()
    assert not user.is_active and _sessions_of(user) == []


# --- Roles ------------------------------------------------------------------------------------------


def test_the_role_groups_exist_with_their_permissions():
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions__content_type")}

    def codes(name):
        return {f"{p.content_type.app_label}.{p.codename}" for p in groups[name].permissions.all()}

    assert {"secretariat", "communications", "city-editor", "city-viewer"} <= set(groups)
    assert {"members.change_membercity", "activities.change_submission", "activities.add_event"} <= codes(
        "secretariat"
    )
    communications = codes("communications")
    assert {"members.view_membercity", "activities.view_event", "reports.view_reportrun"} <= communications
    assert all(".view_" in code for code in communications)
    assert "members.view_user" not in communications
    assert codes("city-editor") == codes("city-viewer") == set()


def test_communications_read_records_in_the_admin_but_cannot_change_or_revert_them(client):
    member = MemberCityFactory(website="https://before.example.org")
    member.website = "https://after.example.org"
    member.save()
    first_version = member.history.earliest()
    client.force_login(CommunicationsFactory())

    assert client.get(reverse("admin:members_membercity_change", args=[member.pk])).status_code == 200
    changed = client.post(
        reverse("admin:members_membercity_change", args=[member.pk]),
        {"website": "https://forged.example.org"},
    )
    reverted = client.post(
        reverse("admin:members_membercity_simple_history", args=[member.pk, first_version.pk]), {}
    )
    imported = client.get(reverse("admin:members_membercity_import"))

    assert (changed.status_code, reverted.status_code, imported.status_code) == (403, 403, 403)
    member.refresh_from_db()
    assert member.website == "https://after.example.org"


def test_the_lockout_counts_the_account_whatever_the_letter_case_of_its_address(client):
    CityEditorFactory(email="x@example.org")
    spellings = ["x@example.org", "X@example.org", "x@EXAMPLE.org", " x@Example.ORG "]
    for attempt in range(5):
        _log_in(client, spellings[attempt % len(spellings)], "not-the-password")

    # Locked, whatever the spelling: no more guesses, and the right password does not log in.
    for spelling in spellings:
        assert _log_in(client, spelling, "another-guess").status_code == 429
        assert _log_in(client, spelling, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_attempts_during_the_cool_off_do_not_extend_it(client):
    user = CityEditorFactory(email="focal@seoul.example.org")
    for _attempt in range(5):
        _log_in(client, user.email, "not-the-password")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=20))

    # Ten more minutes of guessing while locked...
    for _attempt in range(3):
        assert _log_in(client, user.email, "still-guessing").status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10, seconds=1))

    # ...and the lock ends thirty minutes after the fifth failure, not after the last guess.
    assert _log_in(client, user.email, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = CityEditorFactory(email="focal@seoul.example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _attempt in range(5):
        _log_in(client, user.email, "not-the-password", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert (
        _log_in(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    )

    # Another client behind the same proxy is not locked out by the attacker...
    assert (
        _log_in(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 302
    )
    # ...and the attacker cannot choose an address by writing the header itself: the
    # proxy appends the address it saw, which is the one counted.
    client.logout()
    spoofed = "203.0.113.9, 198.51.100.7"
    assert _log_in(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client):
    user = CityEditorFactory(email="focal@seoul.example.org")
    for attempt in range(5):
        _log_in(client, user.email, "not-the-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    assert _log_in(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
